//! Fake system services for tests and `cargo xtask bench`: NetworkManager, iwd and PackageKit
//! as zbus objects at their real paths, served on a bus the caller starts (a private
//! `dbus-daemon`, reached by `klaar` as its system bus through `DBUS_SYSTEM_BUS_ADDRESS`).
//! Self-contained, so the bench includes it by path.

#![allow(dead_code)]

use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedObjectPath;

const ACTIVE_WIFI: &str = "/org/freedesktop/NetworkManager/ActiveConnection/3";
const ACTIVE_VPN: &str = "/org/freedesktop/NetworkManager/ActiveConnection/4";
const AP: &str = "/org/freedesktop/NetworkManager/AccessPoint/12";

/// What the fake NetworkManager says.
#[derive(Clone)]
pub struct Nm {
    pub primary_type: &'static str,
    /// (Flags, WpaFlags, RsnFlags) of the access point in use.
    pub ap: (u32, u32, u32),
    pub ssid: Vec<u8>,
    pub connectivity: u32,
    pub check_enabled: bool,
}

fn path(p: &str) -> OwnedObjectPath {
    OwnedObjectPath::try_from(p).unwrap()
}

struct Manager(Nm);

#[zbus::interface(name = "org.freedesktop.NetworkManager")]
impl Manager {
    #[zbus(property)]
    fn primary_connection(&self) -> OwnedObjectPath {
        path(if self.0.primary_type == "vpn" {
            ACTIVE_VPN
        } else {
            ACTIVE_WIFI
        })
    }
    #[zbus(property)]
    fn primary_connection_type(&self) -> String {
        self.0.primary_type.into()
    }
    #[zbus(property)]
    fn active_connections(&self) -> Vec<OwnedObjectPath> {
        vec![path(ACTIVE_VPN), path(ACTIVE_WIFI)]
    }
    #[zbus(property)]
    fn connectivity(&self) -> u32 {
        self.0.connectivity
    }
    #[zbus(property)]
    fn connectivity_check_enabled(&self) -> bool {
        self.0.check_enabled
    }
}

struct Active {
    kind: &'static str,
    specific: &'static str,
}

#[zbus::interface(name = "org.freedesktop.NetworkManager.Connection.Active")]
impl Active {
    #[zbus(property, name = "Type")]
    fn kind(&self) -> String {
        self.kind.into()
    }
    #[zbus(property)]
    fn state(&self) -> u32 {
        2
    }
    #[zbus(property)]
    fn specific_object(&self) -> OwnedObjectPath {
        path(self.specific)
    }
}

struct AccessPoint(Nm);

#[zbus::interface(name = "org.freedesktop.NetworkManager.AccessPoint")]
impl AccessPoint {
    #[zbus(property)]
    fn flags(&self) -> u32 {
        self.0.ap.0
    }
    #[zbus(property)]
    fn wpa_flags(&self) -> u32 {
        self.0.ap.1
    }
    #[zbus(property)]
    fn rsn_flags(&self) -> u32 {
        self.0.ap.2
    }
    #[zbus(property)]
    fn ssid(&self) -> Vec<u8> {
        self.0.ssid.clone()
    }
}

/// Serves a fake NetworkManager on the bus at `address`, for as long as the connection lives.
pub fn serve_nm(address: &str, nm: Nm) -> zbus::blocking::Connection {
    zbus::blocking::connection::Builder::address(address)
        .unwrap()
        .name("org.freedesktop.NetworkManager")
        .unwrap()
        .serve_at("/org/freedesktop/NetworkManager", Manager(nm.clone()))
        .unwrap()
        .serve_at(
            ACTIVE_WIFI,
            Active {
                kind: "802-11-wireless",
                specific: AP,
            },
        )
        .unwrap()
        .serve_at(
            ACTIVE_VPN,
            Active {
                kind: "vpn",
                specific: "/",
            },
        )
        .unwrap()
        .serve_at(AP, AccessPoint(nm))
        .unwrap()
        .build()
        .unwrap()
}

/// A home network: WPA2-Personal, internet reachable.
pub fn home_wifi() -> Nm {
    Nm {
        primary_type: "802-11-wireless",
        ap: (0x1, 0, 0x188),
        ssid: b"Thuisnetwerk".to_vec(),
        connectivity: 4,
        check_enabled: true,
    }
}

struct IwdStation;

#[zbus::interface(name = "net.connman.iwd.Station")]
impl IwdStation {
    #[zbus(property)]
    fn state(&self) -> String {
        "connected".into()
    }
    #[zbus(property)]
    fn connected_network(&self) -> OwnedObjectPath {
        path("/net/connman/iwd/0/3/5468756973_psk")
    }
}

struct IwdNetwork;

#[zbus::interface(name = "net.connman.iwd.Network")]
impl IwdNetwork {
    #[zbus(property)]
    fn name(&self) -> String {
        "Thuisnetwerk".into()
    }
    #[zbus(property, name = "Type")]
    fn kind(&self) -> String {
        "psk".into()
    }
}

/// iwd's objects, with the object manager at `/` as iwd has it.
pub fn serve_iwd(address: &str) -> zbus::blocking::Connection {
    zbus::blocking::connection::Builder::address(address)
        .unwrap()
        .name("net.connman.iwd")
        .unwrap()
        .serve_at("/", zbus::fdo::ObjectManager)
        .unwrap()
        .serve_at("/net/connman/iwd/0/3", IwdStation)
        .unwrap()
        .serve_at("/net/connman/iwd/0/3/5468756973_psk", IwdNetwork)
        .unwrap()
        .build()
        .unwrap()
}

const TRANSACTION: &str = "/1_dcbabcde";

#[derive(Clone, Copy, PartialEq)]
pub enum Answer {
    /// One `Package` signal per update.
    OneByOne,
    /// One `Packages` signal with all of them.
    Batched,
    /// Never `Finished`.
    Hang,
}

/// The updates a fake PackageKit knows of: `(info, package id)`.
pub const KNOWN: &[(u32, &str)] = &[
    (8, "openssl;3.0.15-1~deb12u1;amd64;debian-security"),
    (8, "firefox-esr;128.5.0esr-1~deb12u1;amd64;debian-security"),
    (5, "tzdata;2024b-0+deb12u1;all;debian"),
    (6, "libc6;2.36-9+deb12u9;amd64;debian"),
    (3, "fonts-noto;20201225-1;all;debian"),
    (9, "nvidia-driver;535.216.01-1;amd64;debian"),
];

struct PackageKit;

#[zbus::interface(name = "org.freedesktop.PackageKit")]
impl PackageKit {
    fn create_transaction(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(TRANSACTION).unwrap()
    }
}

struct Transaction(Answer);

#[zbus::interface(name = "org.freedesktop.PackageKit.Transaction")]
impl Transaction {
    async fn get_updates(
        &self,
        filter: u64,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        assert_eq!(filter, 2, "the 'none' filter");
        match self.0 {
            Answer::OneByOne => {
                for (info, id) in KNOWN {
                    Self::package(&emitter, *info, id, "summary").await?;
                }
            }
            Answer::Batched => {
                let all: Vec<(u32, String, String)> = KNOWN
                    .iter()
                    .map(|(i, id)| (*i, id.to_string(), String::new()))
                    .collect();
                Self::packages(&emitter, all).await?;
            }
            Answer::Hang => return Ok(()),
        }
        Self::finished(&emitter, 1, 40).await?;
        Ok(())
    }

    #[zbus(signal)]
    async fn package(
        emitter: &SignalEmitter<'_>,
        info: u32,
        package_id: &str,
        summary: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn packages(
        emitter: &SignalEmitter<'_>,
        packages: Vec<(u32, String, String)>,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn finished(emitter: &SignalEmitter<'_>, exit: u32, runtime: u32) -> zbus::Result<()>;
}

/// Serves a fake PackageKit on the bus at `address`, for as long as the connection lives.
pub fn serve_packagekit(address: &str, answer: Answer) -> zbus::blocking::Connection {
    zbus::blocking::connection::Builder::address(address)
        .unwrap()
        .name("org.freedesktop.PackageKit")
        .unwrap()
        .serve_at("/org/freedesktop/PackageKit", PackageKit)
        .unwrap()
        .serve_at(TRANSACTION, Transaction(answer))
        .unwrap()
        .build()
        .unwrap()
}
