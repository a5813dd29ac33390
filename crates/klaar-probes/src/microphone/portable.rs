//! macOS and Windows: cpal for the sound; the OS mute state is not read yet (a muted input
//! records digital silence, which the checklist reports).

use klaar_facts::{MicrophoneFacts, ProbeError};

pub fn probe() -> Result<MicrophoneFacts, ProbeError> {
    let mut facts = MicrophoneFacts::default();
    super::recorded(&mut facts)?;
    Ok(facts)
}
