//! Linux: the sound server (PulseAudio or PipeWire) for the mute flag and Bluetooth profile, and
//! cpal for the sound itself.

use klaar_facts::{MicrophoneFacts, ProbeError};

pub fn probe() -> Result<MicrophoneFacts, ProbeError> {
    let mut facts = MicrophoneFacts::default();
    let server = super::pulse::look();
    if let Some(server) = &server {
        facts.name = server.source_name.clone();
        facts.muted = server.muted;
        facts.bluetooth_without_mic = server.bluetooth_without_mic.clone();
    }
    super::recorded(&mut facts)?;
    let source_is_headset = server.as_ref().is_some_and(|s| s.source_is_headset);
    if super::pulse::switched_to_its_microphone(source_is_headset, facts.sound.as_ref()) {
        facts.bluetooth_without_mic = None;
    }
    Ok(facts)
}
