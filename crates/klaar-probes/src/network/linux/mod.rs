//! Linux: interfaces from sysfs, the routing state (rules, every table, addresses, IPsec
//! policies) from netlink, the egress interface from the kernel, Wi-Fi signal from
//! `/proc/net/wireless`. A replayed machine answers from its captured files instead:
//! `klaar/routing.json`, or for older captures the main table in `proc/net/route`.

mod interfaces;
mod netlink;
mod routes;
pub mod routing;
mod wireless;

use super::egress;
use crate::sysfs::read_opt;
use crate::Root;
use interfaces::{IfKind, Interface};
use klaar_facts::{Connectivity, LinkKind, NetworkFacts, ProbeError, VpnFacts};
use routing::{Flow, Hop, KernelAnswer, Routing, Way, TABLE_LOCAL, TABLE_MAIN};
use std::net::IpAddr;

/// Where a captured machine's routing state is kept, relative to the root.
pub const ROUTING_FILE: &str = "klaar/routing.json";

pub fn probe(root: &Root) -> Result<Connectivity, ProbeError> {
    let mut interfaces = interfaces::read_all(root)?;
    if interfaces.iter().any(|i| i.kind == IfKind::Ppp) {
        let pppoe_sessions = read_opt(&root.join("proc/net/pppoe"))?
            .is_some_and(|t| t.lines().skip(1).any(|l| !l.trim().is_empty()));
        let ppp = ppp_kind(&running(root, true), pppoe_sessions);
        for i in interfaces.iter_mut().filter(|i| i.kind == IfKind::Ppp) {
            i.kind = ppp;
        }
    }
    let routing = routing_of(root)?;
    let ways = ways_out(&routing);
    let wireless = read_opt(&root.join("proc/net/wireless"))?.unwrap_or_default();
    let mut facts = decide(&interfaces, &routing, &ways, |name| {
        wireless::signal_dbm(&wireless, name)
    });
    if routing.xfrm_policies.is_none() && !facts.vpn.active {
        facts.vpn.ipsec_unknown = running(root, false)
            .into_iter()
            .map(|(comm, _)| comm)
            .find(|comm| IKE_DAEMONS.contains(&comm.as_str()));
    }
    Ok(facts)
}

/// The running processes' names (`comm`) and, when asked, their arguments, read under the root.
fn running(root: &Root, with_args: bool) -> Vec<(String, Vec<String>)> {
    let proc_dir = root.join("proc");
    crate::sysfs::list_dir(&proc_dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pid| {
            let dir = proc_dir.join(pid);
            let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
            let args = if with_args {
                let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
                crate::processes::split_cmdline(&cmdline, None).1
            } else {
                Vec::new()
            };
            Some((comm.trim_end().to_string(), args))
        })
        .collect()
}

/// Key-exchange daemons of policy-based IPsec VPNs: strongSwan (also as NetworkManager's and
/// systemd's), libreswan and Openswan, OpenBSD's iked, ipsec-tools' racoon.
const IKE_DAEMONS: &[&str] = &[
    "charon",
    "charon-nm",
    "charon-systemd",
    "pluto",
    "iked",
    "racoon",
];

/// Programs that run a VPN over PPP: Fortinet's SSL VPN (openfortivpn, FortiClient), PPTP, L2TP
/// (xl2tpd, openl2tpd), SSTP, and NetworkManager's helpers for them (by the 15-character
/// `comm`).
const PPP_VPN_CLIENTS: &[&str] = &[
    "openfortivpn",
    "fortivpn",
    "forticlient",
    "pptp",
    "xl2tpd",
    "openl2tpd",
    "sstpc",
    "nm-fortisslvpn",
    "nm-l2tp-service",
    "nm-pptp-service",
    "nm-sstp-service",
];

/// What the PPP links are, from what runs them. DSL over the cable when the kernel holds a
/// PPPoE session (`/proc/net/pppoe`) or pppd runs a PPPoE plugin or program; a VPN when a PPP
/// VPN client runs, or pppd runs over a pseudo-terminal or an L2TP/PPTP/SSTP plugin; otherwise a
/// modem (mobile data), which is what is left: every PPP VPN has a client or a pseudo-terminal.
fn ppp_kind(processes: &[(String, Vec<String>)], pppoe_sessions: bool) -> IfKind {
    let pppd_args: Vec<String> = processes
        .iter()
        .filter(|(comm, _)| comm == "pppd")
        .flat_map(|(_, args)| args.iter().map(|a| a.to_ascii_lowercase()))
        .collect();
    let any = |pred: &dyn Fn(&str) -> bool| pppd_args.iter().any(|a| pred(a));
    let vpn_client = processes
        .iter()
        .any(|(comm, _)| PPP_VPN_CLIENTS.iter().any(|c| comm.starts_with(c)));
    if pppoe_sessions || any(&|a| a.contains("pppoe")) {
        IfKind::Wired
    } else if vpn_client
        || any(&|a| a == "pty" || ["pppol2tp", "pptp", "sstp"].iter().any(|w| a.contains(w)))
    {
        IfKind::Ppp
    } else {
        IfKind::Mobile
    }
}

/// The routing state: from the kernel live (with its answer for the way out: netlink's, else
/// what `connect()` tells), from the capture when replaying. A capture writes what this returns,
/// so a replay answers as the live check did.
///
/// Errors: a captured `klaar/routing.json` that does not parse ([`ProbeError::Garbage`] with
/// the line and column), or an unreadable route file.
pub fn routing_of(root: &Root) -> Result<Routing, ProbeError> {
    let mut routing = read_routing(root)?;
    if !root.is_replay() && routing.kernel.is_none() {
        routing.kernel = connect_answer(&routing);
    }
    Ok(routing)
}

fn read_routing(root: &Root) -> Result<Routing, ProbeError> {
    if root.is_replay() {
        let path = root.join(ROUTING_FILE);
        if let Some(text) = read_opt(&path)? {
            return serde_json::from_str(&text).map_err(|e| {
                ProbeError::garbage(
                    path.display().to_string(),
                    format!("line {}, column {}: {e}", e.line(), e.column()),
                )
            });
        }
    } else if let Ok(routing) = netlink::read(root) {
        return Ok(routing);
    }
    let v4 = routes::parse_ipv4(&read_opt(&root.join("proc/net/route"))?.unwrap_or_default());
    let v6 = routes::parse_ipv6(&read_opt(&root.join("proc/net/ipv6_route"))?.unwrap_or_default());
    Ok(Routing::from_route_files(&v4, &v6))
}

/// The ways out to the public addresses of `egress::INTERNET`, IPv4 first: the kernel's own
/// answer when there is one (live, or recorded by a capture), else the same lookup repeated on
/// the routing state. Addresses no route leads to are left out.
fn ways_out(routing: &Routing) -> Vec<(IpAddr, Hop)> {
    match &routing.kernel {
        Some(k) => k
            .ways
            .iter()
            .filter_map(|w| Some((w.to, w.via.clone()?)))
            .collect(),
        None => egress::internet()
            .filter_map(|to| {
                let (interface, src) = routing.egress(to, routing.uid)?;
                Some((to, Hop { interface, src }))
            })
            .collect(),
    }
}

/// When netlink could not be asked: for each public address, the address a UDP `connect()`
/// would send from and the interface that holds it. `None` when even that fails.
fn connect_answer(routing: &Routing) -> Option<KernelAnswer> {
    let mut ways = Vec::new();
    for to in egress::internet() {
        let target = std::net::SocketAddr::new(to, egress::PORT);
        let via = match egress::local_address_to(target).ok()? {
            None => None,
            Some(addr) => Some(Hop {
                interface: routing
                    .addresses
                    .iter()
                    .find(|a| a.addr == addr)
                    .map(|a| a.interface.clone())
                    .or_else(|| egress::interface_with(addr))?,
                src: Some(addr),
            }),
        };
        ways.push(Way { to, via });
    }
    Some(KernelAnswer { ways })
}

/// Pure: from interfaces, the routing state and the ways out (per public address) to the facts.
fn decide(
    interfaces: &[Interface],
    routing: &Routing,
    ways: &[(IpAddr, Hop)],
    signal: impl Fn(&str) -> Option<i32>,
) -> Connectivity {
    let find = |name: &str| interfaces.iter().find(|i| i.name == name);
    let clat =
        |name: &str| find(name).is_some_and(|i| i.kind == IfKind::Tun) && is_clat(routing, name);
    // IPv4 into a 464XLAT translator leaves as IPv6, by the IPv6 way out.
    let v6_way = ways
        .iter()
        .find(|(to, hop)| to.is_ipv6() && !clat(&hop.interface))
        .map(|(_, hop)| hop.clone());
    let ways: Vec<(IpAddr, Hop)> = ways
        .iter()
        .map(|(to, hop)| match &v6_way {
            Some(v6) if clat(&hop.interface) => (*to, v6.clone()),
            _ => (*to, hop.clone()),
        })
        .collect();
    let ways = ways.as_slice();
    // A tunnel a VPN may use: a tunnel kind that is not a 464XLAT translator.
    let vpn_tunnel = |i: &Interface| i.kind.is_tunnel() && !clat(&i.name);
    let is_tunnel = |name: &str| find(name).is_some_and(vpn_tunnel);
    // A tunnel is a VPN in use only when something routes into it: an interface that is up
    // without an address, route or rule (a VPN client switched off) carries nothing.
    let tunnels: Vec<String> = interfaces
        .iter()
        .filter(|i| i.up && vpn_tunnel(i))
        .filter(|i| ways.iter().any(|(_, w)| w.interface == i.name) || routing.carries(&i.name))
        .map(|i| i.name.clone())
        .collect();
    // Policy-based IPsec has no interface: the kernel's IPsec policies decide whether traffic
    // from our source address to the internet goes into a tunnel.
    let covered = |to: IpAddr, hop: &Hop| {
        let flow = Flow {
            src: hop.src,
            ..Flow::to(to, routing.uid)
        };
        routing.ipsec_covers(&flow) == Some(true)
    };
    let ipsec = ways.iter().any(|(to, hop)| covered(*to, hop))
        || routing.ipsec_tunnels_anything() == Some(true);
    let primary = main_way(ways).map(|hop| {
        // An interface we cannot see in sysfs (another namespace, a race) counts as "other".
        find(&hop.interface).cloned().unwrap_or(Interface {
            name: hop.interface.clone(),
            kind: IfKind::Virtual,
            up: true,
            lowers: Vec::new(),
        })
    });
    let tunnel = primary
        .as_ref()
        .filter(|e| vpn_tunnel(e))
        .map(|e| e.name.clone());
    // Under a VPN the user's link is the one the tunnel runs over (see `underlay`).
    let underlay = match &primary {
        Some(e) if vpn_tunnel(e) => underlay(interfaces, routing),
        other => other.clone(),
    };
    let kind = match (&primary, &underlay) {
        (None, _) => LinkKind::None,
        (Some(_), None) => LinkKind::Other,
        (Some(_), Some(link)) => {
            link_kind(interfaces::link_kind(interfaces, &link.name).unwrap_or(link.kind))
        }
    };
    let interface = underlay.as_ref().map(|u| u.name.clone());
    let signal_dbm = underlay
        .as_ref()
        .filter(|_| kind == LinkKind::Wifi)
        .and_then(|u| wifi_below(interfaces, &u.name).and_then(|w| signal(&w)));
    let active = !tunnels.is_empty() || ipsec;
    // All internet traffic goes through the VPN only when the way to every public address, in
    // every address family that has one, goes into a tunnel: IPv6 around an IPv4-only VPN, or a
    // split tunnel that happens to include one of the addresses, is traffic that bypasses it.
    // What is routed into a dummy is dropped, not sent around the VPN.
    let dropped = |name: &str| find(name).is_some_and(|i| i.kind == IfKind::Dummy);
    let full_tunnel = (active && !ways.is_empty()).then(|| {
        ways.iter().all(|(to, hop)| {
            is_tunnel(&hop.interface) || covered(*to, hop) || dropped(&hop.interface)
        })
    });
    Connectivity {
        network: NetworkFacts {
            kind,
            interface,
            signal_dbm,
            tunnel,
        },
        vpn: VpnFacts {
            active,
            interfaces: tunnels,
            full_tunnel,
            ipsec,
            ipsec_unknown: None,
        },
    }
}

/// 464XLAT's translator on the customer side (clatd with tayga, Android's `v4-…`): a tun
/// interface that gives IPv4 programs an address on an IPv6-only network and sends their
/// traffic on, translated, as IPv6 (RFC 6877). It is no VPN (clatd#50, #23). Its IPv4 address
/// comes from 192.0.0.0/29, the IPv4 Service Continuity Prefix set aside for it (RFC 7335).
fn is_clat(routing: &Routing, name: &str) -> bool {
    let mut v4 = routing
        .addresses
        .iter()
        .filter(|a| a.interface == name && a.addr.is_ipv4())
        .peekable();
    v4.peek().is_some()
        && v4.all(|a| match a.addr {
            IpAddr::V4(v4) => v4.octets()[..3] == [192, 0, 0] && v4.octets()[3] < 8,
            IpAddr::V6(_) => false,
        })
}

/// The way most public addresses take, IPv4 first (IPv6 when there is no IPv4 way out): the
/// interface the user's traffic mostly leaves by.
fn main_way(ways: &[(IpAddr, Hop)]) -> Option<&Hop> {
    let v4: Vec<&Hop> = ways
        .iter()
        .filter(|(to, _)| to.is_ipv4())
        .map(|(_, h)| h)
        .collect();
    let family = if v4.is_empty() {
        ways.iter().map(|(_, h)| h).collect()
    } else {
        v4
    };
    let count = |name: &str| family.iter().filter(|h| h.interface == name).count();
    family
        .iter()
        .enumerate()
        .max_by_key(|(i, h)| (count(&h.interface), std::cmp::Reverse(*i)))
        .map(|(_, h)| *h)
}

/// The Wi-Fi interface at the bottom of `name` (itself, or a bridge's Wi-Fi port), whose signal
/// `/proc/net/wireless` lists.
fn wifi_below(interfaces: &[Interface], name: &str) -> Option<String> {
    let i = interfaces.iter().find(|i| i.name == name)?;
    if i.kind == IfKind::Wifi {
        return Some(i.name.clone());
    }
    i.lowers.iter().find_map(|l| wifi_below(interfaces, l))
}

fn underlay(interfaces: &[Interface], routing: &Routing) -> Option<Interface> {
    let up = |name: &str| interfaces.iter().find(|i| i.name == name && i.up);
    let physical =
        |i: &Interface| interfaces::link_kind(interfaces, &i.name).is_some_and(IfKind::is_physical);
    let mut defaults: Vec<&Interface> = routing
        .routes
        .iter()
        .filter(|r| r.table == TABLE_MAIN && r.dst.len == 0)
        .filter_map(|r| up(r.dev.as_deref()?))
        .filter(|i| !i.kind.is_tunnel() && i.kind != IfKind::Loopback)
        .collect();
    defaults.sort_by_key(|i| {
        routing
            .routes
            .iter()
            .filter(|r| {
                r.table == TABLE_MAIN && r.dst.len == 0 && r.dev.as_deref() == Some(&i.name)
            })
            .map(|r| r.metric)
            .min()
    });
    // A real link (or one built on a real link) first: not a kill switch's dummy interface,
    // even when its default route has the lower metric. A virtual link only when nothing real
    // is there (a container's or namespace's veth).
    // When the VPN owns the only default route, the link it runs over is the one that carries
    // the route to the VPN server (a host route through a gateway, which OpenVPN, openconnect
    // and vpnc add), else one that has any route at all, rather than any link that is up.
    let physical_up: Vec<&Interface> = interfaces.iter().filter(|i| i.up && physical(i)).collect();
    let by_route = |wanted: &dyn Fn(&routing::Route) -> bool| {
        physical_up.iter().copied().find(|i| {
            routing
                .routes
                .iter()
                .any(|r| r.dev.as_deref() == Some(&i.name) && r.table != TABLE_LOCAL && wanted(r))
        })
    };
    let host_len = |r: &routing::Route| if r.dst.addr.is_ipv6() { 128 } else { 32 };
    defaults
        .iter()
        .find(|i| physical(i))
        .copied()
        .or_else(|| by_route(&|r| r.gateway.is_some() && r.dst.len == host_len(r)))
        .or_else(|| by_route(&|r| r.gateway.is_some()))
        .or_else(|| by_route(&|_| true))
        .or_else(|| physical_up.first().copied())
        .or_else(|| defaults.first().copied())
        .cloned()
}

fn link_kind(kind: IfKind) -> LinkKind {
    match kind {
        IfKind::Wired => LinkKind::Wired,
        IfKind::Wifi => LinkKind::Wifi,
        IfKind::Mobile => LinkKind::Mobile,
        _ => LinkKind::Other,
    }
}

/// What this probe reads of each interface (and a capture copies).
const NET_FILES: &[&str] = &[
    "type",
    "flags",
    "uevent",
    "tun_flags",
    "operstate",
    "ifindex",
    "iflink",
    "bonding/slaves",
];
const NET_DIRS: &[&str] = &["wireless", "brport", "bridge", "bonding", "brif"];
const NET_LINKS: &[&str] = &["phy80211", "master"];
/// What a USB network interface and its device say of themselves (never the serial number).
const USB_INTERFACE_FILES: &[&str] = &[
    "bInterfaceClass",
    "bInterfaceSubClass",
    "bInterfaceProtocol",
];
const USB_DEVICE_FILES: &[&str] = &["idVendor", "product"];
const PROC_NET: &[&str] = &[
    "proc/net/route",
    "proc/net/ipv6_route",
    "proc/net/wireless",
    "proc/net/pppoe",
];

/// What `klaar debug capture` copies for this probe: each interface and what it is built on,
/// the routing state (`klaar/routing.json`) and the route files in `/proc/net`.
pub fn capture(
    w: &crate::capture::Writer,
    from: &Root,
    summary: &mut crate::capture::Summary,
) -> Result<(), crate::capture::CaptureError> {
    w.dir(std::path::Path::new("sys/class/net"))?;
    for name in crate::sysfs::list_dir(&w.from.join("sys/class/net")).unwrap_or_default() {
        let dir = w.class_entry("sys/class/net", &name)?;
        for file in NET_FILES {
            w.file(&dir.join(file))?;
        }
        for sub in NET_DIRS
            .iter()
            .filter(|d| w.from.join(&dir).join(d).is_dir())
        {
            w.dir(&dir.join(sub))?;
        }
        for link in NET_LINKS {
            w.link(&dir.join(link))?;
        }
        // What this link is built on: lower links, a bridge's ports.
        for entry in crate::sysfs::list_dir(&w.from.join(&dir)).unwrap_or_default() {
            if entry.starts_with("lower_") {
                w.link(&dir.join(entry))?;
            }
        }
        for port in crate::sysfs::list_dir(&w.from.join(&dir).join("brif")).unwrap_or_default() {
            w.link(&dir.join("brif").join(port))?;
        }
        if w.link(&dir.join("device"))? {
            if let Some(device) = w.resolve(&dir.join("device")) {
                w.dir(&device)?;
                w.link(&device.join("driver"))?;
                for file in USB_INTERFACE_FILES {
                    w.file(&device.join(file))?;
                }
                if let Some(parent) = device.parent() {
                    for file in USB_DEVICE_FILES {
                        w.file(&parent.join(file))?;
                    }
                }
            }
        }
        summary.interfaces += 1;
    }
    // Policy routing, every table, addresses and IPsec policies: what the live network check
    // decides by. Read from the kernel, or copied when capturing a replayed tree.
    let routing =
        routing_of(from).map_err(|e| crate::capture::CaptureError::Read(e.to_string()))?;
    let json = serde_json::to_string_pretty(&routing).expect("routing serialises");
    w.write(std::path::Path::new(ROUTING_FILE), json.as_bytes())?;
    for file in PROC_NET {
        w.file(std::path::Path::new(file))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use routing::{Address, Net, Route, RouteKind};

    fn iface(name: &str, kind: IfKind) -> Interface {
        Interface {
            name: name.into(),
            kind,
            up: true,
            lowers: Vec::new(),
        }
    }

    fn route(table: u32, dst: &str, dev: &str, metric: u32) -> Route {
        Route {
            table,
            dst: Net::try_from(dst.to_string()).unwrap(),
            kind: RouteKind::Unicast,
            dev: Some(dev.into()),
            gateway: None,
            src: None,
            metric,
        }
    }

    fn via(name: &str) -> Vec<(IpAddr, Hop)> {
        egress::internet()
            .filter(IpAddr::is_ipv4)
            .map(|to| {
                (
                    to,
                    Hop {
                        interface: name.into(),
                        src: None,
                    },
                )
            })
            .collect()
    }

    fn default_via(name: &str) -> Routing {
        Routing {
            routes: vec![route(TABLE_MAIN, "0.0.0.0/0", name, 600)],
            ..Routing::default()
        }
    }

    #[test]
    fn wireguard_in_its_own_table_is_a_full_tunnel_over_wifi() {
        let ifs = [
            iface("wlan0", IfKind::Wifi),
            iface("wg0", IfKind::WireGuard),
        ];
        let c = decide(&ifs, &default_via("wlan0"), &via("wg0"), |_| Some(-60));
        assert_eq!(c.network.kind, LinkKind::Wifi);
        assert_eq!(c.network.interface.as_deref(), Some("wlan0"));
        assert_eq!(c.network.tunnel.as_deref(), Some("wg0"));
        assert_eq!(c.network.signal_dbm, Some(-60));
        assert_eq!(
            c.vpn,
            VpnFacts {
                active: true,
                interfaces: vec!["wg0".into()],
                full_tunnel: Some(true),
                ipsec: false,
                ipsec_unknown: None,
            }
        );
    }

    #[test]
    fn split_tunnel_leaves_internet_on_the_wire() {
        let ifs = [iface("eth0", IfKind::Wired), iface("tun0", IfKind::Tun)];
        let mut routing = default_via("eth0");
        routing
            .routes
            .push(route(TABLE_MAIN, "10.0.0.0/8", "tun0", 0));
        let c = decide(&ifs, &routing, &via("eth0"), |_| None);
        assert_eq!(c.network.kind, LinkKind::Wired);
        assert_eq!(c.vpn.full_tunnel, Some(false));
    }

    #[test]
    fn an_idle_tunnel_is_no_vpn() {
        // Up, with only the IPv6 link-local address every interface gets: nothing routes into it.
        let ifs = [
            iface("eth0", IfKind::Wired),
            iface("tailscale0", IfKind::Tun),
        ];
        let mut routing = default_via("eth0");
        routing.addresses.push(Address {
            interface: "tailscale0".into(),
            addr: "fe80::1".parse().unwrap(),
            prefix_len: 64,
        });
        let c = decide(&ifs, &routing, &via("eth0"), |_| None);
        assert!(!c.vpn.active);
        assert_eq!(c.vpn.interfaces, Vec::<String>::new());
        assert_eq!(c.vpn.full_tunnel, None);
    }

    #[test]
    fn a_bridge_over_a_cable_is_wired_and_over_wifi_keeps_the_signal() {
        let mut br0 = iface("br0", IfKind::Stacked);
        br0.lowers = vec!["eth0".into()];
        let ifs = [iface("eth0", IfKind::Wired), br0.clone()];
        let c = decide(&ifs, &default_via("br0"), &via("br0"), |_| None);
        assert_eq!(
            (c.network.kind, c.network.interface.as_deref()),
            (LinkKind::Wired, Some("br0"))
        );
        br0.lowers = vec!["wlan0".into()];
        let ifs = [iface("wlan0", IfKind::Wifi), br0];
        let c = decide(&ifs, &default_via("br0"), &via("br0"), |n| {
            (n == "wlan0").then_some(-61)
        });
        assert_eq!(
            (c.network.kind, c.network.signal_dbm),
            (LinkKind::Wifi, Some(-61))
        );
    }

    #[test]
    fn ipv6_around_an_ipv4_only_vpn_is_no_full_tunnel() {
        let ifs = [iface("wlan0", IfKind::Wifi), iface("tun0", IfKind::Tun)];
        let mut ways = via("tun0");
        ways.push((
            "2620:fe::fe".parse().unwrap(),
            Hop {
                interface: "wlan0".into(),
                src: None,
            },
        ));
        let c = decide(&ifs, &default_via("wlan0"), &ways, |_| None);
        assert_eq!(c.network.tunnel.as_deref(), Some("tun0"));
        assert_eq!((c.vpn.active, c.vpn.full_tunnel), (true, Some(false)));
    }

    #[test]
    fn a_split_tunnel_that_includes_one_public_network_is_still_split() {
        // An organisation that owns 9.0.0.0/8 routes it into its VPN with its own 10/8.
        let ifs = [iface("wlan0", IfKind::Wifi), iface("tun0", IfKind::Tun)];
        let mut routing = default_via("wlan0");
        routing
            .routes
            .push(route(TABLE_MAIN, "9.0.0.0/8", "tun0", 0));
        routing
            .routes
            .push(route(TABLE_MAIN, "10.0.0.0/8", "tun0", 0));
        let c = decide(&ifs, &routing, &ways_out(&routing), |_| None);
        assert_eq!((c.vpn.active, c.vpn.full_tunnel), (true, Some(false)));
    }

    #[test]
    fn a_kill_switch_dummy_is_not_the_link_under_the_vpn() {
        // ProtonVPN's kill switch: a dummy interface with the lowest-metric default route.
        let ifs = [
            iface("wlan0", IfKind::Wifi),
            iface("pvpnksintrf0", IfKind::Dummy),
            iface("proton0", IfKind::WireGuard),
        ];
        let mut routing = default_via("wlan0");
        routing
            .routes
            .push(route(TABLE_MAIN, "0.0.0.0/0", "pvpnksintrf0", 95));
        let c = decide(&ifs, &routing, &via("proton0"), |_| Some(-60));
        assert_eq!(
            (c.network.kind, c.network.interface.as_deref()),
            (LinkKind::Wifi, Some("wlan0"))
        );
    }

    #[test]
    fn under_a_vpn_that_owns_the_only_default_route_the_link_to_its_server_counts() {
        // vpnc-script replaced the default with tun0; the VPN server is reached over Wi-Fi; a
        // cable to a NAS carries only its own network.
        let ifs = [
            iface("enp0s31f6", IfKind::Wired),
            iface("tun0", IfKind::Tun),
            iface("wlp0s20f3", IfKind::Wifi),
        ];
        let mut server = route(TABLE_MAIN, "198.51.100.7/32", "wlp0s20f3", 0);
        server.gateway = "192.168.1.1".parse().ok();
        let routing = Routing {
            routes: vec![
                route(TABLE_MAIN, "0.0.0.0/0", "tun0", 0),
                server,
                route(TABLE_MAIN, "192.168.1.0/24", "wlp0s20f3", 600),
                route(TABLE_MAIN, "192.168.100.0/24", "enp0s31f6", 100),
            ],
            ..Routing::default()
        };
        let c = decide(&ifs, &routing, &via("tun0"), |_| Some(-58));
        assert_eq!(
            (c.network.kind, c.network.interface.as_deref()),
            (LinkKind::Wifi, Some("wlp0s20f3"))
        );
    }

    #[test]
    fn a_ppp_link_is_what_runs_it() {
        let with = |procs: &[(&str, &[&str])], pppoe: bool| {
            let procs: Vec<(String, Vec<String>)> = procs
                .iter()
                .map(|(c, a)| (c.to_string(), a.iter().map(|s| s.to_string()).collect()))
                .collect();
            ppp_kind(&procs, pppoe)
        };
        // A 3G/4G stick dialled by pppd, also from a peers file (`pppd call provider`).
        assert_eq!(
            with(&[("pppd", &["/dev/ttyUSB0", "460800"])], false),
            IfKind::Mobile
        );
        assert_eq!(with(&[("pppd", &["call"])], false), IfKind::Mobile);
        // DSL dialled by the computer: the kernel's PPPoE session, the plugin, or the userspace
        // pppoe program on a pseudo-terminal.
        assert_eq!(with(&[("pppd", &["call"])], true), IfKind::Wired);
        assert_eq!(with(&[("pppd", &["rp-pppoe.so"])], false), IfKind::Wired);
        assert_eq!(
            with(&[("pppd", &["pty", "/usr/sbin/pppoe"])], false),
            IfKind::Wired
        );
        // VPNs over PPP: openfortivpn runs pppd on a pseudo-terminal; L2TP through its plugin.
        assert_eq!(
            with(&[("openfortivpn", &[]), ("pppd", &["pty"])], false),
            IfKind::Ppp
        );
        assert_eq!(with(&[("pppd", &["pppol2tp.so"])], false), IfKind::Ppp);
        assert_eq!(with(&[("nm-fortisslvpn-", &[])], false), IfKind::Ppp);
    }

    #[test]
    fn the_main_way_is_the_one_most_addresses_take() {
        let hop = |n: &str| Hop {
            interface: n.into(),
            src: None,
        };
        let ways = [
            ("9.9.9.9".parse().unwrap(), hop("tun0")),
            ("1.1.1.1".parse().unwrap(), hop("wlan0")),
            ("8.8.8.8".parse().unwrap(), hop("wlan0")),
            ("2620:fe::fe".parse().unwrap(), hop("tun0")),
        ];
        assert_eq!(main_way(&ways).unwrap().interface, "wlan0");
        assert_eq!(main_way(&ways[3..]).unwrap().interface, "tun0");
        assert_eq!(main_way(&[]), None);
    }

    #[test]
    fn no_route_is_no_network() {
        let ifs = [Interface {
            up: false,
            ..iface("wlan0", IfKind::Wifi)
        }];
        let c = decide(&ifs, &Routing::default(), &[], |_| None);
        assert_eq!(c.network.kind, LinkKind::None);
        assert_eq!(c.vpn.full_tunnel, None);
    }
}
