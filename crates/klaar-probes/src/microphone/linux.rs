//! Linux: the sound server (PulseAudio or PipeWire) for the mute flag and Bluetooth profile, and
//! cpal for the sound itself.

use klaar_facts::{MicrophoneFacts, ProbeError};

pub fn probe() -> Result<MicrophoneFacts, ProbeError> {
    let mut facts = MicrophoneFacts::default();
    if let Some(server) = super::pulse::look() {
        facts.name = server.source_name;
        facts.muted = server.muted;
        facts.bluetooth_without_mic = server.bluetooth_without_mic;
    }
    super::recorded(&mut facts);
    Ok(facts)
}
