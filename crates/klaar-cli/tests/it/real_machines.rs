//! The situations of `shared/cases/real-machines`, taken from real users' machines: each replay
//! tree is a fixture of the same name, checked for what its README says Klaar must report. The
//! live cases (Tailscale, IPsec, a PipeWire Bluetooth headset) are in `netns.rs` and
//! `microphone.rs`, named after their case.

use crate::fixtures::check;
use crate::util::{check_json, fixture, item};
use serde_json::json;

#[test]
fn power_capacity_over_100() {
    // Two batteries on the charger, one reporting 117 %: full, not "cannot tell".
    check(
        "power_capacity_over_100",
        "power",
        "pass",
        json!({"on_battery": false}),
    );
    let (report, _) = check_json(
        Some(&fixture("power_capacity_over_100")),
        &["--only", "power"],
    );
    let percent = item(&report, "power")["facts"]["battery_percent"]
        .as_u64()
        .unwrap();
    assert!((99..=100).contains(&percent), "{percent}");
}

#[test]
fn power_stale_usbc_source_online() {
    // The battery drains while a USB-C port still says "online".
    check(
        "power_stale_usbc_source_online",
        "power",
        "warn",
        json!({"on_battery": true, "battery_percent": 99}),
    );
}

#[test]
fn vpn_openvpn_dco_full_tunnel() {
    check(
        "vpn_openvpn_dco_full_tunnel",
        "vpn",
        "pass",
        json!({"active": true, "interfaces": ["tun0"], "full_tunnel": true}),
    );
    check(
        "vpn_openvpn_dco_full_tunnel",
        "network",
        "warn",
        json!({"kind": "wifi", "interface": "wlp0s20f3", "tunnel": "tun0", "signal_dbm": -55}),
    );
}

#[test]
fn net_usb_dock_ethernet_cdc_ncm() {
    check(
        "net_usb_dock_ethernet_cdc_ncm",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "enx0a0b0c0d0e0f"}),
    );
}

#[test]
fn net_bluetooth_pan_tethering() {
    check(
        "net_bluetooth_pan_tethering",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "bnep0"}),
    );
}

#[test]
fn net_ethernet_in_bridge_for_vms() {
    check(
        "net_ethernet_in_bridge_for_vms",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "br0"}),
    );
}

#[test]
fn vpn_libvirt_vnet_is_not_a_vpn() {
    check(
        "vpn_libvirt_vnet_is_not_a_vpn",
        "vpn",
        "warn",
        json!({"active": false, "interfaces": []}),
    );
    check(
        "vpn_libvirt_vnet_is_not_a_vpn",
        "network",
        "warn",
        json!({"kind": "wifi", "interface": "wlp0s20f3"}),
    );
}

#[test]
fn apps_teams_as_edge_pwa() {
    check(
        "apps_teams_as_edge_pwa",
        "call_apps",
        "pass",
        json!({"running": [{"app": "teams", "name": "Microsoft Teams", "avg": "yes"}]}),
    );
}

#[test]
fn camera_ir_camera_enumerated_first() {
    check(
        "camera_ir_camera_enumerated_first",
        "camera",
        "warn",
        json!({"present": true, "busy_by": "teams-for-linux"}),
    );
    let (report, _) = check_json(
        Some(&fixture("camera_ir_camera_enumerated_first")),
        &["--only", "camera"],
    );
    let name = item(&report, "camera")["facts"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(name.starts_with("Integrated Camera"), "{name}");
}
