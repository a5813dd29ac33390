//! Pending updates from what the package systems already know, never a refresh over the
//! network: PackageKit ([`super::packagekit`]), else apt's or dnf's cache where PackageKit is
//! not installed ([`super::apt`], [`super::dnf`]), plus Flatpak's cached summaries
//! ([`super::flatpak`]), which PackageKit does not cover. Only counts are kept and recorded.
//!
//! A restart waiting: `/run/reboot-required` (written on Debian and Ubuntu by
//! unattended-upgrades' and update-notifier's kernel hooks), or a newer kernel of the same
//! flavour installed in `/lib/modules` than the one running (`/proc/sys/kernel/osrelease`);
//! Arch removes the running kernel's modules on upgrade, which says the same.

use super::{apt, dnf, flatpak, packagekit};
use crate::bus::Bus;
use crate::root::{Answer, Unanswered};
use crate::Root;
use klaar_facts::{ProbeError, UpdatesFacts};
use serde_json::{json, Value};
use std::path::Path;

pub fn probe(root: &Root) -> Result<UpdatesFacts, ProbeError> {
    let reboot_required = reboot_required(root);
    let (system, source, first_error) = system_updates(root);
    let flatpak = root.ask("flatpak cached updates", || {
        let found = flatpak::updates(&flatpak::installations())?;
        Ok(json!({
            "pending": found.updates,
            "refs": found.refs,
            "uncached": found.uncached,
        }))
    });
    let count = |v: &Value, key: &str| v[key].as_u64().map(|n| n as u32);
    let mut checked = Vec::new();
    let mut unchecked = Vec::new();
    let (mut pending, security) = match &system {
        Some(v) => {
            checked.push(source.to_string());
            (count(v, "pending"), count(v, "security"))
        }
        None => {
            unchecked.push(source.to_string());
            (None, None)
        }
    };
    match &flatpak {
        Ok(v) if v["uncached"].as_array().is_some_and(|a| a.is_empty()) => {
            checked.push("Flatpak".into());
            // Flatpak alone does not say the system is up to date: its count is added only
            // to a known system count.
            pending = pending.map(|n| n + count(v, "pending").unwrap_or(0));
        }
        Ok(v) => {
            unchecked.push("Flatpak".into());
            pending = pending.map(|n| n + count(v, "pending").unwrap_or(0));
        }
        Err(Unanswered::Absent | Unanswered::NotRecorded) => {}
        Err(_) => unchecked.push("Flatpak".into()),
    }
    if pending.is_none() && reboot_required.is_none() {
        return Err(first_error.probe_error(source));
    }
    Ok(UpdatesFacts {
        pending,
        security,
        reboot_required,
        checked,
        unchecked,
    })
}

/// The system's packages: PackageKit, else (only where PackageKit is not installed, so a
/// slow PackageKit cannot make the check wait twice) apt, else dnf. Returns the counts, the
/// name of the source that answered (or of the one that should have), and PackageKit's
/// reason when nothing answered.
fn system_updates(root: &Root) -> (Option<Value>, &'static str, Unanswered) {
    let pk: Answer = Bus::system(root).ask("org.freedesktop.PackageKit GetUpdates counts", |c| {
        packagekit::ask(c)
    });
    let pk_error = match pk {
        Ok(v) => return (Some(v), "PackageKit", Unanswered::Failed),
        Err(e) => e,
    };
    if !matches!(pk_error, Unanswered::Absent | Unanswered::Missing) {
        return (None, "PackageKit", pk_error);
    }
    // (the question recorded by a capture, the source's name, the live call)
    type Fallback = (&'static str, &'static str, fn() -> Answer);
    let fallbacks: [Fallback; 2] = [
        ("apt-get --simulate dist-upgrade counts", "apt", apt::ask),
        ("dnf --cacheonly check-update count", "dnf", dnf::ask),
    ];
    for (question, name, live) in fallbacks {
        match root.ask(question, live) {
            Ok(v) => return (Some(v), name, pk_error),
            // Installed but no answer (a broken cache, a timeout): that is the answer.
            Err(e @ (Unanswered::Timeout | Unanswered::Failed | Unanswered::Denied)) => {
                return (None, name, e)
            }
            Err(_) => {}
        }
    }
    (None, "PackageKit", pk_error)
}

/// `Some(true)` when a restart is waiting, `Some(false)` when the running kernel is the newest
/// of its flavour, `None` when neither can be told (no kernel modules folder: a container).
fn reboot_required(root: &Root) -> Option<bool> {
    if root.join("run/reboot-required").exists() {
        return Some(true);
    }
    let running = crate::sysfs::read_opt(&root.join("proc/sys/kernel/osrelease"))
        .ok()
        .flatten()?;
    let installed = installed_kernels(root);
    if installed.is_empty() {
        return None;
    }
    if !installed.contains(&running) {
        // The running kernel's modules are gone: replaced by an upgrade.
        return Some(true);
    }
    let newer = installed
        .iter()
        .any(|k| flavour(k) == flavour(&running) && numbers(k) > numbers(&running));
    Some(newer)
}

/// The kernel versions in `/lib/modules` (merged-usr systems: `/usr/lib/modules`).
fn installed_kernels(root: &Root) -> Vec<String> {
    ["usr/lib/modules", "lib/modules"]
        .iter()
        .map(|dir| crate::sysfs::list_dir(&root.join(dir)).unwrap_or_default())
        .find(|list| !list.is_empty())
        .unwrap_or_default()
}

/// "6.1.0-26-amd64" → [6, 1, 0, 26].
fn numbers(version: &str) -> Vec<u64> {
    version
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|part| part.parse().ok())
        .collect()
}

/// "6.1.0-26-rt-amd64" → "..--rt-amd64": what is left without the numbers, so a real-time or
/// low-latency kernel is not compared with the generic one.
fn flavour(version: &str) -> String {
    version.chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// Copies the files the restart check reads: the flag file, the running kernel's version and
/// the names of the installed kernels' folders.
pub fn capture(w: &crate::capture::Writer) -> Result<(), crate::capture::CaptureError> {
    w.file(Path::new("run/reboot-required"))?;
    w.file(Path::new("proc/sys/kernel/osrelease"))?;
    for dir in ["usr/lib/modules", "lib/modules"] {
        for kernel in crate::sysfs::list_dir(&w.from.join(dir)).unwrap_or_default() {
            w.dir(&Path::new(dir).join(kernel))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_compare_by_number_within_their_flavour() {
        assert!(numbers("6.1.0-26-amd64") > numbers("6.1.0-25-amd64"));
        assert!(numbers("6.11.5-200.fc40.x86_64") > numbers("6.9.12-200.fc40.x86_64"));
        assert_eq!(flavour("6.1.0-26-amd64"), flavour("6.1.0-25-amd64"));
        assert_ne!(flavour("6.1.0-26-rt-amd64"), flavour("6.1.0-25-amd64"));
    }
}
