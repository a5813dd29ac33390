//! System packages, installed with apt-get (directly as root, through sudo otherwise).

use std::process::Command;

/// `klaar check` needs nothing beyond the kernel's /sys and /proc.
pub const RUN: &[&str] = &[];

/// iproute2: `ip netns`, veth and tun for the network tests; procps and coreutils for the
/// process tests (copies of `sleep`).
pub const TEST: &[&str] = &["iproute2", "procps", "coreutils"];

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
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| -> Result<(), String> {
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
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
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
