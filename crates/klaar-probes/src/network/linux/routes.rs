//! `/proc/net/route` and `/proc/net/ipv6_route`: the main routing table as text. Used when a
//! captured machine is replayed, and to find the link a tunnel runs over.

use std::net::{Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub interface: String,
    pub prefix: u8,
    pub metric: u32,
    dest: u128,
    v6: bool,
}

impl Route {
    pub fn is_default(&self) -> bool {
        self.prefix == 0
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

fn covers(route: &Route, addr: u128, bits: u32) -> bool {
    let prefix = u32::from(route.prefix);
    prefix == 0 || (route.dest >> (bits - prefix)) == (addr >> (bits - prefix))
}

/// The route the table picks: the longest prefix, then the lowest metric.
pub fn lookup_v4(routes: &[Route], addr: Ipv4Addr) -> Option<&Route> {
    let addr = u128::from(u32::from(addr));
    best(
        routes
            .iter()
            .filter(|r| !r.v6 && r.prefix <= 32 && covers(r, addr, 32)),
    )
}

pub fn lookup_v6(routes: &[Route], addr: Ipv6Addr) -> Option<&Route> {
    let addr = u128::from(addr);
    best(routes.iter().filter(|r| r.v6 && covers(r, addr, 128)))
}

fn best<'a>(routes: impl Iterator<Item = &'a Route>) -> Option<&'a Route> {
    routes.min_by_key(|r| (std::cmp::Reverse(r.prefix), r.metric))
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

    #[test]
    fn openvpn_def1_beats_the_default_route() {
        let routes = parse_ipv4(OPENVPN_DEF1);
        assert_eq!(routes.len(), 4);
        assert_eq!(
            lookup_v4(&routes, "9.9.9.9".parse().unwrap())
                .unwrap()
                .interface,
            "tun0"
        );
        assert_eq!(
            lookup_v4(&routes, "200.1.1.1".parse().unwrap())
                .unwrap()
                .interface,
            "tun0"
        );
        assert_eq!(
            lookup_v4(&routes, "192.168.1.20".parse().unwrap())
                .unwrap()
                .interface,
            "wlp2s0"
        );
    }

    #[test]
    fn ipv6_default() {
        let text = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000064 00000001 00000000 00000003 enp0s31f6
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
";
        let routes = parse_ipv6(text);
        assert_eq!(routes.len(), 1);
        assert_eq!(
            lookup_v6(&routes, "2620:fe::fe".parse().unwrap())
                .unwrap()
                .interface,
            "enp0s31f6"
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC*") {
            let v4 = parse_ipv4(&text);
            let v6 = parse_ipv6(&text);
            let _ = lookup_v4(&v4, Ipv4Addr::new(9, 9, 9, 9));
            let _ = lookup_v6(&v6, Ipv6Addr::LOCALHOST);
        }

        #[test]
        fn garbage_lines_are_skipped(line in "[0-9A-Fa-f \t]{0,80}") {
            let text = format!("header\n{line}\n{}", OPENVPN_DEF1.lines().nth(1).unwrap());
            prop_assert!(parse_ipv4(&text).iter().any(|r| r.interface == "wlp2s0"));
        }
    }
}
