//! Facts from the operating system: power, network and VPN, running processes, the camera.
//!
//! Probes report what they see; they never decide pass or fail (that is `klaar-checklist`). Each
//! probe module has one cfg switch choosing `linux`, `portable` (macOS and Windows, through
//! cross-platform crates) or `unsupported`. Linux parsers read everything below a [`Root`], so a
//! captured machine replays exactly.

pub mod camera;
pub mod capture;
pub mod devices;
pub mod media_use;
pub mod microphone;
pub mod network;
pub mod power;
pub mod processes;
pub mod registry;
mod root;
pub mod runner;
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub mod speakers;
#[cfg(target_os = "linux")]
mod sysfs;

pub use root::Root;

use klaar_facts::{Facts, ProbeError, ProbeId};

/// Runs one probe to completion on the calling thread (see [`registry`]).
pub fn probe(id: ProbeId, root: &Root) -> Result<Facts, ProbeError> {
    (registry::def(id).run)(root)
}
