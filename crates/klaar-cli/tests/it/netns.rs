//! The network probe on the real kernel: network namespaces with veth and tun devices, routes and
//! policy rules set up as VPN clients do. Needs root (CI runs as root).

use crate::util::{details, item};
use serde_json::Value;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A namespace that deletes itself, with the tun devices' holders (dropping one closes its tun).
struct Netns {
    name: String,
    tuns: Vec<File>,
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
    Some(Netns {
        name,
        tuns: Vec::new(),
    })
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

/// Creates tun0 inside the namespace, held open as a VPN client would, with an address, up.
fn add_tun(ns: &mut Netns) {
    hold_tun(ns, "tun0");
    ip(&ns.name, "addr add 10.8.0.2/24 dev tun0");
}

/// Creates the tun `name` inside the namespace, held open as a VPN daemon would, and brings it
/// up, without any address or route.
fn hold_tun(ns: &mut Netns, name: &str) {
    let ns_name = ns.name.clone();
    let if_name = name.to_string();
    let tun = std::thread::spawn(move || {
        // setns changes only this thread's namespace; the device is created where the thread is.
        let handle = File::open(format!("/var/run/netns/{ns_name}")).unwrap();
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
        req.name[..if_name.len()].copy_from_slice(if_name.as_bytes());
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
    ns.tuns.push(tun);
    ip(&ns.name, &format!("link set {name} up"));
}

/// `klaar ARGS` run inside the namespace.
fn klaar_in(ns: &Netns, args: &[&str]) -> std::process::Output {
    Command::new("ip")
        .args(["netns", "exec", &ns.name, env!("CARGO_BIN_EXE_klaar")])
        .args(args)
        .env_remove("KLAAR_ROOT")
        .output()
        .unwrap()
}

/// The live check inside the namespace, and the same machine captured with `klaar debug capture`
/// and replayed: both must say the same about the network and the VPN.
fn check_and_replay(ns: &Netns) -> Value {
    let live = check_in(ns);
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture");
    let out = klaar_in(ns, &["debug", "capture", capture.to_str().unwrap()]);
    assert!(out.status.success(), "capture: {out:?}");
    let same_as_live = |how: &str| {
        let (replayed, _) = crate::util::check_json(Some(&capture), &["--only", "network,vpn"]);
        for id in ["network", "vpn"] {
            let (a, b) = (item(&live, id), item(&replayed, id));
            assert_eq!(
                (&a["status"], &a["facts"], &a["detail"]),
                (&b["status"], &b["facts"], &b["detail"]),
                "{id}: the capture replayed {how} differs from the live check"
            );
        }
    };
    // The capture holds the kernel's own answer for the way out, which the replay repeats.
    same_as_live("with the kernel's answer");
    // Without it, the replay works the way out from the captured rules, tables and addresses,
    // as the kernel does: it must come to the same.
    let file = capture.join("klaar/routing.json");
    let mut routing: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(routing["kernel"].is_object(), "{routing:#}");
    routing["kernel"] = Value::Null;
    std::fs::write(&file, routing.to_string()).unwrap();
    same_as_live("from the routing state alone");
    live
}

/// The VPN item's "active" and "full tunnel" facts.
fn active_and_full(vpn: &Value) -> (Option<bool>, Option<bool>) {
    (
        vpn["facts"]["active"].as_bool(),
        vpn["facts"]["full_tunnel"].as_bool(),
    )
}

fn check_in(ns: &Netns) -> Value {
    let out = klaar_in(
        ns,
        &["check", "--json", "--lang", "en", "--only", "network,vpn"],
    );
    crate::util::report(
        &String::from_utf8_lossy(&out.stdout),
        &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn tun_with_both_halves_of_the_internet_is_a_full_tunnel() {
    let Some(mut ns) = with_link() else { return };
    add_tun(&mut ns);
    // OpenVPN's redirect-gateway def1: the default route stays, two /1 routes win.
    ip(&ns.name, "route add 0.0.0.0/1 dev tun0");
    ip(&ns.name, "route add 128.0.0.0/1 dev tun0");
    let report = check_and_replay(&ns);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "pass");
    assert_eq!(
        vpn["facts"],
        serde_json::json!({"active": true, "interfaces": ["tun0"], "full_tunnel": true, "ipsec": false, "ipsec_unknown": null})
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
    let report = check_and_replay(&ns);
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
    let report = check_and_replay(&ns);
    assert_eq!(item(&report, "vpn")["facts"]["full_tunnel"], true);
    assert_eq!(item(&report, "network")["facts"]["interface"], "veth0");
}

#[test]
fn a_tun_nobody_holds_is_no_vpn_and_a_veth_is_no_known_link() {
    let Some(ns) = with_link() else { return };
    ip(&ns.name, "tuntap add dev tun9 mode tun");
    ip(&ns.name, "link set tun9 up");
    let report = check_and_replay(&ns);
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
    let report = check_and_replay(&ns);
    let network = item(&report, "network");
    assert_eq!(
        (
            network["status"].as_str(),
            network["facts"]["kind"].as_str()
        ),
        (Some("fail"), Some("none"))
    );
}

/// The real-machine case `vpn_tailscale_exit_node_live`: Tailscale with an exit node puts its
/// default route in table 52 and reaches it through its own rules.
#[test]
fn tailscale_exit_node_through_table_52_is_a_full_tunnel() {
    let Some(mut ns) = with_link() else { return };
    hold_tun(&mut ns, "tailscale0");
    ip(&ns.name, "addr add 100.101.102.103/32 dev tailscale0");
    ip(&ns.name, "route add default dev tailscale0 table 52");
    ip(
        &ns.name,
        "route add 100.100.100.100 dev tailscale0 table 52",
    );
    for (pref, action) in [
        (5210, "lookup main"),
        (5230, "lookup default"),
        (5250, "unreachable"),
    ] {
        ip(
            &ns.name,
            &format!("rule add pref {pref} fwmark 0x80000/0xff0000 {action}"),
        );
    }
    ip(&ns.name, "rule add pref 5270 lookup 52");
    let report = check_and_replay(&ns);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "pass");
    assert_eq!(
        vpn["facts"],
        serde_json::json!({"active": true, "interfaces": ["tailscale0"], "full_tunnel": true, "ipsec": false, "ipsec_unknown": null})
    );
    assert_eq!(item(&report, "network")["facts"]["tunnel"], "tailscale0");
}

/// The real-machine case `vpn_tailscale_down_live`: after `tailscale down` the daemon keeps
/// tailscale0 open and up, with no address, route or rule. No traffic can enter it.
#[test]
fn a_tunnel_that_is_up_without_address_route_or_rule_is_no_vpn() {
    let Some(mut ns) = with_link() else { return };
    hold_tun(&mut ns, "tailscale0");
    let report = check_and_replay(&ns);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "warn", "{vpn:#}");
    assert_eq!(vpn["facts"]["active"], false);
    assert_eq!(vpn["facts"]["interfaces"], serde_json::json!([]));
    // The same tunnel with only a route for the office network in its own table is in use.
    ip(&ns.name, "route add 10.0.0.0/8 dev tailscale0 table 52");
    ip(&ns.name, "rule add pref 5270 lookup 52");
    let vpn = item(&check_and_replay(&ns), "vpn").clone();
    assert_eq!(active_and_full(&vpn), (Some(true), Some(false)), "{vpn:#}");
}

/// Policy-based IPsec as strongSwan sets it up: a virtual IP on the uplink, IPsec policies that
/// send traffic from it into a tunnel, table 220 with that source.
fn ipsec(ns: &Netns, remote: &str) {
    ip(&ns.name, "addr add 10.10.10.5/32 dev veth0");
    ip(
        &ns.name,
        &format!("xfrm policy add src 10.10.10.5/32 dst {remote} dir out tmpl src 192.0.2.2 dst 203.0.113.1 proto esp mode tunnel"),
    );
    ip(
        &ns.name,
        &format!("xfrm policy add src {remote} dst 10.10.10.5/32 dir in tmpl src 203.0.113.1 dst 192.0.2.2 proto esp mode tunnel"),
    );
    ip(
        &ns.name,
        &format!("route add {remote} via 192.0.2.1 dev veth0 src 10.10.10.5 table 220"),
    );
    ip(&ns.name, "rule add pref 220 lookup 220");
}

/// The real-machine case `vpn_ipsec_policy_based_live`: no tunnel interface, yet everything goes
/// through the VPN.
#[test]
fn policy_based_ipsec_for_everything_is_a_full_tunnel() {
    let Some(ns) = with_link() else { return };
    ipsec(&ns, "0.0.0.0/0");
    let report = check_and_replay(&ns);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "pass", "{vpn:#}");
    assert_eq!(
        vpn["facts"],
        serde_json::json!({"active": true, "interfaces": [], "full_tunnel": true, "ipsec": true, "ipsec_unknown": null})
    );
    assert!(details(vpn).contains("IPsec"), "{vpn:#}");
}

#[test]
fn policy_based_ipsec_for_the_office_only_is_a_split_tunnel() {
    let Some(ns) = with_link() else { return };
    ipsec(&ns, "10.0.0.0/8");
    let vpn = item(&check_and_replay(&ns), "vpn").clone();
    assert_eq!(active_and_full(&vpn), (Some(true), Some(false)), "{vpn:#}");
}

/// A rule that sends only one user's traffic into the tunnel (as NetworkManager and some VPN
/// clients do per user) counts for the user who runs the check.
#[test]
fn a_rule_for_another_user_does_not_make_a_tunnel_of_ours() {
    let Some(mut ns) = with_link() else { return };
    add_tun(&mut ns);
    ip(&ns.name, "route add default dev tun0 table 100");
    ip(&ns.name, "rule add pref 100 uidrange 4000-4999 lookup 100");
    let vpn = item(&check_and_replay(&ns), "vpn").clone();
    assert_eq!(vpn["facts"]["full_tunnel"], false, "{vpn:#}");
    // The check runs as root (uid 0): a rule for uid 0 sends our traffic into the tunnel.
    ip(&ns.name, "rule add pref 99 uidrange 0-0 lookup 100");
    let vpn = item(&check_and_replay(&ns), "vpn").clone();
    assert_eq!(vpn["facts"]["full_tunnel"], true, "{vpn:#}");
}

/// Reading IPsec policies needs administrator rights. Checked as an ordinary user, a running
/// IPsec program makes the VPN item "unknown" with what to look at, instead of a false "no VPN";
/// without one, there is nothing to suspect.
#[test]
fn ipsec_that_an_ordinary_user_cannot_see_is_unknown_while_its_program_runs() {
    let Some(ns) = with_link() else { return };
    ipsec(&ns, "0.0.0.0/0");
    let as_nobody = || -> Value {
        let out = Command::new("ip")
            .args(["netns", "exec", &ns.name])
            .args([
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ])
            .arg(env!("CARGO_BIN_EXE_klaar"))
            .args(["check", "--json", "--lang", "en", "--only", "vpn"])
            .env_remove("KLAAR_ROOT")
            .output()
            .unwrap();
        crate::util::report(
            &String::from_utf8_lossy(&out.stdout),
            &String::from_utf8_lossy(&out.stderr),
        )
    };
    let report = as_nobody();
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "warn", "{vpn:#}");
    assert_eq!(vpn["facts"]["ipsec_unknown"], Value::Null);

    // strongSwan's daemon, as far as the process table tells: a program named charon.
    let dir = tempfile::tempdir().unwrap();
    let charon = dir.path().join("charon");
    std::fs::copy("/bin/sleep", &charon).unwrap();
    let mut daemon = Command::new(&charon).arg("30").spawn().unwrap();
    let report = as_nobody();
    let _ = daemon.kill();
    let _ = daemon.wait();
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "unknown", "{vpn:#}");
    assert_eq!(vpn["facts"]["ipsec_unknown"], "charon");
    assert!(
        vpn["detail"]
            .as_str()
            .unwrap()
            .contains("administrator rights"),
        "{vpn:#}"
    );
}
