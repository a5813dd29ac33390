//! On mains or on battery, charge, time left.

use crate::Root;
use klaar_facts::{PowerFacts, ProbeError};

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(any(target_os = "macos", target_os = "windows"), path = "portable.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "macos", target_os = "windows")),
    path = "unsupported.rs"
)]
mod platform;

// The portable half runs on Linux too, so it is compiled and tested here.
#[cfg(all(test, target_os = "linux"))]
#[path = "portable.rs"]
mod portable_on_linux;

pub fn probe(root: &Root) -> Result<PowerFacts, ProbeError> {
    platform::probe(root)
}

/// This probe in the registry (`crate::registry`).
pub const PROBE: crate::registry::ProbeDef = crate::registry::ProbeDef {
    id: klaar_facts::ProbeId::Power,
    run: |root| probe(root).map(klaar_facts::Facts::Power),
    #[cfg(target_os = "linux")]
    capture: Some(platform::capture),
};

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn portable_power_answers_on_linux() {
        // This machine may or may not have a battery; either way the answer must be coherent.
        let facts = super::portable_on_linux::probe(&crate::Root::live()).unwrap();
        if facts.on_battery == Some(false) && facts.battery_percent.is_none() {
            assert_eq!(facts.minutes_left, None);
        }
    }
}
