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

// More machines of the same kinds, re-created from public bug reports of battery tools,
// NetworkManager, OpenVPN, Tailscale and camera projects (each fixture's situation is named in
// its test).

/// Kind 2: "Not charging" on the charger with a charge limit (i3status, i3blocks reports), and a
/// phone charger too weak for the laptop (Waybar, fwupd reports).
#[test]
fn power_on_the_charger_or_draining_through_it() {
    check(
        "laptop-not-charging-on-ac",
        "power",
        "pass",
        json!({"on_battery": false, "battery_percent": 80}),
    );
    check(
        "laptop-weak-usbc-charger",
        "power",
        "warn",
        json!({"on_battery": true, "battery_percent": 64, "minutes_left": 457}),
    );
}

/// Kind 1: a Bluetooth keyboard's battery without `scope` is not a laptop battery (bazzite,
/// psutil reports).
#[test]
fn a_peripheral_battery_never_makes_a_desktop_a_laptop() {
    check(
        "desktop-bluetooth-keyboard-battery",
        "power",
        "pass",
        json!({"on_battery": false, "battery_percent": null}),
    );
}

/// Kind 4: the USB device decides: a Pixel on NCM and a Huawei HiLink stick on ECM are mobile, a
/// dock's Realtek chip on NCM is wired.
#[test]
fn usb_network_adapters_by_their_device() {
    check(
        "phone-pixel-ncm-tethering",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "enx6a2b3c4d5e6f"}),
    );
    check(
        "huawei-hilink-modem",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "enx001e101f0000"}),
    );
    check(
        "dock-usb-ethernet-with-ids",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "enxc8a362aabbcc"}),
    );
}

/// Kind 6: a VLAN on a bond of two cables; a multiplexed modem link on its modem.
#[test]
fn stacked_links_are_followed_down() {
    check(
        "wired-bond-vlan",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "bond0.20"}),
    );
    check(
        "modem-rmnet-multiplexed",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "rmnet_data0"}),
    );
}

/// Kinds 3 and 7: the mainline `ovpn` device carrying the office network; a WireGuard interface
/// that is up with nothing routed into it.
#[test]
fn kernel_vpn_devices_and_idle_tunnels() {
    check(
        "vpn-ovpn-mainline-over-wired",
        "vpn",
        "pass",
        json!({"active": true, "interfaces": ["tun0"], "full_tunnel": false}),
    );
    check(
        "vpn-ovpn-mainline-over-wired",
        "network",
        "pass",
        json!({"kind": "wired", "tunnel": null}),
    );
    check(
        "wireguard-idle-interface",
        "vpn",
        "warn",
        json!({"active": false, "interfaces": [], "full_tunnel": null}),
    );
}

/// Kind 11: an IPU6 laptop's raw sensor nodes come first, the usable camera is the relay; a
/// webcam beside OBS's virtual camera is the one checked.
#[test]
fn the_camera_call_apps_use() {
    check(
        "camera-ipu6-with-relay",
        "camera",
        "fail",
        json!({"present": true, "name": "Intel MIPI Camera"}),
    );
    check(
        "camera-obs-virtual-and-webcam",
        "camera",
        "warn",
        json!({"present": true, "name": "HD Pro Webcam C920", "busy_by": "obs"}),
    );
}

/// PPP is a link layer of modems and DSL as much as of VPNs: the program that runs it decides.
#[test]
fn a_ppp_link_is_a_vpn_only_when_a_vpn_runs_it() {
    check(
        "modem-ppp-usb-stick",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "ppp0", "tunnel": null}),
    );
    check(
        "modem-ppp-usb-stick",
        "vpn",
        "warn",
        json!({"active": false}),
    );
    check(
        "desktop-pppoe-dsl",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "ppp0", "tunnel": null}),
    );
    check("desktop-pppoe-dsl", "vpn", "warn", json!({"active": false}));
    check(
        "vpn-openfortivpn-over-wifi",
        "vpn",
        "pass",
        json!({"active": true, "interfaces": ["ppp0"], "full_tunnel": true}),
    );
    check(
        "vpn-openfortivpn-over-wifi",
        "network",
        "warn",
        json!({"kind": "wifi", "interface": "wlp0s20f3", "tunnel": "ppp0"}),
    );
}

/// A 6in4 tunnel from an IPv6 tunnel broker brings IPv6; it encrypts nothing and is no VPN.
#[test]
fn an_ipv6_tunnel_broker_is_no_vpn() {
    check(
        "ipv6-tunnel-broker-sit",
        "vpn",
        "warn",
        json!({"active": false, "interfaces": []}),
    );
    check(
        "ipv6-tunnel-broker-sit",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "enp0s31f6"}),
    );
}

/// The program that feeds a virtual camera always holds it; that is not "in use".
#[test]
fn a_virtual_camera_is_not_busy_because_of_its_feeder() {
    check(
        "camera-ipu6-relay-held-by-its-feeder",
        "camera",
        "fail",
        json!({"present": true, "name": "Intel MIPI Camera", "busy_by": null}),
    );
}

/// Policy routing as VPN clients set it up, with the kernel's own answer left out of the capture
/// (`"kernel": null`), so Klaar works the way out from the rules and tables as the kernel would:
/// wg-quick for both families and for IPv4 only (IPv6 then bypasses it), Mullvad beside
/// Tailscale, NetworkManager's WireGuard, route-based strongSwan, an openconnect split tunnel
/// that happens to include 9.0.0.0/8, and openconnect owning the only default route.
#[test]
fn policy_routing_of_vpn_clients_worked_out_from_rules_and_tables() {
    let full = |name: &str, tunnel: &str, kind: &str| {
        check(
            name,
            "vpn",
            "pass",
            json!({"active": true, "full_tunnel": true}),
        );
        check(
            name,
            "network",
            if kind == "wired" { "pass" } else { "warn" },
            json!({"kind": kind, "tunnel": tunnel}),
        );
    };
    full("vpn-wgquick-full-v4-v6", "wg0", "wifi");
    full("vpn-mullvad-plus-tailscale", "wg0-mullvad", "wifi");
    full("vpn-nm-wireguard-full", "wg-office", "wired");
    full("vpn-strongswan-xfrm-interface-full", "ipsec0", "wired");
    // The VPN owns the only default route; the VPN server is reached over Wi-Fi, and a cable
    // to a NAS carries only its own network.
    full(
        "vpn-openconnect-default-replaced-cable-to-nas",
        "tun0",
        "wifi",
    );
    check(
        "vpn-openconnect-default-replaced-cable-to-nas",
        "network",
        "warn",
        json!({"interface": "wlp0s20f3"}),
    );
    for split in [
        "vpn-wgquick-v4-only-ipv6-leak",
        "vpn-split-includes-9-0-0-0-8",
    ] {
        check(
            split,
            "vpn",
            "pass",
            json!({"active": true, "full_tunnel": false}),
        );
    }
    check(
        "vpn-split-includes-9-0-0-0-8",
        "network",
        "warn",
        json!({"kind": "wifi", "tunnel": null}),
    );
}

/// A full internal pack reporting energy beside a nearly empty replacement reporting charge
/// (ThinkPads with two batteries): weighed by their size, about a third full.
#[test]
fn batteries_in_energy_and_in_charge_weigh_by_size() {
    check(
        "pw-dual-battery-mixed-units",
        "power",
        "warn",
        json!({"on_battery": true, "battery_percent": 32}),
    );
}

/// More machines of the kinds above, each from a public report, re-created from its facts.
mod same_kinds {
    use crate::fixtures::check;
    use crate::util::{check_json, copy_fixture, item};
    use serde_json::json;

    #[test]
    fn a_phantom_second_battery_is_not_averaged_in() {
        // ThinkPad, BAT0 charging at 90 %, BAT1 "Unknown" holding 0 Wh (Waybar#1856).
        check(
            "thinkpad-phantom-second-battery",
            "power",
            "pass",
            json!({"on_battery": false, "battery_percent": 90}),
        );
    }

    #[test]
    fn a_full_battery_with_every_charger_saying_off_is_not_called_on_battery() {
        // ThinkPad T14 AMD on USB-C: the AC supply never says online and there is no USB
        // supply, the battery says Full at 100 % with nothing flowing (laptop-mode-tools#191).
        // One look is the same as a plug pulled a second ago: Klaar says it cannot tell,
        // never "on battery" to someone on the charger.
        let (report, _) = check_json(
            Some(&crate::util::fixture("thinkpad-usbc-ac-never-online")),
            &["--only", "power"],
        );
        let power = item(&report, "power");
        assert_eq!(power["status"], "unknown", "{power:#}");
        assert_eq!(power["facts"]["on_battery"], serde_json::Value::Null);
        assert_eq!(
            power["detail"],
            "Klaar cannot tell whether your laptop is on battery or plugged in."
        );
        // A USB-C port the kernel gives scope Device (firmware advertising neither an AC supply
        // nor battery charging over UCSI; also graphics cards' USB-C ports) saying online does
        // not settle it either: such a port may not charge, or still say online after the plug
        // is pulled. Still "cannot tell", never "plugged in".
        let (report, _) = check_json(
            Some(&crate::util::fixture("laptop-ucsi-port-scope-device")),
            &["--only", "power"],
        );
        assert_eq!(item(&report, "power")["status"], "unknown");
        assert_eq!(
            item(&report, "power")["facts"]["on_battery"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn a_464xlat_translator_on_ipv6_only_wifi_is_no_vpn() {
        // clatd (with tayga) on an IPv6-only Wi-Fi: the tun `clat` holds the IPv4 default
        // route at 192.0.0.1, and its traffic leaves as IPv6 over the Wi-Fi (clatd#50, #23).
        check(
            "ipv6-only-wifi-clatd",
            "vpn",
            "warn",
            json!({"active": false, "interfaces": []}),
        );
        check(
            "ipv6-only-wifi-clatd",
            "network",
            "warn",
            json!({"kind": "wifi", "interface": "wlp0s20f3", "tunnel": null}),
        );
        // Only the address set aside for 464XLAT (192.0.0.0/29) makes a translator: the same
        // tun with a VPN's address, or one just outside that block, is a VPN.
        for address in ["10.8.0.2", "192.0.0.8"] {
            let tree = copy_fixture("ipv6-only-wifi-clatd");
            let routing = tree.path().join("klaar/routing.json");
            let text = std::fs::read_to_string(&routing).unwrap();
            assert!(text.contains("\"192.0.0.1\""));
            std::fs::write(
                &routing,
                text.replace("\"192.0.0.1\"", &format!("\"{address}\"")),
            )
            .unwrap();
            let (report, _) = check_json(Some(tree.path()), &["--only", "network,vpn"]);
            let vpn = item(&report, "vpn");
            assert_eq!(vpn["facts"]["active"], true, "{address}: {vpn:#}");
            assert_eq!(vpn["facts"]["interfaces"], json!(["clat"]), "{address}");
        }
    }

    #[test]
    fn ipv6_routed_into_a_vpn_s_leak_guard_does_not_bypass_it() {
        // ProtonVPN over OpenVPN (IPv4 only) routes IPv6 into its dummy `ipv6leakintrf0`,
        // where it is dropped: everything that leaves goes through the VPN.
        check(
            "vpn-protonvpn-ipv6-leak-guard",
            "vpn",
            "pass",
            json!({"active": true, "full_tunnel": true}),
        );
        // The same route into a veth (its link is a peer elsewhere) does reach somewhere:
        // that is IPv6 around the VPN.
        let tree = copy_fixture("vpn-protonvpn-ipv6-leak-guard");
        std::fs::write(
            tree.path()
                .join("sys/devices/virtual/net/ipv6leakintrf0/iflink"),
            "13\n",
        )
        .unwrap();
        let (report, _) = check_json(Some(tree.path()), &["--only", "vpn"]);
        assert_eq!(item(&report, "vpn")["facts"]["full_tunnel"], false);
    }

    #[test]
    fn flathub_zoom_is_found_by_its_real_binary_and_by_an_old_flatpak_scope() {
        // Flathub's Zoom runs `zoom.real` behind a wrapper (flathub/us.zoom.Zoom#588); Flatpak
        // before 1.8 names its scope `flatpak-us.zoom.Zoom-N.scope` (flatpak#1216).
        let zoom = json!({"running": [{"app": "zoom", "name": "Zoom", "avg": "no"}]});
        check("zoom-flatpak-before-1.8", "call_apps", "fail", zoom.clone());
        // Each alone is enough: the scope without the name, the name without a scope.
        for spoil in ["comm", "cgroup"] {
            let tree = copy_fixture("zoom-flatpak-before-1.8");
            let pid = tree.path().join("proc/4210");
            if spoil == "comm" {
                std::fs::write(pid.join("comm"), "wrapper\n").unwrap();
                std::fs::write(pid.join("cmdline"), "/app/bin/wrapper\0").unwrap();
                let _ = std::fs::remove_file(pid.join("exe"));
            } else {
                std::fs::remove_file(pid.join("cgroup")).unwrap();
            }
            let (report, _) = check_json(Some(tree.path()), &["--only", "call_apps"]);
            let call = item(&report, "call_apps");
            assert_eq!(
                call["facts"]["running"], zoom["running"],
                "{spoil}: {call:#}"
            );
        }
    }
}
