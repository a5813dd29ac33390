//! The default microphone: is it there, is it muted, and how does about a second of its sound
//! measure up (level, clipping, noise floor). The sound is never stored.

pub mod sound;

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
mod record;

#[cfg(target_os = "linux")]
mod pulse;

use klaar_facts::{MicrophoneFacts, ProbeError};
use std::time::Duration;

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(any(target_os = "macos", target_os = "windows"), path = "portable.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "macos", target_os = "windows")),
    path = "unsupported.rs"
)]
mod platform;

/// How much sound to judge: long enough for LiveKit's one-second digital-silence rule.
pub const LENGTH: Duration = Duration::from_millis(1000);
/// Give up on sound after this long, so the probe answers before the runner's deadline.
pub const BUDGET: Duration = Duration::from_millis(4000);

pub fn probe() -> Result<MicrophoneFacts, ProbeError> {
    platform::probe()
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub use record::{klaar_records, meter, RecordError, Recording};

#[cfg(target_os = "linux")]
pub use pulse::a_microphone_records;

/// `length` of mono sound from the default input, for "hear yourself".
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub fn record_for(length: Duration) -> Result<Recording, RecordError> {
    record::record(length, length + BUDGET)
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
fn recorded(facts: &mut MicrophoneFacts) -> Result<(), ProbeError> {
    match record::record(LENGTH, BUDGET) {
        Ok(recording) => {
            facts.present = true;
            facts.name.get_or_insert(recording.name);
            facts.sound = sound::measure(&recording.samples, recording.rate);
        }
        Err(record::RecordError::NoDevice) => {}
        Err(record::RecordError::Busy(what)) => return Err(ProbeError::Busy { what }),
        Err(record::RecordError::Unavailable(what)) => {
            return Err(ProbeError::Unavailable { what })
        }
        Err(record::RecordError::Failed(name, _why)) => {
            facts.present = true;
            facts.name.get_or_insert(name);
        }
    }
    Ok(())
}

/// This probe in the registry (`crate::registry`). Sound devices are not part of a captured
/// tree: a replay asks the live sound server too.
pub const PROBE: crate::registry::ProbeDef = crate::registry::ProbeDef {
    id: klaar_facts::ProbeId::Microphone,
    run: |_root| probe().map(klaar_facts::Facts::Microphone),
    #[cfg(target_os = "linux")]
    capture: None,
};
