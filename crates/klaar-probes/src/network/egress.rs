//! Which interface would carry traffic to the internet, asked of the kernel itself. `connect()` on
//! a UDP socket only consults the routing policy (every table and `ip rule`); nothing is sent. The
//! main routing table alone lies under wg-quick or NetworkManager's WireGuard, which put the
//! default route in a table of their own.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, UdpSocket};

/// A public resolver address stands in for "the internet" where one address is enough (the
/// portable probe); none is contacted. Port 443 over UDP is what calls use (QUIC, TURN), so rules that pick by
/// port treat the question as they treat a call.
pub const PUBLIC_V4: &str = "9.9.9.9:443";
pub const PUBLIC_V6: &str = "[2620:fe::fe]:443";

/// Public addresses in far-apart networks (Quad9, Cloudflare, Google DNS), IPv4 first. A VPN
/// carries all internet traffic only when every one of them goes into it: a split tunnel for an
/// organisation that happens to own one of those networks (9.0.0.0/8) is still a split tunnel.
pub const INTERNET: [&str; 6] = [
    "9.9.9.9",
    "1.1.1.1",
    "8.8.8.8",
    "2620:fe::fe",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
];

/// The port every question about the way out is asked for (UDP, as calls use it).
pub const PORT: u16 = 443;

/// The public address and port of `PUBLIC_V4` or `PUBLIC_V6`.
pub fn public(v6: bool) -> SocketAddr {
    if v6 { PUBLIC_V6 } else { PUBLIC_V4 }
        .parse()
        .expect("constant address")
}

/// `INTERNET` as addresses.
pub fn internet() -> impl Iterator<Item = IpAddr> {
    INTERNET
        .iter()
        .map(|a| a.parse().expect("constant address"))
}

/// The local address the kernel would send from; `Ok(None)` when no route leads out. (The
/// portable probe asks this; on Linux netlink answers per family.)
#[cfg_attr(target_os = "linux", allow(dead_code))]
pub fn local_address() -> std::io::Result<Option<IpAddr>> {
    for v6 in [false, true] {
        if let Some(addr) = local_address_for(v6)? {
            return Ok(Some(addr));
        }
    }
    Ok(None)
}

/// The local address the kernel would send from to the internet in one address family;
/// `Ok(None)` when no route leads out (or the machine has no IPv6 at all).
pub fn local_address_for(v6: bool) -> std::io::Result<Option<IpAddr>> {
    local_address_to(public(v6))
}

/// The local address the kernel would send from to `target`; `Ok(None)` when no route leads
/// there (or the machine lacks that address family).
pub fn local_address_to(target: SocketAddr) -> std::io::Result<Option<IpAddr>> {
    let bind = if target.is_ipv6() {
        "[::]:0"
    } else {
        "0.0.0.0:0"
    };
    let socket = match UdpSocket::bind(bind) {
        Ok(s) => s,
        // No IPv6 on this machine at all.
        Err(e) if e.kind() == ErrorKind::AddrNotAvailable || e.raw_os_error() == Some(97) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    match socket.connect(target) {
        Ok(()) => Ok(Some(socket.local_addr()?.ip())),
        Err(e) if is_unreachable(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_unreachable(e: &std::io::Error) -> bool {
    // ENETUNREACH (101), EHOSTUNREACH (113), EADDRNOTAVAIL (99), EAFNOSUPPORT (97) on Linux;
    // std maps most of them to these kinds on every OS.
    matches!(
        e.kind(),
        ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable | ErrorKind::AddrNotAvailable
    ) || matches!(e.raw_os_error(), Some(97 | 99 | 101 | 113))
}

/// The name of the interface holding `addr`.
pub fn interface_with(addr: IpAddr) -> Option<String> {
    netdev::get_interfaces()
        .into_iter()
        .find(|i| holds(i, addr))
        .map(|i| i.name)
}

/// Whether `addr` is one of the interface's own addresses.
pub fn holds(interface: &netdev::Interface, addr: IpAddr) -> bool {
    interface.ipv4.iter().any(|n| IpAddr::V4(n.addr()) == addr)
        || interface.ipv6.iter().any(|n| IpAddr::V6(n.addr()) == addr)
}
