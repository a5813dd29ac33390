//! macOS and Windows: netdev's interface list and the kernel's choice of egress address.

use super::egress;
use crate::Root;
use klaar_facts::{Connectivity, LinkKind, NetworkFacts, ProbeError, VpnFacts};
use netdev::interface::types::InterfaceType;
use netdev::Interface;

pub fn probe(_root: &Root) -> Result<Connectivity, ProbeError> {
    let interfaces = netdev::get_interfaces();
    let egress_addr = egress::local_address().map_err(|e| ProbeError::Unreadable {
        path: "routing table".into(),
        reason: e.to_string(),
    })?;
    let egress = egress_addr.and_then(|addr| interfaces.iter().find(|i| egress::holds(i, addr)));
    let tunnels: Vec<String> = interfaces
        .iter()
        .filter(|i| i.is_up() && is_tunnel(i))
        .map(|i| i.name.clone())
        .collect();
    let tunnel = egress.filter(|e| is_tunnel(e)).map(|e| e.name.clone());
    let underlay = match egress {
        Some(e) if is_tunnel(e) => interfaces
            .iter()
            .find(|i| i.is_up() && !is_tunnel(i) && i.gateway.is_some()),
        other => other,
    };
    let kind = match (egress_addr, underlay) {
        (None, _) => LinkKind::None,
        (Some(_), None) => LinkKind::Other,
        (Some(_), Some(link)) => kind_of(link),
    };
    let full_tunnel = if tunnels.is_empty() || egress_addr.is_none() {
        None
    } else {
        Some(tunnel.is_some())
    };
    Ok(Connectivity {
        network: NetworkFacts {
            kind,
            interface: underlay.map(|u| u.name.clone()),
            signal_dbm: None,
            tunnel,
        },
        vpn: VpnFacts {
            active: !tunnels.is_empty(),
            interfaces: tunnels,
            full_tunnel,
            ipsec: false,
            ipsec_unknown: None,
        },
    })
}

/// macOS names its tunnels utun/ipsec/ppp; Windows adapters say so in their type.
fn is_tunnel(i: &Interface) -> bool {
    matches!(i.if_type, InterfaceType::Tunnel | InterfaceType::Ppp)
        || ["utun", "ipsec", "ppp", "tun", "tap", "wg"]
            .iter()
            .any(|p| i.name.starts_with(p))
}

fn kind_of(i: &Interface) -> LinkKind {
    match i.if_type {
        InterfaceType::Wireless80211 => LinkKind::Wifi,
        InterfaceType::Ethernet
        | InterfaceType::GigabitEthernet
        | InterfaceType::FastEthernetT
        | InterfaceType::FastEthernetFx => LinkKind::Wired,
        InterfaceType::Wwanpp | InterfaceType::Wwanpp2 => LinkKind::Mobile,
        _ => LinkKind::Other,
    }
}
