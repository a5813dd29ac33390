//! Where traffic goes, as the kernel decides it: policy rules, every routing table, the
//! interfaces' addresses and the IPsec (xfrm) policies. Read live over netlink (`netlink.rs`),
//! written by `klaar debug capture` as `klaar/routing.json`, and read back from there when a
//! captured machine is replayed, so a replay answers as the live machine did.
//!
//! [`Routing::egress`] repeats the kernel's lookup for a packet to a public address (rules by
//! priority, longest prefix, then metric; `suppress_prefixlength`, `throw`, fwmark and uid
//! selectors) so a replay finds the same way out as the `connect()` the live probe asks.

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// The main, local and default tables (`ip route show table main` …).
pub const TABLE_MAIN: u32 = 254;
pub const TABLE_LOCAL: u32 = 255;
pub const TABLE_DEFAULT: u32 = 253;
const PROTO_UDP: u8 = 17;

/// A network prefix such as `10.0.0.0/8` or `::/0`; written as that text in `routing.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Net {
    pub addr: IpAddr,
    pub len: u8,
}

impl Net {
    pub fn new(addr: IpAddr, len: u8) -> Net {
        Net { addr, len }
    }

    /// `0.0.0.0/0` or `::/0` for the family of `like`.
    pub fn any(like: IpAddr) -> Net {
        match like {
            IpAddr::V4(_) => Net::new(IpAddr::V4(0.into()), 0),
            IpAddr::V6(_) => Net::new(IpAddr::V6(0.into()), 0),
        }
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        let (Some(a), Some(b)) = (bits(self.addr), bits(addr)) else {
            return false;
        };
        if a.1 != b.1 {
            return false;
        }
        let len = u32::from(self.len).min(a.1);
        len == 0 || (a.0 >> (a.1 - len)) == (b.0 >> (a.1 - len))
    }
}

/// An address as a number and its width in bits (32 or 128).
fn bits(addr: IpAddr) -> Option<(u128, u32)> {
    match addr {
        IpAddr::V4(a) => Some((u128::from(u32::from(a)), 32)),
        IpAddr::V6(a) => Some((u128::from(a), 128)),
    }
}

impl From<Net> for String {
    fn from(n: Net) -> String {
        format!("{}/{}", n.addr, n.len)
    }
}

impl TryFrom<String> for Net {
    type Error = String;
    fn try_from(text: String) -> Result<Net, String> {
        let (addr, len) = text.split_once('/').unwrap_or((&text, ""));
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text:?} is not an address with a prefix, like 10.0.0.0/8"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let len = if len.is_empty() {
            max
        } else {
            len.parse::<u8>()
                .ok()
                .filter(|l| *l <= max)
                .ok_or_else(|| format!("{text:?} has no valid prefix length"))?
        };
        Ok(Net { addr, len })
    }
}

/// What a route does with a packet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    #[default]
    Unicast,
    /// The machine's own addresses (local table).
    Local,
    Broadcast,
    Unreachable,
    Blackhole,
    Prohibit,
    /// Go on with the next rule.
    Throw,
    Other,
}

/// One route of any table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub table: u32,
    pub dst: Net,
    #[serde(default)]
    pub kind: RouteKind,
    /// The interface, by name (the first next hop's for a multipath route).
    #[serde(default)]
    pub dev: Option<String>,
    #[serde(default)]
    pub gateway: Option<IpAddr>,
    /// The preferred source address (`src` in `ip route`).
    #[serde(default)]
    pub src: Option<IpAddr>,
    #[serde(default)]
    pub metric: u32,
}

/// What a rule does when it matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// Look the packet up in `table`.
    #[default]
    Lookup,
    /// Go on at the first rule with at least this priority.
    Goto(u32),
    Nop,
    Blackhole,
    Unreachable,
    Prohibit,
}

/// One policy-routing rule (`ip rule`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub priority: u32,
    pub v6: bool,
    #[serde(default)]
    pub invert: bool,
    #[serde(default)]
    pub src: Option<Net>,
    #[serde(default)]
    pub dst: Option<Net>,
    #[serde(default)]
    pub iif: Option<String>,
    #[serde(default)]
    pub oif: Option<String>,
    #[serde(default)]
    pub fwmark: Option<u32>,
    #[serde(default)]
    pub fwmask: Option<u32>,
    #[serde(default)]
    pub uid_range: Option<(u32, u32)>,
    #[serde(default)]
    pub ip_proto: Option<u8>,
    #[serde(default)]
    pub dport_range: Option<(u16, u16)>,
    #[serde(default)]
    pub sport_range: Option<(u16, u16)>,
    /// Selectors Klaar does not model (tos, l3mdev, tunnel id…): such a rule never matches.
    #[serde(default)]
    pub unmodelled: bool,
    pub action: RuleAction,
    #[serde(default)]
    pub table: u32,
    /// Ignore a result whose prefix is this long or shorter (wg-quick's "suppress_prefixlength 0").
    #[serde(default)]
    pub suppress_prefixlen: Option<u32>,
}

/// An address of an interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub interface: String,
    pub addr: IpAddr,
    pub prefix_len: u8,
}

impl Address {
    /// An address other machines can send to: not link-local (`fe80::/10`, `169.254.0.0/16`,
    /// which the kernel gives every IPv6 interface) and not loopback.
    pub fn is_routable(&self) -> bool {
        match self.addr {
            IpAddr::V4(a) => !a.is_link_local() && !a.is_loopback(),
            IpAddr::V6(a) => (a.segments()[0] & 0xffc0) != 0xfe80 && !a.is_loopback(),
        }
    }
}

/// One IPsec security policy (`ip xfrm policy`), as far as "does it carry this traffic" needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct XfrmPolicy {
    /// "in", "out" or "fwd".
    pub dir: String,
    pub src: Net,
    pub dst: Net,
    /// 0 for any protocol.
    #[serde(default)]
    pub proto: u8,
    /// 0 for any port.
    #[serde(default)]
    pub dport: u16,
    pub priority: u32,
    /// false for "block".
    pub allow: bool,
    /// It sends matching traffic through an IPsec tunnel (a template in tunnel mode).
    pub tunnel: bool,
    /// The policy applies only to packets with this firewall mark (value, mask): route-based
    /// setups (VTI) mark their own traffic.
    #[serde(default)]
    pub mark: Option<(u32, u32)>,
    /// The policy applies only to traffic of this xfrm interface (0: any traffic).
    #[serde(default)]
    pub if_id: u32,
}

impl XfrmPolicy {
    /// Ordinary traffic meets this policy: it asks for no firewall mark and no xfrm interface.
    fn for_ordinary_traffic(&self) -> bool {
        self.if_id == 0 && self.mark.is_none_or(|(value, mask)| value & mask == 0)
    }
}

/// Everything that decides where a packet goes. `xfrm_policies` is `None` when the kernel would
/// not tell (reading IPsec policies needs administrator rights).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// The user the check ran as: rules can select by uid.
    #[serde(default)]
    pub uid: u32,
    pub rules: Vec<Rule>,
    pub routes: Vec<Route>,
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub xfrm_policies: Option<Vec<XfrmPolicy>>,
    /// What the kernel itself answered for a datagram to the internet (`ip route get`), when it
    /// was asked: the live machine's way out, which a replay then repeats.
    #[serde(default)]
    pub kernel: Option<KernelAnswer>,
    /// Only the main table is known (`/proc/net/route`, an older capture): other tables, rules
    /// and addresses are missing, so a tunnel cannot be called idle.
    #[serde(default)]
    pub partial: bool,
}

/// The kernel's answer for each of the public addresses Klaar asks about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelAnswer {
    pub ways: Vec<Way>,
}

/// How a datagram to `to` leaves; `via` is `None` when no route leads there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Way {
    pub to: IpAddr,
    pub via: Option<Hop>,
}

/// The interface a packet leaves by, and the address it is sent from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub interface: String,
    #[serde(default)]
    pub src: Option<IpAddr>,
}

/// A packet Klaar asks about: a UDP datagram from this user to a public address. Nothing is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flow {
    pub dst: IpAddr,
    pub src: Option<IpAddr>,
    pub uid: u32,
    pub dport: u16,
}

impl Flow {
    pub fn to(dst: IpAddr, uid: u32) -> Flow {
        Flow {
            dst,
            src: None,
            uid,
            dport: crate::network::egress::PORT,
        }
    }
}

/// The kernel's default rules, used when a source names none for a family.
fn default_rules(v6: bool) -> Vec<Rule> {
    [
        (0, TABLE_LOCAL),
        (32766, TABLE_MAIN),
        (32767, TABLE_DEFAULT),
    ]
    .into_iter()
    .map(|(priority, table)| Rule {
        priority,
        v6,
        table,
        ..Rule::default()
    })
    .collect()
}

impl Rule {
    fn selects(&self, flow: &Flow) -> bool {
        let src = flow.src.unwrap_or_else(|| Net::any(flow.dst).addr);
        let hit = !self.unmodelled
            && self.src.is_none_or(|n| n.contains(src))
            && self.dst.is_none_or(|n| n.contains(flow.dst))
            // A packet this machine sends enters from the loopback device and has no output
            // interface yet; it carries no firewall mark.
            && self.iif.as_deref().is_none_or(|i| i == "lo")
            && self.oif.is_none()
            && (self.fwmark.unwrap_or(0) & self.fwmask.unwrap_or(u32::MAX)) == 0
            && self
                .uid_range
                .is_none_or(|(lo, hi)| (lo..=hi).contains(&flow.uid))
            && self.ip_proto.is_none_or(|p| p == PROTO_UDP)
            && self
                .dport_range
                .is_none_or(|(lo, hi)| (lo..=hi).contains(&flow.dport))
            && self.sport_range.is_none();
        hit != self.invert
    }
}

/// The outcome of a route lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    Route(&'a Route),
    /// A rule or route refuses the packet (unreachable, blackhole, prohibit).
    Refused,
    /// No rule found a route.
    NoRoute,
}

impl Routing {
    /// Builds the state from `/proc/net/route` and `/proc/net/ipv6_route` alone: the main table
    /// (and, for IPv6, what that file lists), no rules, addresses or IPsec policies. That is all
    /// a capture made before `routing.json` existed holds.
    pub fn from_route_files(v4: &[super::routes::Route], v6: &[super::routes::Route]) -> Routing {
        let routes = v4
            .iter()
            .chain(v6)
            .map(|r| Route {
                table: TABLE_MAIN,
                dst: Net::new(r.destination(), r.prefix),
                kind: RouteKind::Unicast,
                dev: Some(r.interface.clone()),
                gateway: None,
                src: None,
                metric: r.metric,
            })
            .collect();
        Routing {
            routes,
            partial: true,
            ..Routing::default()
        }
    }

    fn rules_for(&self, v6: bool) -> Vec<Rule> {
        let mut rules: Vec<Rule> = self.rules.iter().filter(|r| r.v6 == v6).cloned().collect();
        if rules.is_empty() {
            rules = default_rules(v6);
        }
        rules.sort_by_key(|r| r.priority);
        rules
    }

    /// The best route to `dst` in `table`: longest prefix, then lowest metric.
    fn best_in(&self, table: u32, dst: IpAddr) -> Option<&Route> {
        self.routes
            .iter()
            .filter(|r| r.table == table && r.dst.contains(dst))
            .min_by_key(|r| (std::cmp::Reverse(r.dst.len), r.metric))
    }

    /// The kernel's policy-routing lookup for `flow`.
    pub fn lookup(&self, flow: &Flow) -> Lookup<'_> {
        let rules = self.rules_for(flow.dst.is_ipv6());
        let mut i = 0;
        while let Some(rule) = rules.get(i) {
            i += 1;
            if !rule.selects(flow) {
                continue;
            }
            match rule.action {
                RuleAction::Nop => {}
                // The kernel jumps to the rule with exactly that priority, forward only; a goto
                // whose target does not exist is skipped.
                RuleAction::Goto(p) => {
                    if let Some(target) = rules.iter().position(|r| r.priority == p) {
                        i = i.max(target);
                    }
                }
                RuleAction::Blackhole | RuleAction::Unreachable | RuleAction::Prohibit => {
                    return Lookup::Refused
                }
                RuleAction::Lookup => {
                    let Some(route) = self.best_in(rule.table, flow.dst) else {
                        continue;
                    };
                    match route.kind {
                        RouteKind::Throw => continue,
                        // An error route ends the lookup before any suppression is considered.
                        RouteKind::Unreachable | RouteKind::Blackhole | RouteKind::Prohibit => {
                            return Lookup::Refused
                        }
                        _ => {}
                    }
                    if rule
                        .suppress_prefixlen
                        .is_some_and(|n| u32::from(route.dst.len) <= n)
                    {
                        continue;
                    }
                    return Lookup::Route(route);
                }
            }
        }
        Lookup::NoRoute
    }

    /// The address the kernel would send from over `route`: its `src`, else an address of its
    /// interface in the same family (a routable one first).
    fn source_for(&self, route: &Route, dst: IpAddr) -> Option<IpAddr> {
        if route.src.is_some() {
            return route.src;
        }
        let dev = route.dev.as_deref()?;
        let mut own: Vec<&Address> = self
            .addresses
            .iter()
            .filter(|a| a.interface == dev && a.addr.is_ipv6() == dst.is_ipv6())
            .collect();
        own.sort_by_key(|a| !a.is_routable());
        own.first().map(|a| a.addr)
    }

    /// The interface and source address a datagram to `dst` leaves by. Like the kernel's
    /// `connect()`, it looks up once to choose the source address and again with it, so rules
    /// that select by source (`from 10.10.10.5 lookup 220`) take part.
    pub fn egress(&self, dst: IpAddr, uid: u32) -> Option<(String, Option<IpAddr>)> {
        let first = Flow::to(dst, uid);
        let Lookup::Route(route) = self.lookup(&first) else {
            return None;
        };
        let src = self.source_for(route, dst);
        let second = Flow { src, ..first };
        let route = match (src, self.lookup(&second)) {
            (Some(_), Lookup::Route(r)) => r,
            (Some(_), _) => return None,
            (None, _) => route,
        };
        let src = src.or_else(|| self.source_for(route, dst));
        Some((route.dev.clone()?, src))
    }

    /// Whether `interface` takes part in routing: a routable address, a route in any table other
    /// than the local one (not counting the link-local and multicast routes the kernel adds to
    /// every IPv6 interface), or a rule that names it. An interface that is up without any of
    /// these (a VPN client switched off, an unused WireGuard interface) carries nothing.
    pub fn carries(&self, interface: &str) -> bool {
        if self.partial {
            return true;
        }
        let automatic = |n: &Net| match n.addr {
            IpAddr::V6(a) => {
                (a.segments()[0] & 0xffc0) == 0xfe80 || (a.segments()[0] & 0xff00) == 0xff00
            }
            IpAddr::V4(_) => false,
        };
        self.addresses
            .iter()
            .any(|a| a.interface == interface && a.is_routable())
            || self.routes.iter().any(|r| {
                r.dev.as_deref() == Some(interface)
                    && r.table != TABLE_LOCAL
                    && !matches!(r.kind, RouteKind::Local | RouteKind::Broadcast)
                    && !automatic(&r.dst)
            })
            || self
                .rules
                .iter()
                .any(|r| r.iif.as_deref() == Some(interface) || r.oif.as_deref() == Some(interface))
    }

    /// Whether an IPsec policy sends `flow` through a tunnel: the outbound policy that matches
    /// it with the highest precedence (lowest priority number) has a tunnel-mode template.
    /// `None` when the policies could not be read.
    pub fn ipsec_covers(&self, flow: &Flow) -> Option<bool> {
        let policies = self.xfrm_policies.as_ref()?;
        let src = flow.src.unwrap_or_else(|| Net::any(flow.dst).addr);
        let chosen = policies
            .iter()
            .filter(|p| {
                p.dir == "out"
                    && p.for_ordinary_traffic()
                    && p.src.contains(src)
                    && p.dst.contains(flow.dst)
                    && (p.proto == 0 || p.proto == PROTO_UDP)
                    && (p.dport == 0 || p.dport == flow.dport)
            })
            .min_by_key(|p| p.priority);
        Some(chosen.is_some_and(|p| p.allow && p.tunnel))
    }

    /// Whether any outbound IPsec policy tunnels some traffic (a VPN that covers only some
    /// networks). `None` when the policies could not be read.
    pub fn ipsec_tunnels_anything(&self) -> Option<bool> {
        let policies = self.xfrm_policies.as_ref()?;
        Some(
            policies
                .iter()
                .any(|p| p.dir == "out" && p.allow && p.tunnel && p.for_ordinary_traffic()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Net {
        Net::try_from(text.to_string()).unwrap()
    }

    fn route(table: u32, dst: &str, dev: &str, metric: u32) -> Route {
        Route {
            table,
            dst: net(dst),
            kind: RouteKind::Unicast,
            dev: Some(dev.into()),
            gateway: None,
            src: None,
            metric,
        }
    }

    fn rule(priority: u32, table: u32) -> Rule {
        Rule {
            table,
            priority,
            ..Rule::default()
        }
    }

    fn addr(interface: &str, a: &str) -> Address {
        Address {
            interface: interface.into(),
            addr: a.parse().unwrap(),
            prefix_len: 24,
        }
    }

    const PUBLIC: &str = "9.9.9.9";

    fn egress(r: &Routing) -> Option<String> {
        r.egress(PUBLIC.parse().unwrap(), 1000).map(|(dev, _)| dev)
    }

    #[test]
    fn prefixes() {
        assert!(net("0.0.0.0/1").contains("9.9.9.9".parse().unwrap()));
        assert!(!net("128.0.0.0/1").contains("9.9.9.9".parse().unwrap()));
        assert!(net("10.10.10.5").contains("10.10.10.5".parse().unwrap()));
        assert!(!net("::/0").contains("9.9.9.9".parse().unwrap()));
        assert!(net("2000::/3").contains("2620:fe::fe".parse().unwrap()));
        assert!(Net::try_from("10.0.0.0/33".to_string()).is_err());
        assert!(Net::try_from("garbage".to_string()).is_err());
        assert_eq!(String::from(net("10.0.0.0/8")), "10.0.0.0/8");
    }

    #[test]
    fn main_table_alone_and_openvpn_halves() {
        let mut r = Routing {
            routes: vec![route(TABLE_MAIN, "0.0.0.0/0", "wlan0", 600)],
            ..Routing::default()
        };
        assert_eq!(egress(&r).as_deref(), Some("wlan0"));
        r.routes.push(route(TABLE_MAIN, "0.0.0.0/1", "tun0", 0));
        r.routes.push(route(TABLE_MAIN, "128.0.0.0/1", "tun0", 0));
        assert_eq!(egress(&r).as_deref(), Some("tun0"));
    }

    #[test]
    fn wg_quick_rules_lead_into_its_table() {
        let mut not_marked = rule(32765, 51820);
        not_marked.invert = true;
        not_marked.fwmark = Some(51820);
        not_marked.fwmask = Some(u32::MAX);
        let mut suppress = rule(32764, TABLE_MAIN);
        suppress.suppress_prefixlen = Some(0);
        let r = Routing {
            rules: vec![
                rule(0, TABLE_LOCAL),
                suppress,
                not_marked,
                rule(32766, TABLE_MAIN),
            ],
            routes: vec![
                route(TABLE_MAIN, "0.0.0.0/0", "eth0", 100),
                route(TABLE_MAIN, "192.168.1.0/24", "eth0", 100),
                route(51820, "0.0.0.0/0", "wg0", 0),
            ],
            ..Routing::default()
        };
        assert_eq!(egress(&r).as_deref(), Some("wg0"));
        // The LAN still goes out directly: the main table's /24 is not suppressed.
        assert_eq!(
            r.egress("192.168.1.7".parse().unwrap(), 0).unwrap().0,
            "eth0"
        );
    }

    #[test]
    fn tailscale_marks_and_throw_and_unreachable() {
        let marked = |priority, table| Rule {
            fwmark: Some(0x80000),
            fwmask: Some(0xff0000),
            ..rule(priority, table)
        };
        let mut refuse = marked(5250, 0);
        refuse.action = RuleAction::Unreachable;
        let mut r = Routing {
            rules: vec![
                marked(5210, TABLE_MAIN),
                marked(5230, TABLE_DEFAULT),
                refuse,
                rule(5270, 52),
                rule(32766, TABLE_MAIN),
            ],
            routes: vec![
                route(TABLE_MAIN, "0.0.0.0/0", "eth0", 100),
                route(52, "0.0.0.0/0", "tailscale0", 0),
            ],
            ..Routing::default()
        };
        assert_eq!(egress(&r).as_deref(), Some("tailscale0"));
        // A throw route in table 52 hands the lookup on to the main table.
        r.routes[1].kind = RouteKind::Throw;
        assert_eq!(egress(&r).as_deref(), Some("eth0"));
        // An unreachable default there refuses the packet.
        r.routes[1].kind = RouteKind::Unreachable;
        assert_eq!(egress(&r), None);
    }

    #[test]
    fn a_source_rule_takes_part_through_the_chosen_address() {
        // strongSwan-like: the virtual IP is the route's source; a rule selects by it.
        let mut by_source = rule(100, 100);
        by_source.src = Some(net("10.10.10.5/32"));
        let mut via_vip = route(220, "0.0.0.0/0", "eth0", 0);
        via_vip.src = Some("10.10.10.5".parse().unwrap());
        let r = Routing {
            rules: vec![by_source, rule(220, 220), rule(32766, TABLE_MAIN)],
            routes: vec![
                via_vip,
                route(100, "0.0.0.0/0", "tun7", 0),
                route(TABLE_MAIN, "0.0.0.0/0", "eth0", 100),
            ],
            addresses: vec![addr("eth0", "192.168.1.50"), addr("eth0", "10.10.10.5")],
            ..Routing::default()
        };
        assert_eq!(
            r.egress(PUBLIC.parse().unwrap(), 0),
            Some(("tun7".into(), Some("10.10.10.5".parse().unwrap())))
        );
    }

    #[test]
    fn an_interface_carries_traffic_only_with_an_address_route_or_rule() {
        let mut r = Routing {
            addresses: vec![addr("tailscale0", "fe80::1")],
            routes: vec![
                route(TABLE_MAIN, "fe80::/64", "tailscale0", 256),
                route(TABLE_LOCAL, "ff00::/8", "tailscale0", 256),
            ],
            ..Routing::default()
        };
        assert!(!r.carries("tailscale0"));
        r.addresses.push(addr("tailscale0", "100.101.102.103"));
        assert!(r.carries("tailscale0"));
        r.addresses.clear();
        r.routes.push(route(52, "0.0.0.0/0", "tailscale0", 0));
        assert!(r.carries("tailscale0"));
        r.routes.clear();
        let mut by_oif = rule(10, 52);
        by_oif.oif = Some("tailscale0".into());
        r.rules.push(by_oif);
        assert!(r.carries("tailscale0"));
    }

    #[test]
    fn ipsec_policies() {
        let policy = |dst: &str, priority, tunnel, allow| XfrmPolicy {
            dir: "out".into(),
            src: net("10.10.10.5/32"),
            dst: net(dst),
            proto: 0,
            dport: 0,
            priority,
            allow,
            tunnel,
            mark: None,
            if_id: 0,
        };
        let from_vip = Flow {
            src: Some("10.10.10.5".parse().unwrap()),
            ..Flow::to(PUBLIC.parse().unwrap(), 0)
        };
        let mut r = Routing::default();
        assert_eq!(r.ipsec_covers(&from_vip), None);
        r.xfrm_policies = Some(vec![policy("0.0.0.0/0", 383_615, true, true)]);
        assert_eq!(r.ipsec_covers(&from_vip), Some(true));
        // Another source address is not covered.
        assert_eq!(
            r.ipsec_covers(&Flow::to(PUBLIC.parse().unwrap(), 0)),
            Some(false)
        );
        // A more specific bypass policy with precedence lets this address go around the tunnel.
        r.xfrm_policies
            .as_mut()
            .unwrap()
            .push(policy("9.9.9.0/24", 1000, false, true));
        assert_eq!(r.ipsec_covers(&from_vip), Some(false));
        assert_eq!(r.ipsec_tunnels_anything(), Some(true));
        // Policies for marked traffic or an xfrm interface (route-based IPsec) do not catch
        // ordinary traffic.
        let mut marked = policy("0.0.0.0/0", 1, true, true);
        marked.mark = Some((42, u32::MAX));
        let mut interface_bound = policy("0.0.0.0/0", 1, true, true);
        interface_bound.if_id = 7;
        r.xfrm_policies = Some(vec![marked, interface_bound]);
        assert_eq!(r.ipsec_covers(&from_vip), Some(false));
        assert_eq!(r.ipsec_tunnels_anything(), Some(false));
    }

    #[test]
    fn goto_jumps_to_its_exact_target_and_errors_beat_suppression() {
        let mut jump = rule(100, 0);
        jump.action = RuleAction::Goto(300);
        let r = Routing {
            rules: vec![jump, rule(200, 200), rule(300, TABLE_MAIN)],
            routes: vec![
                route(200, "0.0.0.0/0", "tun0", 0),
                route(TABLE_MAIN, "0.0.0.0/0", "eth0", 0),
            ],
            ..Routing::default()
        };
        assert_eq!(egress(&r).as_deref(), Some("eth0"));
        // A goto to a priority no rule has is skipped.
        let mut r = r;
        r.rules[0].action = RuleAction::Goto(250);
        assert_eq!(egress(&r).as_deref(), Some("tun0"));
        // An unreachable default under "suppress_prefixlength 0" still refuses.
        let mut suppress = rule(10, 10);
        suppress.suppress_prefixlen = Some(0);
        let mut refuse = route(10, "0.0.0.0/0", "lo", 0);
        refuse.kind = RouteKind::Unreachable;
        let r = Routing {
            rules: vec![suppress, rule(32766, TABLE_MAIN)],
            routes: vec![refuse, route(TABLE_MAIN, "0.0.0.0/0", "eth0", 0)],
            ..Routing::default()
        };
        assert_eq!(egress(&r), None);
    }

    #[test]
    fn only_the_main_table_known_means_a_tunnel_cannot_be_called_idle() {
        let r = Routing::from_route_files(&[], &[]);
        assert!(r.carries("wg0"));
    }

    #[test]
    fn routing_json_round_trips() {
        let r = Routing {
            uid: 1000,
            rules: vec![rule(0, TABLE_LOCAL)],
            routes: vec![route(52, "0.0.0.0/0", "tailscale0", 0)],
            addresses: vec![addr("eth0", "192.168.1.50")],
            xfrm_policies: None,
            kernel: Some(KernelAnswer {
                ways: vec![Way {
                    to: "9.9.9.9".parse().unwrap(),
                    via: Some(Hop {
                        interface: "eth0".into(),
                        src: "192.168.1.50".parse().ok(),
                    }),
                }],
            }),
            partial: false,
        };
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains("\"0.0.0.0/0\""), "{text}");
        assert_eq!(serde_json::from_str::<Routing>(&text).unwrap(), r);
    }
}
