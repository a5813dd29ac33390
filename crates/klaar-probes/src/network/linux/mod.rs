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
use routing::{Flow, Hop, KernelAnswer, Routing, TABLE_MAIN};
use std::net::IpAddr;

/// Where a captured machine's routing state is kept, relative to the root.
pub const ROUTING_FILE: &str = "klaar/routing.json";

/// A public address that stands in for "the internet" (`egress::PUBLIC_V4`/`PUBLIC_V6`).
fn public(v6: bool) -> IpAddr {
    egress::public(v6).ip()
}

pub fn probe(root: &Root) -> Result<Connectivity, ProbeError> {
    let interfaces = interfaces::read_all(root)?;
    let mut routing = routing_of(root)?;
    if !root.is_replay() && routing.kernel.is_none() {
        routing.kernel = connect_answer(&routing);
    }
    let ways = ways_out(&routing);
    let wireless = read_opt(&root.join("proc/net/wireless"))?.unwrap_or_default();
    let mut facts = decide(&interfaces, &routing, &ways, |name| {
        wireless::signal_dbm(&wireless, name)
    });
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
    } else if let Ok(routing) = netlink::read(root) {
        return Ok(routing);
    }
    let v4 = routes::parse_ipv4(&read_opt(&root.join("proc/net/route"))?.unwrap_or_default());
    let v6 = routes::parse_ipv6(&read_opt(&root.join("proc/net/ipv6_route"))?.unwrap_or_default());
    Ok(Routing::from_route_files(&v4, &v6))
}

/// The ways out to the internet, IPv4 first: the kernel's own answer when there is one (live,
/// or recorded by a capture), else the same lookup repeated on the routing state.
fn ways_out(routing: &Routing) -> Vec<(bool, Hop)> {
    match &routing.kernel {
        Some(k) => [(false, &k.v4), (true, &k.v6)]
            .into_iter()
            .filter_map(|(v6, hop)| Some((v6, hop.clone()?)))
            .collect(),
        None => [false, true]
            .into_iter()
            .filter_map(|v6| {
                let (interface, src) = routing.egress(public(v6), routing.uid)?;
                Some((v6, Hop { interface, src }))
            })
            .collect(),
    }
}

/// When netlink could not be asked: the address a UDP `connect()` would send from, per family,
/// and the interface that holds it. `None` when even that fails.
fn connect_answer(routing: &Routing) -> Option<KernelAnswer> {
    let hop = |v6: bool| -> Option<Option<Hop>> {
        let Some(addr) = egress::local_address_for(v6).ok()? else {
            return Some(None);
        };
        let interface = routing
            .addresses
            .iter()
            .find(|a| a.addr == addr)
            .map(|a| a.interface.clone())
            .or_else(|| egress::interface_with(addr))?;
        Some(Some(Hop {
            interface,
            src: Some(addr),
        }))
    };
    Some(KernelAnswer {
        v4: hop(false)?,
        v6: hop(true)?,
    })
}

/// Pure: from interfaces, the routing state and the ways out (per family) to the facts.
fn decide(
    interfaces: &[Interface],
    routing: &Routing,
    ways: &[(bool, Hop)],
    signal: impl Fn(&str) -> Option<i32>,
) -> Connectivity {
    let find = |name: &str| interfaces.iter().find(|i| i.name == name);
    let is_tunnel = |name: &str| find(name).is_some_and(|i| i.kind.is_tunnel());
    // A tunnel is a VPN in use only when something routes into it: an interface that is up
    // without an address, route or rule (a VPN client switched off) carries nothing.
    let tunnels: Vec<String> = interfaces
        .iter()
        .filter(|i| i.up && i.kind.is_tunnel())
        .filter(|i| ways.iter().any(|(_, w)| w.interface == i.name) || routing.carries(&i.name))
        .map(|i| i.name.clone())
        .collect();
    // Policy-based IPsec has no interface: the kernel's IPsec policies decide whether traffic
    // from our source address to the internet goes into a tunnel.
    let covered = |v6: bool, hop: &Hop| {
        let flow = Flow {
            src: hop.src,
            ..Flow::to(public(v6), routing.uid)
        };
        routing.ipsec_covers(&flow) == Some(true)
    };
    let ipsec = ways.iter().any(|(v6, hop)| covered(*v6, hop))
        || routing.ipsec_tunnels_anything() == Some(true);
    let primary = ways.first().map(|(_, hop)| {
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
        .filter(|e| e.kind.is_tunnel())
        .map(|e| e.name.clone());
    // Under a VPN the user's link is the one the tunnel runs over: the main table's default route
    // (wg-quick and OpenVPN leave it in place), else any physical link that is up.
    let underlay = match &primary {
        Some(e) if e.kind.is_tunnel() => underlay(interfaces, routing),
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
    // All internet traffic goes through the VPN only when every address family that has a way
    // out goes into a tunnel: IPv6 around an IPv4-only VPN is traffic that bypasses it.
    let full_tunnel = (active && !ways.is_empty()).then(|| {
        ways.iter()
            .all(|(v6, hop)| is_tunnel(&hop.interface) || covered(*v6, hop))
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
    defaults
        .iter()
        .find(|i| physical(i))
        .copied()
        .or_else(|| interfaces.iter().find(|i| i.up && i.kind.is_physical()))
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

    fn via(name: &str) -> Vec<(bool, Hop)> {
        vec![(
            false,
            Hop {
                interface: name.into(),
                src: None,
            },
        )]
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
            true,
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
    fn a_kill_switch_dummy_is_not_the_link_under_the_vpn() {
        // ProtonVPN's kill switch: a dummy interface with the lowest-metric default route.
        let ifs = [
            iface("wlan0", IfKind::Wifi),
            iface("pvpnksintrf0", IfKind::Virtual),
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
