//! `/proc/net/route` and `/proc/net/ipv6_route`: the main routing table as text. Used when a
//! captured machine without `klaar/routing.json` (an older capture) is replayed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub interface: String,
    pub prefix: u8,
    pub metric: u32,
    dest: u128,
    v6: bool,
}

impl Route {
    /// The destination network's address.
    pub fn destination(&self) -> IpAddr {
        if self.v6 {
            IpAddr::V6(Ipv6Addr::from(self.dest))
        } else {
            IpAddr::V4(Ipv4Addr::from(self.dest as u32))
        }
    }
}

const RTF_UP: u32 = 0x1;
const RTF_REJECT: u32 = 0x200;

/// Lines that do not parse are skipped: one odd line must not hide the rest of the table.
pub fn parse_ipv4(text: &str) -> Vec<Route> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 8 {
                return None;
            }
            let flags = u32::from_str_radix(f[3], 16).ok()?;
            // The file stores addresses in host byte order: little-endian on every machine we run on.
            let dest = u32::from_str_radix(f[1], 16).ok()?.swap_bytes();
            let mask = u32::from_str_radix(f[7], 16).ok()?.swap_bytes();
            if flags & RTF_UP == 0
                || flags & RTF_REJECT != 0
                || mask.leading_ones() + mask.trailing_zeros() != 32
            {
                return None;
            }
            Some(Route {
                interface: f[0].to_string(),
                prefix: mask.leading_ones() as u8,
                metric: f[6].parse().ok()?,
                dest: u128::from(dest),
                v6: false,
            })
        })
        .collect()
}

pub fn parse_ipv6(text: &str) -> Vec<Route> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 || f[0].len() != 32 {
                return None;
            }
            let flags = u32::from_str_radix(f[8], 16).ok()?;
            let prefix = u8::from_str_radix(f[1], 16).ok().filter(|p| *p <= 128)?;
            if flags & RTF_UP == 0 || flags & RTF_REJECT != 0 || f[9] == "lo" {
                return None;
            }
            Some(Route {
                interface: f[9].to_string(),
                prefix,
                metric: u32::from_str_radix(f[5], 16).ok()?,
                dest: u128::from_str_radix(f[0], 16).ok()?,
                v6: true,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const OPENVPN_DEF1: &str =
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlp2s0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
tun0\t00000000\t0100080A\t0003\t0\t0\t0\t00000080\t0\t0\t0
tun0\t00000080\t0100080A\t0003\t0\t0\t0\t00000080\t0\t0\t0
wlp2s0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
";

    fn egress(routes: &[Route], to: &str) -> Option<String> {
        let routing = super::super::routing::Routing::from_route_files(routes, &[]);
        routing.egress(to.parse().unwrap(), 0).map(|(dev, _)| dev)
    }

    #[test]
    fn openvpn_def1_beats_the_default_route() {
        let routes = parse_ipv4(OPENVPN_DEF1);
        assert_eq!(routes.len(), 4);
        assert_eq!(
            routes[1].destination(),
            "0.0.0.0".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            routes[2].destination(),
            "128.0.0.0".parse::<IpAddr>().unwrap()
        );
        assert_eq!(egress(&routes, "9.9.9.9").as_deref(), Some("tun0"));
        assert_eq!(egress(&routes, "200.1.1.1").as_deref(), Some("tun0"));
        assert_eq!(egress(&routes, "192.168.1.20").as_deref(), Some("wlp2s0"));
    }

    #[test]
    fn ipv6_default() {
        let text = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000064 00000001 00000000 00000003 enp0s31f6
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
";
        let routes = parse_ipv6(text);
        assert_eq!(routes.len(), 1);
        let routing = super::super::routing::Routing::from_route_files(&[], &routes);
        assert_eq!(
            routing.egress("2620:fe::fe".parse().unwrap(), 0).unwrap().0,
            "enp0s31f6"
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC*") {
            let v4 = parse_ipv4(&text);
            let v6 = parse_ipv6(&text);
            let routing = super::super::routing::Routing::from_route_files(&v4, &v6);
            let _ = routing.egress(IpAddr::V4(Ipv4Addr::new(9, 9, 9, 9)), 0);
            let _ = routing.egress(IpAddr::V6(Ipv6Addr::LOCALHOST), 0);
        }

        #[test]
        fn garbage_lines_are_skipped(line in "[0-9A-Fa-f \t]{0,80}") {
            let text = format!("header\n{line}\n{}", OPENVPN_DEF1.lines().nth(1).unwrap());
            prop_assert!(parse_ipv4(&text).iter().any(|r| r.interface == "wlp2s0"));
        }
    }
}
