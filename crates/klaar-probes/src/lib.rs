//! Facts from the operating system: power, network and VPN, running processes, the camera and
//! microphone, and the device-security checks (Wi-Fi security, captive portal, disk encryption,
//! USB storage, screen lock).
//!
//! Probes report what they see; they never decide pass or fail (that is `klaar-checklist`). Each
//! probe module has one cfg switch choosing `linux`, `portable` (macOS and Windows, through
//! cross-platform crates) or `unsupported`. Linux parsers read everything below a [`Root`], so a
//! captured machine replays exactly.

#[cfg(target_os = "linux")]
mod block;
#[cfg(target_os = "linux")]
pub mod bus;
pub mod camera;
pub mod captive_portal;
pub mod capture;
#[cfg(target_os = "linux")]
mod command;
pub mod connection;
pub mod devices;
pub mod disk_encryption;
pub mod media_use;
pub mod microphone;
pub mod network;
#[cfg(target_os = "linux")]
mod nm;
pub mod power;
pub mod processes;
pub mod registry;
mod root;
pub mod runner;
pub mod screen_lock;
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub mod speakers;
#[cfg(target_os = "linux")]
mod sysfs;
pub mod updates;
pub mod usb_storage;
pub mod wifi_security;

pub use root::{Answer, Root, Unanswered};

use klaar_facts::{Facts, ProbeError, ProbeId};

/// Runs one probe to completion on the calling thread (see [`registry`]).
pub fn probe(id: ProbeId, root: &Root) -> Result<Facts, ProbeError> {
    (registry::def(id).run)(root)
}
