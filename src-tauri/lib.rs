//! VendorLink: grant a SaaS vendor private, least-privilege access to a database in your AWS
//! account, hand the vendor what it needs, and take the access back.
//!
//! The window ([`gui`]) and the command line ([`cli`]) are thin faces over the same library.

pub mod aws;
pub mod cli;
pub mod creds;
pub mod engine;
pub mod error;
pub mod gui;
pub mod handoff;
pub mod journal;
pub mod model;
pub mod sources;
pub mod validate;
pub mod vendors;

#[cfg(test)]
mod bindings;

pub use error::{Error, ErrorKind, ErrorPayload};
