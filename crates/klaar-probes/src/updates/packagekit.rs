//! Pending updates from PackageKit: `GetUpdates` on a new transaction (system bus
//! `org.freedesktop.PackageKit`; results as `Package(u info, s id, s summary)` or, from newer
//! daemons, `Packages(a(uss))` signals, then `Finished`), counted by `info`
//! (`PK_INFO_ENUM_SECURITY` = 8, `BLOCKED` = 9 is not installable now). `GetUpdates` reads the
//! metadata PackageKit already has (PackageKit#588: the apt backend refreshes only on
//! `RefreshCache`), so nothing goes over the network. Only the counts are kept (and recorded),
//! never package names.

use crate::root::{Answer, Unanswered};
use serde_json::json;
use std::time::Duration;

pub const SERVICE: &str = "org.freedesktop.PackageKit";
/// `PK_FILTER_ENUM_NONE` as a bit: 1 << 1.
const FILTER_NONE: u64 = 1 << 1;
const INFO_SECURITY: u32 = 8;
const INFO_BLOCKED: u32 = 9;
/// How long PackageKit may take to list the updates (it loads its package cache first).
const GET_UPDATES_DEADLINE: Duration = Duration::from_millis(3000);

/// Asks PackageKit for the updates it knows of; counts only.
pub fn ask(connection: &zbus::blocking::Connection) -> Answer {
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
