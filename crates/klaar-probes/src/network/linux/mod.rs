//! Linux: interfaces from sysfs, the egress interface from the kernel (or, when replaying a
//! captured machine, from its route files), Wi-Fi signal from `/proc/net/wireless`.

mod interfaces;
mod routes;
mod wireless;

use super::egress;
use crate::sysfs::read_opt;
use crate::Root;
use interfaces::{IfKind, Interface};
use klaar_facts::{Connectivity, LinkKind, NetworkFacts, ProbeError, VpnFacts};
use routes::Route;

pub fn probe(root: &Root) -> Result<Connectivity, ProbeError> {
    let interfaces = interfaces::read_all(root)?;
    let v4 = routes::parse_ipv4(&read_opt(&root.join("proc/net/route"))?.unwrap_or_default());
    let v6 = routes::parse_ipv6(&read_opt(&root.join("proc/net/ipv6_route"))?.unwrap_or_default());
    let egress = if root.is_replay() {
        None
    } else {
        kernel_egress()
    }
    .or_else(|| table_egress(&v4, &v6));
    let wireless = read_opt(&root.join("proc/net/wireless"))?.unwrap_or_default();
    Ok(decide(&interfaces, egress.as_deref(), &v4, &v6, |name| {
        wireless::signal_dbm(&wireless, name)
    }))
}

/// `Some(name)` of the egress interface, or `None` when the kernel could not be asked (then the
/// route files answer). An unreachable internet is `Some("")`.
fn kernel_egress() -> Option<String> {
    match egress::local_address() {
        Ok(Some(addr)) => egress::interface_with(addr),
        Ok(None) => Some(String::new()),
        Err(_) => None,
    }
}

fn table_egress(v4: &[Route], v6: &[Route]) -> Option<String> {
    routes::lookup_v4(v4, std::net::Ipv4Addr::new(9, 9, 9, 9))
        .or_else(|| routes::lookup_v6(v6, "2620:fe::fe".parse().expect("constant")))
        .map(|r| r.interface.clone())
}

/// Pure: from interfaces, the egress interface and the main table to the facts.
fn decide(
    interfaces: &[Interface],
    egress: Option<&str>,
    v4: &[Route],
    v6: &[Route],
    signal: impl Fn(&str) -> Option<i32>,
) -> Connectivity {
    let find = |name: &str| interfaces.iter().find(|i| i.name == name);
    let tunnels: Vec<String> = interfaces
        .iter()
        .filter(|i| i.up && i.kind.is_tunnel())
        .map(|i| i.name.clone())
        .collect();
    let egress = egress.filter(|e| !e.is_empty()).map(|name| {
        // An interface we cannot see in sysfs (another namespace, a race) counts as "other".
        find(name).cloned().unwrap_or(Interface {
            name: name.to_string(),
            kind: IfKind::Virtual,
            up: true,
        })
    });
    let tunnel = egress
        .as_ref()
        .filter(|e| e.kind.is_tunnel())
        .map(|e| e.name.clone());
    // Under a VPN the user's link is the one the tunnel runs over: the main table's default route
    // (wg-quick and OpenVPN leave it in place), else any physical link that is up.
    let underlay = match &egress {
        Some(e) if e.kind.is_tunnel() => underlay(interfaces, v4, v6),
        other => other.clone(),
    };
    let kind = match (&egress, &underlay) {
        (None, _) => LinkKind::None,
        (Some(_), None) => LinkKind::Other,
        (Some(_), Some(link)) => link_kind(link.kind),
    };
    let interface = underlay.as_ref().map(|u| u.name.clone());
    let signal_dbm = underlay
        .as_ref()
        .filter(|u| u.kind == IfKind::Wifi)
        .and_then(|u| signal(&u.name));
    let full_tunnel = if tunnels.is_empty() || egress.is_none() {
        None
    } else {
        Some(tunnel.is_some())
    };
    Connectivity {
        network: NetworkFacts {
            kind,
            interface,
            signal_dbm,
            tunnel,
        },
        vpn: VpnFacts {
            active: !tunnels.is_empty(),
            interfaces: tunnels,
            full_tunnel,
        },
    }
}

fn underlay(interfaces: &[Interface], v4: &[Route], v6: &[Route]) -> Option<Interface> {
    let usable = |name: &str| {
        interfaces
            .iter()
            .find(|i| i.name == name && i.up && !i.kind.is_tunnel() && i.kind != IfKind::Loopback)
    };
    let mut defaults: Vec<&Route> = v4.iter().chain(v6).filter(|r| r.is_default()).collect();
    defaults.sort_by_key(|r| r.metric);
    defaults
        .into_iter()
        .find_map(|r| usable(&r.interface))
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

    fn iface(name: &str, kind: IfKind) -> Interface {
        Interface {
            name: name.into(),
            kind,
            up: true,
        }
    }

    fn default_via(name: &str) -> Vec<Route> {
        routes::parse_ipv4(&format!(
            "h\n{name}\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
        ))
    }

    #[test]
    fn wireguard_in_its_own_table_is_a_full_tunnel_over_wifi() {
        let ifs = [
            iface("wlan0", IfKind::Wifi),
            iface("wg0", IfKind::WireGuard),
        ];
        let c = decide(&ifs, Some("wg0"), &default_via("wlan0"), &[], |_| Some(-60));
        assert_eq!(c.network.kind, LinkKind::Wifi);
        assert_eq!(c.network.interface.as_deref(), Some("wlan0"));
        assert_eq!(c.network.tunnel.as_deref(), Some("wg0"));
        assert_eq!(c.network.signal_dbm, Some(-60));
        assert_eq!(
            c.vpn,
            VpnFacts {
                active: true,
                interfaces: vec!["wg0".into()],
                full_tunnel: Some(true)
            }
        );
    }

    #[test]
    fn split_tunnel_leaves_internet_on_the_wire() {
        let ifs = [iface("eth0", IfKind::Wired), iface("tun0", IfKind::Tun)];
        let c = decide(&ifs, Some("eth0"), &default_via("eth0"), &[], |_| None);
        assert_eq!(c.network.kind, LinkKind::Wired);
        assert_eq!(c.vpn.full_tunnel, Some(false));
    }

    #[test]
    fn no_route_is_no_network() {
        let ifs = [Interface {
            up: false,
            ..iface("wlan0", IfKind::Wifi)
        }];
        let c = decide(&ifs, None, &[], &[], |_| None);
        assert_eq!(c.network.kind, LinkKind::None);
        assert_eq!(c.vpn.full_tunnel, None);
    }
}
