//! NetworkManager's D-Bus objects, as far as the Wi-Fi security and captive-portal probes read
//! them (`introspection/org.freedesktop.NetworkManager*.xml` in NetworkManager's sources). Every
//! question goes through [`Bus`], so a capture replays.

use crate::bus::Bus;
use crate::root::{Answer, Unanswered};
use serde_json::Value;

pub const SERVICE: &str = "org.freedesktop.NetworkManager";
pub const MANAGER_PATH: &str = "/org/freedesktop/NetworkManager";
pub const MANAGER: &str = "org.freedesktop.NetworkManager";
pub const ACTIVE: &str = "org.freedesktop.NetworkManager.Connection.Active";
pub const ACCESS_POINT: &str = "org.freedesktop.NetworkManager.AccessPoint";

/// `NM_ACTIVE_CONNECTION_STATE_ACTIVATED`.
pub const ACTIVATED: u64 = 2;

/// A property of the manager object.
pub fn manager(bus: &Bus, name: &str) -> Answer {
    bus.property(SERVICE, MANAGER_PATH, MANAGER, name)
}

/// A property of another NetworkManager object.
pub fn object(bus: &Bus, path: &str, interface: &str, name: &str) -> Answer {
    bus.property(SERVICE, path, interface, name)
}

pub fn as_u64(answer: Answer) -> Result<u64, Unanswered> {
    answer?.as_u64().ok_or(Unanswered::Failed)
}

pub fn as_string(answer: Answer) -> Result<String, Unanswered> {
    match answer? {
        Value::String(s) => Ok(s),
        _ => Err(Unanswered::Failed),
    }
}

pub fn as_paths(answer: Answer) -> Result<Vec<String>, Unanswered> {
    match answer? {
        Value::Array(items) => Ok(items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()),
        _ => Err(Unanswered::Failed),
    }
}
