//! Pending updates: PackageKit's `GetUpdates` on a new transaction (system bus
//! `org.freedesktop.PackageKit`; results as `Package(u info, s id, s summary)` or, from newer
//! daemons, `Packages(a(uss))` signals, then `Finished`), counted by `info`
//! (`PK_INFO_ENUM_SECURITY` = 8, `BLOCKED` = 9 is not installable now). `GetUpdates` reads the
//! metadata PackageKit already has (PackageKit#588: the apt backend refreshes only on
//! `RefreshCache`), so nothing goes over the network. Only the counts are kept (and recorded),
//! never package names.
//!
//! A restart waiting: `/run/reboot-required` (written on Debian and Ubuntu by
//! unattended-upgrades' and update-notifier's kernel hooks), or a newer kernel of the same
//! flavour installed in `/lib/modules` than the one running (`/proc/sys/kernel/osrelease`);
//! Arch removes the running kernel's modules on upgrade, which says the same.

use crate::bus::Bus;
use crate::root::{Answer, Unanswered};
use crate::Root;
use klaar_facts::{ProbeError, UpdatesFacts};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const SERVICE: &str = "org.freedesktop.PackageKit";
/// `PK_FILTER_ENUM_NONE` as a bit: 1 << 1.
const FILTER_NONE: u64 = 1 << 1;
const INFO_SECURITY: u32 = 8;
const INFO_BLOCKED: u32 = 9;
/// How long PackageKit may take to list the updates (it loads its package cache first).
const GET_UPDATES_DEADLINE: Duration = Duration::from_millis(1500);

pub fn probe(root: &Root) -> Result<UpdatesFacts, ProbeError> {
    let counts = Bus::system(root).ask("org.freedesktop.PackageKit GetUpdates counts", |c| {
        packagekit(c)
    });
    let reboot_required = reboot_required(root);
    let (pending, security) = match &counts {
        Ok(v) => (
            v["pending"].as_u64().map(|n| n as u32),
            v["security"].as_u64().map(|n| n as u32),
        ),
        Err(_) => (None, None),
    };
    if pending.is_none() && reboot_required.is_none() {
        return Err(match counts {
            Err(u) => u.probe_error("PackageKit"),
            Ok(_) => Unanswered::Failed.probe_error("PackageKit"),
        });
    }
    Ok(UpdatesFacts {
        pending,
        security,
        reboot_required,
    })
}

/// Asks PackageKit for the updates it knows of; counts only.
fn packagekit(connection: &zbus::blocking::Connection) -> Answer {
    let err = |e: zbus::Error| crate::bus::unanswered(&e);
    let manager = zbus::blocking::Proxy::new(
        connection,
        SERVICE,
        "/org/freedesktop/PackageKit",
        "org.freedesktop.PackageKit",
    )
    .map_err(err)?;
    let transaction: zbus::zvariant::OwnedObjectPath =
        manager.call("CreateTransaction", &()).map_err(err)?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .sender(SERVICE)
        .and_then(|b| b.path(transaction.clone()))
        .map_err(err)?
        .build();
    let signals =
        zbus::blocking::MessageIterator::for_match_rule(rule, connection, Some(64)).map_err(err)?;
    let proxy = zbus::blocking::Proxy::new(
        connection,
        SERVICE,
        transaction.as_str(),
        "org.freedesktop.PackageKit.Transaction",
    )
    .map_err(err)?;
    // Signals are read on a thread of their own, so a daemon that never finishes cannot hold
    // the probe past its deadline.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut infos = Vec::new();
        for message in signals {
            let Ok(message) = message else { break };
            let header = message.header();
            match header.member().map(|m| m.as_str()) {
                Some("Package") => {
                    if let Ok((info, _, _)) = message.body().deserialize::<(u32, String, String)>()
                    {
                        infos.push(info);
                    }
                }
                Some("Packages") => {
                    if let Ok(list) = message.body().deserialize::<Vec<(u32, String, String)>>() {
                        infos.extend(list.into_iter().map(|(info, _, _)| info));
                    }
                }
                Some("ErrorCode") => {
                    let _ = tx.send(Err(Unanswered::Failed));
                    return;
                }
                Some("Finished") => {
                    let _ = tx.send(Ok(infos));
                    return;
                }
                _ => {}
            }
        }
    });
    proxy
        .call_method("GetUpdates", &(FILTER_NONE,))
        .map_err(err)?;
    let infos = rx
        .recv_timeout(GET_UPDATES_DEADLINE)
        .map_err(|_| Unanswered::Timeout)??;
    let installable: Vec<u32> = infos.into_iter().filter(|i| *i != INFO_BLOCKED).collect();
    Ok(json!({
        "pending": installable.len(),
        "security": installable.iter().filter(|i| **i == INFO_SECURITY).count(),
    }))
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
