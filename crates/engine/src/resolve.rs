use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::pin::Pin;

/// Turns the database's endpoint hostname into its current addresses. Injectable because RDS
/// names resolve only inside the VPC (or not at all in the emulator); the admin can always
/// type the addresses instead.
pub trait Resolve: Send + Sync {
    fn resolve<'a>(&'a self, host: &'a str, port: u16) -> Pin<Box<dyn Future<Output = Result<Vec<Ipv4Addr>, String>> + Send + 'a>>;
}

/// The operating system's resolver.
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve<'a>(&'a self, host: &'a str, port: u16) -> Pin<Box<dyn Future<Output = Result<Vec<Ipv4Addr>, String>> + Send + 'a>> {
        Box::pin(async move {
            let addresses = tokio::net::lookup_host((host, port)).await.map_err(|e| e.to_string())?;
            let mut v4: Vec<Ipv4Addr> = addresses.filter_map(|a| if let IpAddr::V4(ip) = a.ip() { Some(ip) } else { None }).collect();
            v4.sort();
            v4.dedup();
            Ok(v4)
        })
    }
}
