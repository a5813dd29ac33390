//! `/sys/class/net/IF`: what kind of link each interface is, and whether it is up.

use crate::sysfs::{link_name, list_dir, read_hex, read_num, read_opt, require_dir};
use crate::Root;
use klaar_facts::ProbeError;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfKind {
    Loopback,
    Wired,
    Wifi,
    /// A WWAN modem, or a phone sharing its mobile data over USB or Bluetooth.
    Mobile,
    WireGuard,
    Tun,
    Tap,
    Ppp,
    /// Another kernel tunnel a VPN client may create: OpenVPN's data-channel offload (`ovpn-dco`,
    /// `ovpn`), xfrm and vti interfaces, GRE, IP-in-IP, SIT.
    Tunnel,
    /// A link built on others: a bridge, bond, VLAN, macvlan or a multiplexed modem link. Its kind
    /// is the kind of the physical link underneath ([`link_kind`]).
    Stacked,
    /// veth, docker bridges without ports: no hardware of their own.
    Virtual,
    /// A dummy interface: what is routed into it is dropped. VPN clients route IPv6 into one so
    /// that it cannot leak around a tunnel that carries IPv4 only (ProtonVPN's
    /// `ipv6leakintrf0`, its kill switch's `pvpnksintrf0`).
    Dummy,
}

impl IfKind {
    pub fn is_tunnel(self) -> bool {
        matches!(
            self,
            IfKind::WireGuard | IfKind::Tun | IfKind::Tap | IfKind::Ppp | IfKind::Tunnel
        )
    }

    pub fn is_physical(self) -> bool {
        matches!(self, IfKind::Wired | IfKind::Wifi | IfKind::Mobile)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub kind: IfKind,
    /// Administratively up and not reported down by the kernel: a tun no process holds, or a
    /// wired port without a cable, is down.
    pub up: bool,
    /// The interfaces this one is built on (a bridge's ports, a VLAN's parent).
    pub lowers: Vec<String>,
}

const IFF_UP: u32 = 0x1;
/// `operstate` values of an interface that cannot carry traffic. "unknown" is normal for tunnels.
const DOWN_STATES: &[&str] = &["down", "lowerlayerdown", "notpresent", "dormant"];
const ARPHRD_ETHER: u32 = 1;
const ARPHRD_RAWIP: u32 = 519;
const ARPHRD_PPP: u32 = 512;
const ARPHRD_LOOPBACK: u32 = 772;
const ARPHRD_NONE: u32 = 65534;
/// Link types of kernel IP tunnels a VPN client may build (`include/uapi/linux/if_arp.h`): IPIP
/// and vti (768), ip6tnl and vti6 (769), GRE (778), ip6gre (823). Not SIT (776): a 6in4 tunnel
/// from an IPv6 tunnel broker only brings IPv6 to the machine, unencrypted, and is no VPN.
const TUNNEL_TYPES: &[u32] = &[768, 769, 778, 823];
/// `DEVTYPE`s of OpenVPN's kernel offload: the out-of-tree module and the mainline driver.
const OVPN_DEVTYPES: &[&str] = &["ovpn", "ovpn-dco"];
/// `DEVTYPE`s of links built on other links.
const STACKED_DEVTYPES: &[&str] = &[
    "bridge", "bond", "vlan", "macvlan", "macvtap", "ipvlan", "team",
];
/// USB drivers that only phones and mobile modems use: Apple's iPhone tethering, Remote NDIS
/// (Android's USB tethering; docks and USB Ethernet adapters do not speak it) and the
/// Qualcomm/MBIM/Huawei/Sierra modem protocols.
const MOBILE_ONLY_DRIVERS: &[&str] = &[
    "ipheth",
    "rndis_host",
    "qmi_wwan",
    "cdc_mbim",
    "huawei_cdc_ncm",
    "sierra_net",
];
/// The generic USB networking class drivers. Docks and USB Ethernet adapters use them as much as
/// phones do, so the USB device decides ([`UsbDevice::is_phone_or_modem`]).
const CLASS_DRIVERS: &[&str] = &["cdc_ether", "cdc_ncm", "cdc_eem", "cdc_subset"];
/// USB vendor ids of phone and mobile-modem makers (the USB-IF vendor list): Apple, Google,
/// Samsung, Motorola, Xiaomi, OnePlus, Huawei, Honor, ZTE, Sony Mobile, LG, HTC, OPPO/realme,
/// vivo, HMD/Nokia, Fairphone, Qualcomm, MediaTek, Sierra Wireless, Quectel, Telit, Fibocom,
/// TCL/Alcatel.
const PHONE_VENDORS: &[u16] = &[
    0x05ac, 0x18d1, 0x04e8, 0x22b8, 0x2717, 0x2a70, 0x12d1, 0x339b, 0x19d2, 0x0fce, 0x1004, 0x0bb4,
    0x22d9, 0x2d95, 0x2e04, 0x2ae5, 0x05c6, 0x0e8d, 0x1199, 0x2c7c, 0x1bc7, 0x2cb7, 0x1bbb,
];

pub fn read_all(root: &Root) -> Result<Vec<Interface>, ProbeError> {
    require_dir(&root.join("sys"))?;
    let class = root.join("sys/class/net");
    let mut out = Vec::new();
    let mut masters: Vec<(String, String)> = Vec::new();
    for name in list_dir(&class)? {
        let dir = class.join(&name);
        if let Some(master) = link_name(&dir.join("master")) {
            masters.push((master, name.clone()));
        }
        if let Some(interface) = read_one(&dir, name)? {
            out.push(interface);
        }
    }
    // A port names its bridge or bond through `master`; add it to the master's lowers.
    for (master, port) in masters {
        if let Some(m) = out.iter_mut().find(|i| i.name == master) {
            if !m.lowers.contains(&port) {
                m.lowers.push(port);
            }
            if m.kind == IfKind::Virtual {
                m.kind = IfKind::Stacked;
            }
        }
    }
    Ok(out)
}

/// The interfaces `dir` is built on: its `lower_*` links, a bridge's `brif/` and a bond's
/// `bonding/slaves`.
fn lowers(dir: &Path) -> Result<Vec<String>, ProbeError> {
    let mut names: Vec<String> = list_dir(dir)?
        .into_iter()
        .filter_map(|e| e.strip_prefix("lower_").map(str::to_string))
        .collect();
    names.extend(
        list_dir(&dir.join("brif"))?
            .into_iter()
            .filter(|n| !n.starts_with('.')),
    );
    if let Some(slaves) = read_opt(&dir.join("bonding/slaves"))? {
        names.extend(slaves.split_whitespace().map(str::to_string));
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// `None` when the interface vanished while we looked.
fn read_one(dir: &Path, name: String) -> Result<Option<Interface>, ProbeError> {
    let Some(flags) = read_hex(&dir.join("flags"))? else {
        return Ok(None);
    };
    let arp_type = read_num::<u32>(&dir.join("type"))?;
    let tun_flags = read_hex(&dir.join("tun_flags"))?;
    let index = read_num::<u32>(&dir.join("ifindex"))?;
    let link_index = read_num::<u32>(&dir.join("iflink"))?;
    let device = std::fs::canonicalize(dir.join("device")).ok();
    let lowers = lowers(dir)?;
    let sysfs = SysfsLink {
        devtype: read_opt(&dir.join("uevent"))?.as_deref().and_then(devtype),
        arp_type,
        tun_flags,
        own_link: index.is_some() && index == link_index,
        wireless: dir.join("wireless").exists() || dir.join("phy80211").exists(),
        enslaved: dir.join("brport").exists() || dir.join("master").exists(),
        stacked: !lowers.is_empty() || dir.join("bridge").is_dir() || dir.join("bonding").is_dir(),
        device_path: device.as_ref().map(|p| p.display().to_string()),
        driver: link_name(&dir.join("device/driver")),
        usb: device.as_deref().and_then(UsbDevice::read),
    };
    // sysfs `flags` holds the administrative flags only (never IFF_RUNNING): `operstate` tells
    // whether the link is really there.
    let operational = read_opt(&dir.join("operstate"))?
        .is_none_or(|state| !DOWN_STATES.contains(&state.as_str()));
    Ok(Some(Interface {
        name,
        kind: classify(&sysfs),
        up: flags & IFF_UP != 0 && operational,
        lowers,
    }))
}

/// What a USB network device says about itself: the device's vendor and product name, and the
/// interface's class triple. Serial numbers are never read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct UsbDevice {
    pub vendor: Option<u16>,
    pub product: Option<String>,
    /// `bInterfaceClass`, `bInterfaceSubClass`, `bInterfaceProtocol` of the network interface.
    pub interface_class: Option<(u8, u8, u8)>,
}

impl UsbDevice {
    /// `device` is a USB interface (`…/usb2/2-1/2-1:2.0`); the USB device is its parent. `None`
    /// off USB, or when sysfs holds none of these files (an older capture).
    fn read(device: &Path) -> Option<UsbDevice> {
        if !device.to_string_lossy().contains("/usb") {
            return None;
        }
        let hex = |p: &Path| {
            read_opt(p)
                .ok()
                .flatten()
                .and_then(|t| u16::from_str_radix(t.trim(), 16).ok())
        };
        let parent = device.parent()?;
        let class = [
            "bInterfaceClass",
            "bInterfaceSubClass",
            "bInterfaceProtocol",
        ]
        .map(|f| hex(&device.join(f)).and_then(|v| u8::try_from(v).ok()));
        let usb = UsbDevice {
            vendor: hex(&parent.join("idVendor")),
            product: read_opt(&parent.join("product")).ok().flatten(),
            interface_class: match class {
                [Some(a), Some(b), Some(c)] => Some((a, b, c)),
                _ => None,
            },
        };
        (usb != UsbDevice::default()).then_some(usb)
    }

    /// A phone sharing its data or a mobile modem: its maker makes phones or modems, its
    /// interface is Remote NDIS (the wireless-controller class Android uses, E0/01/03, the
    /// misc-class variant EF/04/01, or the gadget default 02/02/FF), or its product name says so.
    pub fn is_phone_or_modem(&self) -> bool {
        let rndis = matches!(
            self.interface_class,
            Some((0xe0, 0x01, 0x03) | (0xef, 0x04, 0x01) | (0x02, 0x02, 0xff))
        );
        let named = self.product.as_deref().is_some_and(|p| {
            let p = p.to_lowercase();
            ["android", "iphone", "ipad", "mobile broadband", "modem"]
                .iter()
                .any(|w| p.contains(w))
        });
        rndis || named || self.vendor.is_some_and(|v| PHONE_VENDORS.contains(&v))
    }
}

/// What sysfs says about one interface; `classify` is pure so every rule has a one-line test.
#[derive(Debug, Default, Clone)]
pub struct SysfsLink {
    pub devtype: Option<String>,
    pub arp_type: Option<u32>,
    pub tun_flags: Option<u32>,
    pub wireless: bool,
    /// Part of a bridge or bond: a VM's tap, not a VPN.
    pub enslaved: bool,
    /// `iflink` is the interface's own index: it has no peer or lower link (a veth's is its
    /// peer's). False when either file is missing (an older capture).
    pub own_link: bool,
    /// Built on other interfaces (lower links, a bridge or a bond).
    pub stacked: bool,
    /// Resolved `device` link; absent for virtual interfaces.
    pub device_path: Option<String>,
    pub driver: Option<String>,
    pub usb: Option<UsbDevice>,
}

pub fn classify(link: &SysfsLink) -> IfKind {
    let devtype = link.devtype.as_deref().unwrap_or_default();
    let arp_type = link.arp_type.unwrap_or_default();
    if arp_type == ARPHRD_LOOPBACK {
        return IfKind::Loopback;
    }
    if devtype == "wireguard" {
        return IfKind::WireGuard;
    }
    if let Some(flags) = link.tun_flags {
        if link.enslaved {
            return IfKind::Virtual;
        }
        // IFF_TUN = 1, IFF_TAP = 2.
        return match flags & 3 {
            1 => IfKind::Tun,
            2 => IfKind::Tap,
            _ => IfKind::Virtual,
        };
    }
    if OVPN_DEVTYPES.contains(&devtype) || TUNNEL_TYPES.contains(&arp_type) {
        return IfKind::Tunnel;
    }
    if arp_type == ARPHRD_PPP {
        return IfKind::Ppp;
    }
    if devtype == "wlan" || link.wireless {
        return IfKind::Wifi;
    }
    // A modem, or a phone sharing its data over Bluetooth (bnep, Ethernet-framed, no cable).
    if devtype == "wwan" || devtype == "bluetooth" {
        return IfKind::Mobile;
    }
    if link.stacked || STACKED_DEVTYPES.contains(&devtype) {
        return IfKind::Stacked;
    }
    let Some(device) = &link.device_path else {
        // A virtual link without a hardware header: OpenVPN's offload device without a
        // DEVTYPE, xfrm interfaces.
        // An Ethernet-framed link with no device, no peer and no kind of its own: a dummy.
        return if arp_type == ARPHRD_NONE {
            IfKind::Tunnel
        } else if arp_type == ARPHRD_ETHER && link.own_link && devtype.is_empty() {
            IfKind::Dummy
        } else {
            IfKind::Virtual
        };
    };
    let driver = link.driver.as_deref().unwrap_or_default();
    if device.contains("/usb") {
        if MOBILE_ONLY_DRIVERS.contains(&driver) {
            return IfKind::Mobile;
        }
        if CLASS_DRIVERS.contains(&driver) {
            let phone = link.usb.as_ref().is_some_and(UsbDevice::is_phone_or_modem);
            return if phone { IfKind::Mobile } else { IfKind::Wired };
        }
    }
    match arp_type {
        ARPHRD_ETHER => IfKind::Wired,
        // Raw-IP links with hardware are modems (qmi_wwan in raw-IP mode, MHI, BAM-DMUX).
        ARPHRD_RAWIP | ARPHRD_NONE => IfKind::Mobile,
        _ => IfKind::Virtual,
    }
}

/// The kind of link `name` is in the end: a stacked link's is its physical lower link's (the
/// first that is up; wired before Wi-Fi before mobile when several are), else `Virtual`.
pub fn link_kind(interfaces: &[Interface], name: &str) -> Option<IfKind> {
    fn walk(interfaces: &[Interface], name: &str, depth: usize) -> Option<IfKind> {
        let i = interfaces.iter().find(|i| i.name == name)?;
        if i.kind != IfKind::Stacked {
            return Some(i.kind);
        }
        if depth > 8 {
            return Some(IfKind::Virtual);
        }
        let lowers: Vec<(bool, IfKind)> = i
            .lowers
            .iter()
            .filter_map(|l| {
                let up = interfaces.iter().any(|x| &x.name == l && x.up);
                Some((up, walk(interfaces, l, depth + 1)?))
            })
            .collect();
        let any_up = lowers.iter().any(|(up, k)| *up && k.is_physical());
        [IfKind::Wired, IfKind::Wifi, IfKind::Mobile]
            .into_iter()
            .find(|k| {
                lowers
                    .iter()
                    .any(|(up, kind)| kind == k && (*up || !any_up))
            })
            .or(Some(IfKind::Virtual))
    }
    walk(interfaces, name, 0)
}

fn devtype(uevent: &str) -> Option<String> {
    uevent
        .lines()
        .find_map(|l| l.strip_prefix("DEVTYPE="))
        .map(|v| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(link: SysfsLink, expected: IfKind) {
        assert_eq!(classify(&link), expected, "{link:?}");
    }

    fn pci(driver: &str) -> SysfsLink {
        SysfsLink {
            arp_type: Some(1),
            device_path: Some("/sys/devices/pci0000:00/0000:00:1f.6".into()),
            driver: Some(driver.into()),
            ..Default::default()
        }
    }

    fn usb(driver: &str) -> SysfsLink {
        SysfsLink {
            device_path: Some("/sys/devices/pci0000:00/0000:00:14.0/usb3/3-1/3-1:1.0".into()),
            ..pci(driver)
        }
    }

    #[test]
    fn kinds() {
        check(pci("e1000e"), IfKind::Wired);
        check(
            SysfsLink {
                devtype: Some("wlan".into()),
                ..pci("iwlwifi")
            },
            IfKind::Wifi,
        );
        check(
            SysfsLink {
                wireless: true,
                ..pci("ath9k")
            },
            IfKind::Wifi,
        );
        check(
            SysfsLink {
                devtype: Some("wwan".into()),
                ..usb("qmi_wwan")
            },
            IfKind::Mobile,
        );
        check(usb("rndis_host"), IfKind::Mobile);
        check(usb("ipheth"), IfKind::Mobile);
        check(usb("r8152"), IfKind::Wired);
        check(
            SysfsLink {
                devtype: Some("wireguard".into()),
                arp_type: Some(65534),
                ..Default::default()
            },
            IfKind::WireGuard,
        );
        check(
            SysfsLink {
                tun_flags: Some(0x1001),
                arp_type: Some(65534),
                ..Default::default()
            },
            IfKind::Tun,
        );
        check(
            SysfsLink {
                tun_flags: Some(0x1002),
                arp_type: Some(1),
                ..Default::default()
            },
            IfKind::Tap,
        );
        check(
            SysfsLink {
                tun_flags: Some(0x1002),
                arp_type: Some(1),
                enslaved: true,
                ..Default::default()
            },
            IfKind::Virtual,
        );
        check(
            SysfsLink {
                arp_type: Some(512),
                ..Default::default()
            },
            IfKind::Ppp,
        );
        check(
            SysfsLink {
                arp_type: Some(772),
                ..Default::default()
            },
            IfKind::Loopback,
        );
        check(
            SysfsLink {
                arp_type: Some(1),
                devtype: Some("bridge".into()),
                ..Default::default()
            },
            IfKind::Stacked,
        );
        check(
            SysfsLink {
                arp_type: Some(1),
                ..Default::default()
            },
            IfKind::Virtual,
        );
    }

    fn usb_device(vendor: u16, class: (u8, u8, u8), product: &str) -> Option<UsbDevice> {
        Some(UsbDevice {
            vendor: Some(vendor),
            product: Some(product.into()),
            interface_class: Some(class),
        })
    }

    #[test]
    fn a_usb_network_adapter_is_judged_by_the_device_not_the_driver() {
        // A dock's Realtek chip and a Lenovo dock on the generic NCM/ECM drivers: wired.
        for driver in ["cdc_ncm", "cdc_ether"] {
            check(usb(driver), IfKind::Wired);
            check(
                SysfsLink {
                    usb: usb_device(0x0bda, (0x02, 0x0d, 0x00), "USB 10/100/1G/2.5G LAN"),
                    ..usb(driver)
                },
                IfKind::Wired,
            );
            check(
                SysfsLink {
                    usb: usb_device(0x17ef, (0x02, 0x06, 0x00), "ThinkPad USB-C Dock Ethernet"),
                    ..usb(driver)
                },
                IfKind::Wired,
            );
        }
        // A Pixel sharing its data over NCM, a Huawei HiLink stick over ECM: mobile.
        check(
            SysfsLink {
                usb: usb_device(0x18d1, (0x02, 0x0d, 0x00), "Pixel 8"),
                ..usb("cdc_ncm")
            },
            IfKind::Mobile,
        );
        check(
            SysfsLink {
                usb: usb_device(0x12d1, (0x02, 0x06, 0x00), "HUAWEI_MOBILE"),
                ..usb("cdc_ether")
            },
            IfKind::Mobile,
        );
        // Remote NDIS, whoever made it (a phone with an unlisted vendor id), and the misc-class
        // RNDIS variant some phones use.
        check(
            SysfsLink {
                usb: usb_device(0x1234, (0xe0, 0x01, 0x03), "SM-A556B"),
                ..usb("rndis_host")
            },
            IfKind::Mobile,
        );
        check(
            SysfsLink {
                usb: usb_device(0x1234, (0xef, 0x04, 0x01), "RNDIS"),
                ..usb("rndis_host")
            },
            IfKind::Mobile,
        );
        check(usb("huawei_cdc_ncm"), IfKind::Mobile);
    }

    #[test]
    fn a_dummy_is_told_from_a_veth_by_its_link() {
        let ether = |own_link| SysfsLink {
            arp_type: Some(1),
            own_link,
            ..Default::default()
        };
        // A dummy's iflink is its own index; a veth's is its peer's; an older capture has
        // neither file and stays plain virtual.
        check(ether(true), IfKind::Dummy);
        check(ether(false), IfKind::Virtual);
        // A tun or a kind the kernel names is never a dummy.
        check(
            SysfsLink {
                tun_flags: Some(1),
                ..ether(true)
            },
            IfKind::Tun,
        );
        check(
            SysfsLink {
                devtype: Some("vxlan".into()),
                ..ether(true)
            },
            IfKind::Virtual,
        );
    }

    #[test]
    fn tunnels_that_are_neither_wireguard_nor_tun() {
        let virtual_link = |arp_type, devtype: Option<&str>| SysfsLink {
            arp_type: Some(arp_type),
            devtype: devtype.map(String::from),
            ..Default::default()
        };
        // OpenVPN's offload: the out-of-tree module has no DEVTYPE, the mainline one "ovpn".
        check(virtual_link(65534, None), IfKind::Tunnel);
        check(virtual_link(65534, Some("ovpn")), IfKind::Tunnel);
        // vti/IPIP, vti6/ip6tnl, GRE, ip6gre.
        for arp_type in [768, 769, 778, 823] {
            check(virtual_link(arp_type, None), IfKind::Tunnel);
        }
        // A 6in4 tunnel broker's SIT link brings IPv6; it is no VPN.
        check(virtual_link(776, None), IfKind::Virtual);
        // A raw-IP modem link with hardware is a modem, not a tunnel.
        check(
            SysfsLink {
                arp_type: Some(519),
                device_path: Some("/sys/devices/platform/soc/bam-dmux".into()),
                ..Default::default()
            },
            IfKind::Mobile,
        );
    }

    #[test]
    fn bluetooth_tethering_is_mobile_and_stacked_links_are_followed_down() {
        check(
            SysfsLink {
                arp_type: Some(1),
                devtype: Some("bluetooth".into()),
                device_path: Some(
                    "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-10/1-10:1.0/bluetooth/hci0/hci0:3"
                        .into(),
                ),
                ..Default::default()
            },
            IfKind::Mobile,
        );
        let iface = |name: &str, kind, up, lowers: &[&str]| Interface {
            name: name.into(),
            kind,
            up,
            lowers: lowers.iter().map(|l| l.to_string()).collect(),
        };
        let all = [
            iface("eth0", IfKind::Wired, true, &[]),
            iface("wlan0", IfKind::Wifi, true, &[]),
            iface("vnet0", IfKind::Virtual, true, &[]),
            iface("br0", IfKind::Stacked, true, &["eth0", "vnet0"]),
            iface("br0.10", IfKind::Stacked, true, &["br0"]),
            iface("virbr0", IfKind::Stacked, true, &["vnet0"]),
            iface("eth1", IfKind::Wired, false, &[]),
            iface("bond0", IfKind::Stacked, true, &["eth1", "wlan0"]),
            iface("rmnet_data0", IfKind::Stacked, true, &["wwan0"]),
            iface("wwan0", IfKind::Mobile, true, &[]),
            iface("loop", IfKind::Stacked, true, &["loop"]),
        ];
        assert_eq!(link_kind(&all, "br0"), Some(IfKind::Wired));
        assert_eq!(link_kind(&all, "br0.10"), Some(IfKind::Wired));
        assert_eq!(link_kind(&all, "virbr0"), Some(IfKind::Virtual));
        // The bond's cable is unplugged: its traffic goes over Wi-Fi.
        assert_eq!(link_kind(&all, "bond0"), Some(IfKind::Wifi));
        assert_eq!(link_kind(&all, "rmnet_data0"), Some(IfKind::Mobile));
        assert_eq!(link_kind(&all, "loop"), Some(IfKind::Virtual));
        assert_eq!(link_kind(&all, "nowhere"), None);
    }
}
