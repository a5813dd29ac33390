//! The network probe on the real kernel: network namespaces with veth and tun devices, routes and
//! policy rules set up as VPN clients do. Needs root (CI runs as root).

use crate::util::item;
use serde_json::Value;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A namespace that deletes itself, with the tun device's holder (dropping it closes the tun).
struct Netns {
    name: String,
    _tun: Option<File>,
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

fn ip(ns: &str, args: &str) {
    let out = Command::new("ip")
        .arg("-n")
        .arg(ns)
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip -n {ns} {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `None` (and a note) when this is not root outside CI; in CI it must work.
fn namespace() -> Option<Netns> {
    let name = format!(
        "klaar-t{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let ok = Command::new("ip")
        .args(["netns", "add", &name])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "network namespaces need root: run the tests as root"
        );
        eprintln!("skipped: creating a network namespace needs root");
        return None;
    }
    ip(&name, "link set lo up");
    Some(Netns { name, _tun: None })
}

/// A namespace with a "wired" veth link and a default route over it.
fn with_link() -> Option<Netns> {
    let ns = namespace()?;
    ip(&ns.name, "link add veth0 type veth peer name veth1");
    ip(&ns.name, "addr add 192.0.2.2/24 dev veth0");
    ip(&ns.name, "link set veth1 up");
    ip(&ns.name, "link set veth0 up");
    ip(&ns.name, "route add default via 192.0.2.1 dev veth0");
    Some(ns)
}

/// Creates tun0 inside the namespace, held open as a VPN client would, and brings it up.
fn add_tun(ns: &mut Netns) {
    let name = ns.name.clone();
    let tun = std::thread::spawn(move || {
        // setns changes only this thread's namespace; the device is created where the thread is.
        let handle = File::open(format!("/var/run/netns/{name}")).unwrap();
        assert_eq!(
            unsafe { libc::setns(handle.as_raw_fd(), libc::CLONE_NEWNET) },
            0
        );
        let tun = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/net/tun")
            .unwrap();
        #[repr(C)]
        struct IfReq {
            name: [u8; 16],
            flags: libc::c_short,
            _pad: [u8; 22],
        }
        let mut req = IfReq {
            name: [0; 16],
            flags: (libc::IFF_TUN | libc::IFF_NO_PI) as libc::c_short,
            _pad: [0; 22],
        };
        req.name[..4].copy_from_slice(b"tun0");
        const TUNSETIFF: libc::c_ulong = 0x400454ca;
        assert_eq!(
            unsafe { libc::ioctl(tun.as_raw_fd(), TUNSETIFF as _, &mut req) },
            0,
            "{}",
            std::io::Error::last_os_error()
        );
        tun
    })
    .join()
    .unwrap();
    ns._tun = Some(tun);
    ip(&ns.name, "addr add 10.8.0.2/24 dev tun0");
    ip(&ns.name, "link set tun0 up");
}

fn check_in(ns: &Netns) -> Value {
    let out = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns.name,
            env!("CARGO_BIN_EXE_klaar"),
            "check",
            "--json",
            "--lang",
            "en",
            "--only",
            "network,vpn",
        ])
        .env_remove("KLAAR_ROOT")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn tun_with_both_halves_of_the_internet_is_a_full_tunnel() {
    let Some(mut ns) = with_link() else { return };
    add_tun(&mut ns);
    // OpenVPN's redirect-gateway def1: the default route stays, two /1 routes win.
    ip(&ns.name, "route add 0.0.0.0/1 dev tun0");
    ip(&ns.name, "route add 128.0.0.0/1 dev tun0");
    let report = check_in(&ns);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "pass");
    assert_eq!(
        vpn["facts"],
        serde_json::json!({"active": true, "interfaces": ["tun0"], "full_tunnel": true})
    );
    assert!(vpn["detail"]
        .as_str()
        .unwrap()
        .contains("carries all your internet traffic"));
    let network = &item(&report, "network")["facts"];
    assert_eq!(
        (network["tunnel"].as_str(), network["interface"].as_str()),
        (Some("tun0"), Some("veth0"))
    );
}

#[test]
fn tun_with_only_the_office_network_is_a_split_tunnel() {
    let Some(mut ns) = with_link() else { return };
    add_tun(&mut ns);
    ip(&ns.name, "route add 10.0.0.0/8 dev tun0");
    let report = check_in(&ns);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["facts"]["full_tunnel"], false);
    assert!(vpn["detail"]
        .as_str()
        .unwrap()
        .contains("only for your organisation's networks"));
    assert_eq!(item(&report, "network")["facts"]["tunnel"], Value::Null);
}

#[test]
fn default_route_in_its_own_table_is_found_through_the_rules() {
    let Some(mut ns) = with_link() else { return };
    add_tun(&mut ns);
    // What wg-quick does: the main table still says veth0, only the rules lead into the tunnel.
    ip(&ns.name, "route add default dev tun0 table 51820");
    ip(&ns.name, "rule add not fwmark 51820 table 51820");
    ip(&ns.name, "rule add table main suppress_prefixlength 0");
    let report = check_in(&ns);
    assert_eq!(item(&report, "vpn")["facts"]["full_tunnel"], true);
    assert_eq!(item(&report, "network")["facts"]["interface"], "veth0");
}

#[test]
fn a_tun_nobody_holds_is_no_vpn_and_a_veth_is_no_known_link() {
    let Some(ns) = with_link() else { return };
    ip(&ns.name, "tuntap add dev tun9 mode tun");
    ip(&ns.name, "link set tun9 up");
    let report = check_in(&ns);
    assert_eq!(item(&report, "vpn")["facts"]["active"], false);
    assert_eq!(item(&report, "vpn")["status"], "warn");
    let network = item(&report, "network");
    assert_eq!(
        (
            network["status"].as_str(),
            network["facts"]["kind"].as_str()
        ),
        (Some("unknown"), Some("other"))
    );
}

#[test]
fn no_route_out_is_no_network() {
    let Some(ns) = namespace() else { return };
    let report = check_in(&ns);
    let network = item(&report, "network");
    assert_eq!(
        (
            network["status"].as_str(),
            network["facts"]["kind"].as_str()
        ),
        (Some("fail"), Some("none"))
    );
}
