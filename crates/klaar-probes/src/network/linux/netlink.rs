//! The live machine's [`Routing`]: rules, routes of every table, addresses and IPsec policies,
//! dumped over netlink (the `ip rule`, `ip route show table all`, `ip addr` and `ip xfrm policy`
//! requests). Nothing here sends a packet anywhere but to the kernel.

use super::routing::{
    Address, Hop, KernelAnswer, Net, Route, RouteKind, Routing, Rule, RuleAction, Way, XfrmPolicy,
};
use crate::sysfs::{list_dir, read_num};
use crate::Root;
use netlink_packet_core::{
    NetlinkDeserializable, NetlinkHeader, NetlinkMessage, NetlinkPayload, NetlinkSerializable,
    NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_route::address::{AddressAttribute, AddressMessage};
use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteMessage, RouteType};
use netlink_packet_route::rule::{self, RuleAttribute, RuleFlags, RuleMessage};
use netlink_packet_route::{AddressFamily, RouteNetlinkMessage};
use netlink_packet_xfrm::{XfrmAttrs, XfrmMessage};
use netlink_sys::{protocols, Socket};
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Reads the kernel's routing state, and asks the kernel which way a datagram to the internet
/// leaves in each address family. IPsec policies need administrator rights: without them
/// `xfrm_policies` is `None`. Interface names come from `sys/class/net/*/ifindex` under `root`.
///
/// Errors: the netlink socket could not be opened, or answered a dump with an error (other than a
/// refusal to show IPsec policies). A route question that fails leaves `kernel` empty instead.
pub fn read(root: &Root) -> io::Result<Routing> {
    let names: HashMap<u32, String> = list_dir(&root.join("sys/class/net"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|name| {
            let dir = root.join("sys/class/net").join(&name);
            let index = read_num::<u32>(&dir.join("ifindex")).ok().flatten()?;
            Some((index, name))
        })
        .collect();
    let name = |index: u32| names.get(&index).cloned();

    let mut routing = Routing {
        uid: current_uid(),
        ..Routing::default()
    };
    for family in [AddressFamily::Inet, AddressFamily::Inet6] {
        let mut request = RuleMessage::default();
        request.header.family = family;
        for m in dump_route(RouteNetlinkMessage::GetRule(request))? {
            if let RouteNetlinkMessage::NewRule(r) = m {
                routing.rules.push(convert_rule(&r));
            }
        }
        let mut request = RouteMessage::default();
        request.header.address_family = family;
        for m in dump_route(RouteNetlinkMessage::GetRoute(request))? {
            if let RouteNetlinkMessage::NewRoute(r) = m {
                if let Some(route) = convert_route(&r, &name) {
                    routing.routes.push(route);
                }
            }
        }
    }
    for m in dump_route(RouteNetlinkMessage::GetAddress(AddressMessage::default()))? {
        if let RouteNetlinkMessage::NewAddress(a) = m {
            if let Some(address) = convert_address(&a, &name) {
                routing.addresses.push(address);
            }
        }
    }
    routing.xfrm_policies = match exchange(
        protocols::NETLINK_XFRM,
        XfrmMessage::GetPolicy(Default::default()),
        true,
    ) {
        Ok(messages) => Some(
            messages
                .into_iter()
                .filter_map(|m| match m {
                    XfrmMessage::AddPolicy(p) | XfrmMessage::UpdatePolicy(p) => {
                        Some(convert_policy(&p.user_policy_info, &p.nlas))
                    }
                    _ => None,
                })
                .collect(),
        ),
        // Only an administrator may read IPsec policies (EPERM).
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => None,
        // A kernel without IPsec has no policies to tell of.
        Err(e) if e.raw_os_error() == Some(EPROTONOSUPPORT) => Some(Vec::new()),
        Err(e) => return Err(e),
    };
    // The kernel's own answer, when every question gets one; otherwise the routing state answers.
    routing.kernel = crate::network::egress::internet()
        .map(|to| {
            let via = route_get(SocketAddr::new(to, crate::network::egress::PORT), &name)?;
            Ok(Way { to, via })
        })
        .collect::<io::Result<Vec<Way>>>()
        .ok()
        .map(|ways| KernelAnswer { ways });
    Ok(routing)
}

/// The owner of this process.
fn current_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(0)
}

/// `errno` of a protocol the kernel was built without (Linux's value).
const EPROTONOSUPPORT: i32 = 93;
const PROTO_UDP: u8 = 17;

/// `ip route get ADDR ipproto udp dport PORT`: the kernel's own lookup, through every rule and
/// table, for this user; asked again from the source address it chose, as `connect()` does, so
/// rules that select by source take part. `None` when no route leads there.
///
/// Errors: a netlink failure other than "unreachable", "prohibited" or "no such family".
fn route_get(to: SocketAddr, name: &impl Fn(u32) -> Option<String>) -> io::Result<Option<Hop>> {
    let Some(first) = route_get_from(to, None, name)? else {
        return Ok(None);
    };
    match first.src {
        // The answer to a question with a source names that source as RTA_SRC, not PREFSRC.
        Some(src) => Ok(route_get_from(to, Some(src), name)?
            .map(|second| Hop {
                src: second.src.or(Some(src)),
                ..second
            })
            .or(Some(first))),
        None => Ok(Some(first)),
    }
}

fn route_get_from(
    to: SocketAddr,
    from: Option<IpAddr>,
    name: &impl Fn(u32) -> Option<String>,
) -> io::Result<Option<Hop>> {
    let mut request = RouteMessage::default();
    let v6 = to.is_ipv6();
    request.header.address_family = if v6 {
        AddressFamily::Inet6
    } else {
        AddressFamily::Inet
    };
    request.header.destination_prefix_length = if v6 { 128 } else { 32 };
    request.attributes = vec![
        RouteAttribute::Destination(RouteAddress::from(to.ip())),
        RouteAttribute::IpProto(PROTO_UDP),
        RouteAttribute::Dport(to.port()),
    ];
    if let Some(src) = from {
        request.header.source_prefix_length = if v6 { 128 } else { 32 };
        request
            .attributes
            .push(RouteAttribute::Source(RouteAddress::from(src)));
    }
    let answer = match exchange(
        protocols::NETLINK_ROUTE,
        RouteNetlinkMessage::GetRoute(request),
        false,
    ) {
        Ok(answer) => answer,
        // ENETUNREACH, EHOSTUNREACH, EINVAL (a blackhole route), EACCES (prohibit),
        // EAFNOSUPPORT and EOPNOTSUPP (a kernel without IPv6), EADDRNOTAVAIL (a source address
        // that is gone).
        Err(e) if matches!(e.raw_os_error(), Some(101 | 113 | 22 | 13 | 97 | 95 | 99)) => {
            return Ok(None)
        }
        Err(e) => return Err(e),
    };
    Ok(answer.into_iter().find_map(|m| match m {
        RouteNetlinkMessage::NewRoute(r) => {
            // An interface that appeared after sysfs was read still has its number.
            let interface = r.attributes.iter().find_map(|a| match a {
                RouteAttribute::Oif(i) => Some(name(*i).unwrap_or_else(|| format!("if{i}"))),
                _ => None,
            })?;
            let src = r.attributes.iter().find_map(|a| match a {
                RouteAttribute::PrefSource(a) => ip_of(a),
                _ => None,
            });
            Some(Hop { interface, src })
        }
        _ => None,
    }))
}

fn dump_route(request: RouteNetlinkMessage) -> io::Result<Vec<RouteNetlinkMessage>> {
    exchange(protocols::NETLINK_ROUTE, request, true)
}

/// Sends one request and collects the answers: for a dump, every message until the kernel says
/// it is done; otherwise the one answer (or the acknowledgement).
fn exchange<T>(protocol: isize, request: T, dump: bool) -> io::Result<Vec<T>>
where
    T: NetlinkSerializable + NetlinkDeserializable + std::fmt::Debug,
    NetlinkPayload<T>: From<T>,
{
    let mut socket = Socket::new(protocol)?;
    socket.bind_auto()?;
    socket.connect(&netlink_sys::SocketAddr::new(0, 0))?;
    let mut header = NetlinkHeader::default();
    header.flags = if dump {
        NLM_F_REQUEST | NLM_F_DUMP
    } else {
        NLM_F_REQUEST
    };
    header.sequence_number = 1;
    let mut packet = NetlinkMessage::new(header, NetlinkPayload::from(request));
    packet.finalize();
    let mut buf = vec![0; packet.buffer_len()];
    packet.serialize(&mut buf);
    socket.send(&buf, 0)?;
    let mut out = Vec::new();
    loop {
        let (datagram, _) = socket.recv_from_full()?;
        let mut offset = 0;
        while offset < datagram.len() {
            let message = NetlinkMessage::<T>::deserialize(&datagram[offset..])
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::Done(_) => return Ok(out),
                NetlinkPayload::Error(e) if e.code.is_some() => return Err(e.to_io()),
                NetlinkPayload::Error(_) if !dump => return Ok(out),
                NetlinkPayload::InnerMessage(m) if !dump => return Ok(vec![m]),
                NetlinkPayload::InnerMessage(m) => out.push(m),
                _ => {}
            }
            if length == 0 {
                break;
            }
            offset += (length + 3) & !3;
        }
    }
}

fn ip_of(address: &RouteAddress) -> Option<IpAddr> {
    match address {
        RouteAddress::Inet(a) => Some(IpAddr::V4(*a)),
        RouteAddress::Inet6(a) => Some(IpAddr::V6(*a)),
        _ => None,
    }
}

fn unspecified(v6: bool) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    }
}

fn convert_route(m: &RouteMessage, name: &impl Fn(u32) -> Option<String>) -> Option<Route> {
    let v6 = match m.header.address_family {
        AddressFamily::Inet => false,
        AddressFamily::Inet6 => true,
        _ => return None,
    };
    let mut route = Route {
        table: u32::from(m.header.table),
        dst: Net::new(unspecified(v6), m.header.destination_prefix_length),
        kind: match m.header.kind {
            RouteType::Unicast => RouteKind::Unicast,
            RouteType::Local => RouteKind::Local,
            RouteType::Broadcast | RouteType::Anycast | RouteType::Multicast => {
                RouteKind::Broadcast
            }
            RouteType::Unreachable => RouteKind::Unreachable,
            RouteType::BlackHole => RouteKind::Blackhole,
            RouteType::Prohibit => RouteKind::Prohibit,
            RouteType::Throw => RouteKind::Throw,
            _ => RouteKind::Other,
        },
        dev: None,
        gateway: None,
        src: None,
        metric: 0,
    };
    for attribute in &m.attributes {
        match attribute {
            RouteAttribute::Table(t) => route.table = *t,
            RouteAttribute::Destination(a) => {
                route.dst = Net::new(ip_of(a)?, m.header.destination_prefix_length)
            }
            RouteAttribute::Oif(i) => route.dev = name(*i),
            RouteAttribute::Gateway(a) => route.gateway = ip_of(a),
            RouteAttribute::PrefSource(a) => route.src = ip_of(a),
            RouteAttribute::Priority(p) => route.metric = *p,
            RouteAttribute::MultiPath(hops) if route.dev.is_none() => {
                route.dev = hops.first().and_then(|h| name(h.interface_index));
            }
            _ => {}
        }
    }
    Some(route)
}

fn convert_rule(m: &RuleMessage) -> Rule {
    let v6 = m.header.family == AddressFamily::Inet6;
    let mut r = Rule {
        priority: 0,
        v6,
        invert: m.header.flags.contains(RuleFlags::Invert),
        src: None,
        dst: None,
        iif: None,
        oif: None,
        fwmark: None,
        fwmask: None,
        uid_range: None,
        ip_proto: None,
        dport_range: None,
        sport_range: None,
        unmodelled: m.header.tos != 0,
        action: match m.header.action {
            rule::RuleAction::ToTable => RuleAction::Lookup,
            rule::RuleAction::Goto => RuleAction::Goto(0),
            rule::RuleAction::Nop => RuleAction::Nop,
            rule::RuleAction::Blackhole => RuleAction::Blackhole,
            rule::RuleAction::Unreachable => RuleAction::Unreachable,
            rule::RuleAction::Prohibit => RuleAction::Prohibit,
            _ => RuleAction::Nop,
        },
        table: u32::from(m.header.table),
        suppress_prefixlen: None,
    };
    for attribute in &m.attributes {
        match attribute {
            RuleAttribute::Priority(p) => r.priority = *p,
            RuleAttribute::Source(a) => r.src = Some(Net::new(*a, m.header.src_len)),
            RuleAttribute::Destination(a) => r.dst = Some(Net::new(*a, m.header.dst_len)),
            RuleAttribute::Iifname(n) => r.iif = Some(n.clone()),
            RuleAttribute::Oifname(n) => r.oif = Some(n.clone()),
            RuleAttribute::FwMark(v) => r.fwmark = Some(*v),
            RuleAttribute::FwMask(v) => r.fwmask = Some(*v),
            RuleAttribute::Table(t) => r.table = *t,
            RuleAttribute::Goto(p) => r.action = RuleAction::Goto(*p),
            // The kernel reports "no suppression" as 0xffffffff.
            RuleAttribute::SuppressPrefixLen(n) if *n != u32::MAX => {
                r.suppress_prefixlen = Some(*n)
            }
            RuleAttribute::UidRange(u) => r.uid_range = Some((u.start, u.end)),
            RuleAttribute::IpProtocol(p) => r.ip_proto = Some(u8::from(*p)),
            RuleAttribute::DestinationPortRange(p) => r.dport_range = Some((p.start, p.end)),
            RuleAttribute::SourcePortRange(p) => r.sport_range = Some((p.start, p.end)),
            RuleAttribute::TunId(_) | RuleAttribute::L3MDev(true) => r.unmodelled = true,
            _ => {}
        }
    }
    r
}

fn convert_address(m: &AddressMessage, name: &impl Fn(u32) -> Option<String>) -> Option<Address> {
    // On point-to-point links IFA_ADDRESS is the peer and IFA_LOCAL our own address.
    let local = m.attributes.iter().find_map(|a| match a {
        AddressAttribute::Local(ip) => Some(*ip),
        _ => None,
    });
    let addr = local.or_else(|| {
        m.attributes.iter().find_map(|a| match a {
            AddressAttribute::Address(ip) => Some(*ip),
            _ => None,
        })
    })?;
    Some(Address {
        interface: name(m.header.index)?,
        addr,
        prefix_len: m.header.prefix_len,
    })
}

const XFRM_POLICY_IN: u8 = 0;
const XFRM_POLICY_OUT: u8 = 1;
const XFRM_POLICY_ALLOW: u8 = 0;
const XFRM_MODE_TUNNEL: u8 = 1;
const AF_INET6: u16 = 10;

fn convert_policy(info: &netlink_packet_xfrm::UserPolicyInfo, nlas: &[XfrmAttrs]) -> XfrmPolicy {
    let s = &info.selector;
    let v6 = s.family == AF_INET6;
    let ip = |a: &netlink_packet_xfrm::Address| {
        if v6 {
            IpAddr::V6(a.to_ipv6())
        } else {
            IpAddr::V4(a.to_ipv4())
        }
    };
    let tunnel = nlas.iter().any(|a| match a {
        XfrmAttrs::Template(templates) => templates.iter().any(|t| t.mode == XFRM_MODE_TUNNEL),
        _ => false,
    });
    XfrmPolicy {
        dir: match info.direction {
            XFRM_POLICY_IN => "in",
            XFRM_POLICY_OUT => "out",
            _ => "fwd",
        }
        .into(),
        src: Net::new(ip(&s.saddr), s.prefixlen_s),
        dst: Net::new(ip(&s.daddr), s.prefixlen_d),
        proto: s.proto,
        // The bindings already give the ports in host order.
        dport: s.dport & s.dport_mask,
        priority: info.priority,
        allow: info.action == XFRM_POLICY_ALLOW,
        tunnel,
        mark: nlas.iter().find_map(|a| match a {
            XfrmAttrs::Mark(m) => Some((m.value, m.mask)),
            _ => None,
        }),
        if_id: nlas
            .iter()
            .find_map(|a| match a {
                XfrmAttrs::IfId(id) => Some(*id),
                _ => None,
            })
            .unwrap_or(0),
    }
}
