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
    /// A WWAN modem, or a phone tethering over USB.
    Mobile,
    WireGuard,
    Tun,
    Tap,
    Ppp,
    /// veth, bridges, docker, bonds: no hardware of their own.
    Virtual,
}

impl IfKind {
    pub fn is_tunnel(self) -> bool {
        matches!(
            self,
            IfKind::WireGuard | IfKind::Tun | IfKind::Tap | IfKind::Ppp
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
}

const IFF_UP: u32 = 0x1;
/// `operstate` values of an interface that cannot carry traffic. "unknown" is normal for tunnels.
const DOWN_STATES: &[&str] = &["down", "lowerlayerdown", "notpresent", "dormant"];
const ARPHRD_ETHER: u32 = 1;
const ARPHRD_PPP: u32 = 512;
const ARPHRD_LOOPBACK: u32 = 772;
/// USB network drivers that phones use for tethering (Android RNDIS and NCM, Apple's ipheth) and
/// that modems use for WWAN.
const MOBILE_DRIVERS: &[&str] = &[
    "rndis_host",
    "ipheth",
    "cdc_ncm",
    "cdc_ether",
    "qmi_wwan",
    "cdc_mbim",
];

pub fn read_all(root: &Root) -> Result<Vec<Interface>, ProbeError> {
    require_dir(&root.join("sys"))?;
    let class = root.join("sys/class/net");
    let mut out = Vec::new();
    for name in list_dir(&class)? {
        if let Some(interface) = read_one(&class.join(&name), name)? {
            out.push(interface);
        }
    }
    Ok(out)
}

/// `None` when the interface vanished while we looked.
fn read_one(dir: &Path, name: String) -> Result<Option<Interface>, ProbeError> {
    let Some(flags) = read_hex(&dir.join("flags"))? else {
        return Ok(None);
    };
    let arp_type = read_num::<u32>(&dir.join("type"))?;
    let tun_flags = read_hex(&dir.join("tun_flags"))?;
    let sysfs = SysfsLink {
        devtype: read_opt(&dir.join("uevent"))?.as_deref().and_then(devtype),
        arp_type,
        tun_flags,
        wireless: dir.join("wireless").exists() || dir.join("phy80211").exists(),
        enslaved: dir.join("brport").exists() || dir.join("master").exists(),
        device_path: std::fs::canonicalize(dir.join("device"))
            .ok()
            .map(|p| p.display().to_string()),
        driver: link_name(&dir.join("device/driver")),
    };
    // sysfs `flags` holds the administrative flags only (never IFF_RUNNING): `operstate` tells
    // whether the link is really there.
    let operational = read_opt(&dir.join("operstate"))?
        .is_none_or(|state| !DOWN_STATES.contains(&state.as_str()));
    Ok(Some(Interface {
        name,
        kind: classify(&sysfs),
        up: flags & IFF_UP != 0 && operational,
    }))
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
    /// Resolved `device` link; absent for virtual interfaces.
    pub device_path: Option<String>,
    pub driver: Option<String>,
}

pub fn classify(link: &SysfsLink) -> IfKind {
    let devtype = link.devtype.as_deref().unwrap_or_default();
    if link.arp_type == Some(ARPHRD_LOOPBACK) {
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
    if link.arp_type == Some(ARPHRD_PPP) {
        return IfKind::Ppp;
    }
    if devtype == "wlan" || link.wireless {
        return IfKind::Wifi;
    }
    if devtype == "wwan" {
        return IfKind::Mobile;
    }
    let Some(device) = &link.device_path else {
        return IfKind::Virtual;
    };
    let driver = link.driver.as_deref().unwrap_or_default();
    if device.contains("/usb") && MOBILE_DRIVERS.contains(&driver) {
        return IfKind::Mobile;
    }
    if link.arp_type == Some(ARPHRD_ETHER) {
        IfKind::Wired
    } else {
        IfKind::Virtual
    }
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
            IfKind::Virtual,
        );
        check(
            SysfsLink {
                arp_type: Some(1),
                ..Default::default()
            },
            IfKind::Virtual,
        );
    }
}
