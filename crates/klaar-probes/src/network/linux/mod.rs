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
use routing::{Flow, Routing, TABLE_MAIN};
use std::net::IpAddr;

/// Where a captured machine's routing state is kept, relative to the root.
pub const ROUTING_FILE: &str = "klaar/routing.json";

/// Public addresses that stand in for "the internet" (as in `egress`): nothing is sent to them.
fn public(v6: bool) -> IpAddr {
    if v6 {
        "2620:fe::fe".parse().expect("constant")
    } else {
        "9.9.9.9".parse().expect("constant")
    }
}

pub fn probe(root: &Root) -> Result<Connectivity, ProbeError> {
    let interfaces = interfaces::read_all(root)?;
    let routing = routing_of(root)?;
    let uid = routing.uid;
    let egress = if root.is_replay() {
        None
    } else {
        kernel_egress(&routing)
    }
    .or_else(|| Some(table_egress(&routing, uid)));
    let wireless = read_opt(&root.join("proc/net/wireless"))?.unwrap_or_default();
    let mut facts = decide(
        &interfaces,
        &routing,
        egress.flatten().as_ref(),
        uid,
        |name| wireless::signal_dbm(&wireless, name),
    );
    if routing.xfrm_policies.is_none() && !facts.vpn.active {
        facts.vpn.ipsec_unknown = ike_daemon(root);
    }
    Ok(facts)
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

/// The first IKE daemon among the running processes (`/proc/*/comm` under the root).
fn ike_daemon(root: &Root) -> Option<String> {
    let proc_dir = root.join("proc");
    crate::sysfs::list_dir(&proc_dir)
        .ok()?
        .into_iter()
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pid| std::fs::read_to_string(proc_dir.join(pid).join("comm")).ok())
        .map(|comm| comm.trim_end().to_string())
        .find(|comm| IKE_DAEMONS.contains(&comm.as_str()))
}

/// The routing state: from the kernel live, from the capture when replaying.
///
/// Errors: a captured `klaar/routing.json` that does not parse ([`ProbeError::Garbage`] with
/// the line and column), or an unreadable route file.
pub fn routing_of(root: &Root) -> Result<Routing, ProbeError> {
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
    } else if let Ok(routing) = netlink::read() {
        return Ok(routing);
    }
    let v4 = routes::parse_ipv4(&read_opt(&root.join("proc/net/route"))?.unwrap_or_default());
    let v6 = routes::parse_ipv6(&read_opt(&root.join("proc/net/ipv6_route"))?.unwrap_or_default());
    Ok(Routing::from_route_files(&v4, &v6))
}

/// Where traffic to the internet leaves: an interface and the source address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Egress {
    pub interface: String,
    pub src: Option<IpAddr>,
}

/// Asked of the kernel: `Some(None)` when no route leads out, `None` when it could not be asked.
fn kernel_egress(routing: &Routing) -> Option<Option<Egress>> {
    match egress::local_address() {
        Ok(Some(addr)) => {
            let interface = routing
                .addresses
                .iter()
                .find(|a| a.addr == addr)
                .map(|a| a.interface.clone())
                .or_else(|| egress::interface_with(addr))?;
            Some(Some(Egress {
                interface,
                src: Some(addr),
            }))
        }
        Ok(None) => Some(None),
        Err(_) => None,
    }
}

/// Worked out from the routing state, as the kernel would: IPv4 first, then IPv6.
fn table_egress(routing: &Routing, uid: u32) -> Option<Egress> {
    [false, true].into_iter().find_map(|v6| {
        routing
            .egress(public(v6), uid)
            .map(|(interface, src)| Egress { interface, src })
    })
}

/// Pure: from interfaces, the routing state and the egress to the facts.
fn decide(
    interfaces: &[Interface],
    routing: &Routing,
    egress: Option<&Egress>,
    uid: u32,
    signal: impl Fn(&str) -> Option<i32>,
) -> Connectivity {
    let find = |name: &str| interfaces.iter().find(|i| i.name == name);
    let egress_name = egress.map(|e| e.interface.as_str());
    // A tunnel is a VPN in use only when something routes into it: an interface that is up
    // without an address, route or rule (a VPN client switched off) carries nothing.
    let tunnels: Vec<String> = interfaces
        .iter()
        .filter(|i| i.up && i.kind.is_tunnel())
        .filter(|i| egress_name == Some(i.name.as_str()) || routing.carries(&i.name))
        .map(|i| i.name.clone())
        .collect();
    let egress_if = egress.map(|e| {
        // An interface we cannot see in sysfs (another namespace, a race) counts as "other".
        find(&e.interface).cloned().unwrap_or(Interface {
            name: e.interface.clone(),
            kind: IfKind::Virtual,
            up: true,
            lowers: Vec::new(),
        })
    });
    let tunnel = egress_if
        .as_ref()
        .filter(|e| e.kind.is_tunnel())
        .map(|e| e.name.clone());
    // Policy-based IPsec has no interface: the kernel's IPsec policies decide whether traffic
    // from our source address to the internet goes into a tunnel.
    let flow = egress.map(|e| Flow {
        src: e.src,
        ..Flow::to(public(e.src.is_some_and(|s| s.is_ipv6())), uid)
    });
    let ipsec_full = flow.and_then(|f| routing.ipsec_covers(&f)) == Some(true);
    let ipsec = ipsec_full || routing.ipsec_tunnels_anything() == Some(true);
    // Under a VPN the user's link is the one the tunnel runs over: the main table's default route
    // (wg-quick and OpenVPN leave it in place), else any physical link that is up.
    let underlay = match &egress_if {
        Some(e) if e.kind.is_tunnel() => underlay(interfaces, routing),
        other => other.clone(),
    };
    let kind = match (&egress_if, &underlay) {
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
    let full_tunnel = if !active || egress.is_none() {
        None
    } else {
        Some(tunnel.is_some() || ipsec_full)
    };
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
    let usable = |name: &str| {
        interfaces
            .iter()
            .find(|i| i.name == name && i.up && !i.kind.is_tunnel() && i.kind != IfKind::Loopback)
    };
    let mut defaults: Vec<&routing::Route> = routing
        .routes
        .iter()
        .filter(|r| r.table == TABLE_MAIN && r.dst.len == 0)
        .collect();
    defaults.sort_by_key(|r| r.metric);
    defaults
        .into_iter()
        .find_map(|r| usable(r.dev.as_deref()?))
        .or_else(|| interfaces.iter().find(|i| i.up && i.kind.is_physical()))
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

    fn via(name: &str) -> Egress {
        Egress {
            interface: name.into(),
            src: None,
        }
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
        let c = decide(&ifs, &default_via("wlan0"), Some(&via("wg0")), 0, |_| {
            Some(-60)
        });
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
        let c = decide(&ifs, &routing, Some(&via("eth0")), 0, |_| None);
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
        let c = decide(&ifs, &routing, Some(&via("eth0")), 0, |_| None);
        assert!(!c.vpn.active);
        assert_eq!(c.vpn.interfaces, Vec::<String>::new());
        assert_eq!(c.vpn.full_tunnel, None);
    }

    #[test]
    fn a_bridge_over_a_cable_is_wired_and_over_wifi_keeps_the_signal() {
        let mut br0 = iface("br0", IfKind::Stacked);
        br0.lowers = vec!["eth0".into()];
        let ifs = [iface("eth0", IfKind::Wired), br0.clone()];
        let c = decide(&ifs, &default_via("br0"), Some(&via("br0")), 0, |_| None);
        assert_eq!(
            (c.network.kind, c.network.interface.as_deref()),
            (LinkKind::Wired, Some("br0"))
        );
        br0.lowers = vec!["wlan0".into()];
        let ifs = [iface("wlan0", IfKind::Wifi), br0];
        let c = decide(&ifs, &default_via("br0"), Some(&via("br0")), 0, |n| {
            (n == "wlan0").then_some(-61)
        });
        assert_eq!(
            (c.network.kind, c.network.signal_dbm),
            (LinkKind::Wifi, Some(-61))
        );
    }

    #[test]
    fn no_route_is_no_network() {
        let ifs = [Interface {
            up: false,
            ..iface("wlan0", IfKind::Wifi)
        }];
        let c = decide(&ifs, &Routing::default(), None, 0, |_| None);
        assert_eq!(c.network.kind, LinkKind::None);
        assert_eq!(c.vpn.full_tunnel, None);
    }
}
