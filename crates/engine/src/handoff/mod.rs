//! The handoff summary as the vendor receives it: Markdown for an email or ticket, versioned
//! JSON for the vendor's automation, a printable HTML page; and delivery of the JSON to an
//! address the vendor gave. The summary is built from what AWS says now.

mod render;
mod send;
mod summary;

pub use render::{html, json, markdown, Format};
pub use send::{send, HandoffError};
pub use summary::summary;
