//! Which interface would carry traffic to the internet, asked of the kernel itself. `connect()` on
//! a UDP socket only consults the routing policy (every table and `ip rule`); nothing is sent. The
//! main routing table alone lies under wg-quick or NetworkManager's WireGuard, which put the
//! default route in a table of their own.

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, UdpSocket};

/// Public resolver addresses stand in for "the internet": any public address routes alike, and
/// none is contacted.
const PUBLIC_V4: &str = "9.9.9.9:53";
const PUBLIC_V6: &str = "[2620:fe::fe]:53";

/// The local address the kernel would send from; `Ok(None)` when no route leads out.
pub fn local_address() -> std::io::Result<Option<IpAddr>> {
    for (bind, target) in [("0.0.0.0:0", PUBLIC_V4), ("[::]:0", PUBLIC_V6)] {
        let socket = match UdpSocket::bind(bind) {
            Ok(s) => s,
            // No IPv6 on this machine at all.
            Err(e) if e.kind() == ErrorKind::AddrNotAvailable || e.raw_os_error() == Some(97) => {
                continue
            }
            Err(e) => return Err(e),
        };
        let target: SocketAddr = target.parse().expect("constant address");
        match socket.connect(target) {
            Ok(()) => return Ok(Some(socket.local_addr()?.ip())),
            Err(e) if is_unreachable(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
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
