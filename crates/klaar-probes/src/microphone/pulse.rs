//! What only the sound server knows: whether the default input is muted, and whether a
//! Bluetooth headset is in a profile without a microphone. PulseAudio's protocol, also spoken by
//! PipeWire's pipewire-pulse.

use futures::executor::block_on;
use std::ffi::CString;

pub struct ServerView {
    pub source_name: Option<String>,
    pub muted: Option<bool>,
    pub bluetooth_without_mic: Option<String>,
}

/// `None` when no server runs (then ALSA or nothing answers).
pub fn look() -> Option<ServerView> {
    pulseaudio::socket_path_from_env().filter(|p| p.exists())?;
    let name = CString::new(format!("klaar-{}", std::process::id())).ok()?;
    let client = pulseaudio::Client::from_env(name).ok()?;
    let source =
        block_on(client.source_info_by_name(pulseaudio::protocol::DEFAULT_SOURCE.to_owned())).ok();
    let sinks = block_on(client.list_sinks()).unwrap_or_default();
    let sources = block_on(client.list_sources()).unwrap_or_default();
    let text = |c: &CString| c.to_string_lossy().into_owned();
    let bluetooth_input = sources
        .iter()
        .any(|s| s.monitor_of_sink_index.is_none() && is_bluetooth(&text(&s.name)));
    let bluetooth_without_mic = (!bluetooth_input)
        .then(|| {
            sinks
                .iter()
                .find(|s| is_bluetooth(&text(&s.name)) && is_playback_only(&text(&s.name)))
                .map(|s| {
                    s.description
                        .as_ref()
                        .map(text)
                        .unwrap_or_else(|| text(&s.name))
                })
        })
        .flatten();
    Some(ServerView {
        source_name: source.as_ref().map(|s| {
            s.description
                .as_ref()
                .map(text)
                .unwrap_or_else(|| text(&s.name))
        }),
        muted: source.as_ref().map(|s| s.muted),
        bluetooth_without_mic,
    })
}

/// PulseAudio names Bluetooth nodes `bluez_sink.…`/`bluez_source.…`; PipeWire `bluez_output.…`/
/// `bluez_input.…`.
fn is_bluetooth(node: &str) -> bool {
    node.starts_with("bluez_")
}

/// A2DP carries sound one way only; headset profiles (HSP/HFP, `headset_head_unit`) have a mic.
fn is_playback_only(node: &str) -> bool {
    node.contains("a2dp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bluetooth_node_names() {
        assert!(is_bluetooth("bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink"));
        assert!(is_bluetooth("bluez_output.00_1B_66_AA_BB_CC.1"));
        assert!(!is_bluetooth("alsa_output.pci-0000_00_1f.3.analog-stereo"));
        assert!(is_playback_only("bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink"));
        assert!(!is_playback_only(
            "bluez_sink.00_1B_66_AA_BB_CC.headset_head_unit"
        ));
    }
}
