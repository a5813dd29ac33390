//! System packages, installed with apt-get (directly as root, through sudo otherwise).

use std::process::Command;

/// Building and running the desktop app (Tauri 2 on WebKitGTK, the tray through
/// libayatana-appindicator); libasound2-dev for cpal's ALSA fallback; libclang-dev for the
/// camera (nokhwa's V4L2 bindings are made by bindgen); xvfb and xauth to start it on a machine
/// without a display; dpkg-dev (dpkg-shlibdeps) and binutils (strip) to package it.
pub const RUN: &[&str] = &[
    "build-essential",
    "dpkg-dev",
    "binutils",
    "pkg-config",
    "libclang-dev",
    "libasound2-dev",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libssl-dev",
    "xvfb",
    "xauth",
];

/// What the tests need beyond `RUN`: iproute2 (`ip netns`, veth and tun for the network tests);
/// procps and coreutils (process tests); webkit2gtk-driver (WebKitWebDriver, which tauri-driver
/// drives), dbus-x11 and at-spi2-core (a session bus like a desktop's), dunst (a real
/// notification daemon), trayer (a real tray host), xdotool (clicks the tray) and imagemagick
/// (screenshots of the whole screen); pulseaudio, pulseaudio-utils, sox and espeak-ng (a real
/// sound server with virtual inputs playing made speech, noise and tones); gnome-keyring (a real
/// Secret Service for calendar addresses); gsettings-desktop-schemas (GNOME's notification
/// settings, for "do not disturb" during meetings).
const TEST_ONLY: &[&str] = &[
    "iproute2",
    "procps",
    "coreutils",
    "webkit2gtk-driver",
    "dbus-x11",
    "at-spi2-core",
    "dunst",
    "trayer",
    "xdotool",
    "imagemagick",
    "pulseaudio",
    "pulseaudio-utils",
    "sox",
    "espeak-ng",
    "gnome-keyring",
    "gsettings-desktop-schemas",
    // Real filesystems on loop devices for the disk-encryption probe (mkfs.ext4, mkfs.btrfs;
    // unshare and losetup come with util-linux and mount).
    "e2fsprogs",
    "btrfs-progs",
    "util-linux",
    "mount",
];

/// Everything `cargo xtask test` (and `bench`) installs.
pub fn test() -> Vec<&'static str> {
    RUN.iter().chain(TEST_ONLY).copied().collect()
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

pub fn ensure(packages: &[&str]) -> Result<(), String> {
    if !std::path::Path::new("/usr/bin/apt-get").exists() {
        eprintln!(
            "xtask: not a Debian or Ubuntu system; make sure these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing {} with apt-get", missing.join(" "));
    let apt = apt_get;
    apt(&["update", "-qq"])?;
    // With recommended packages, as the tests were run here: WebKit and GTK recommend parts
    // (icon loaders, portals) that a desktop has too.
    let mut install = vec!["install", "-y", "-qq"];
    install.extend(&missing);
    apt(&install)
}

/// `apt-get ARGS`, directly as root, through sudo otherwise, without questions.
pub fn apt_get(args: &[&str]) -> Result<(), String> {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let mut cmd: Vec<&str> = sudo.to_vec();
    cmd.push("apt-get");
    cmd.extend_from_slice(args);
    let status = Command::new(cmd[0])
        .args(&cmd[1..])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .map_err(|e| format!("{}: {e}", cmd.join(" ")))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("`{}` failed", cmd.join(" ")))
}

/// cargo-nextest runs the tests; installed from crates.io when missing.
pub fn ensure_nextest() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if Command::new(&cargo)
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(());
    }
    eprintln!("xtask: installing cargo-nextest from crates.io");
    let status = Command::new(&cargo)
        .args(["install", "cargo-nextest", "--locked"])
        .status()
        .map_err(|e| e.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "could not install cargo-nextest".into())
}

/// tauri-driver puts WebKitWebDriver behind the WebDriver protocol; installed from crates.io.
pub fn ensure_tauri_driver() -> Result<(), String> {
    if Command::new("tauri-driver")
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(());
    }
    eprintln!("xtask: installing tauri-driver 2 from crates.io");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["install", "tauri-driver", "--version", "^2", "--locked"])
        .status()
        .map_err(|e| e.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "could not install tauri-driver".into())
}
