//! What only the sound server knows: whether the default input is muted, and whether a
//! Bluetooth headset is in a profile without a microphone. PulseAudio's protocol, also spoken by
//! PipeWire's pipewire-pulse.

use futures::executor::block_on;
use klaar_facts::SoundStats;
use std::collections::BTreeMap;
use std::ffi::CString;

pub struct ServerView {
    pub source_name: Option<String>,
    /// The default input is a Bluetooth headset's own input (PipeWire's `bluez_input`, which
    /// WirePlumber offers even in A2DP and switches the headset to its headset profile for).
    pub source_is_headset: bool,
    pub muted: Option<bool>,
    pub bluetooth_without_mic: Option<String>,
}

/// Whether a microphone (a source that is no sink's monitor) is recording for some program:
/// PulseAudio's source state `RUNNING` ("used by at least one non-corked source-output").
/// `None` when no server runs.
pub fn a_microphone_records() -> Option<bool> {
    pulseaudio::socket_path_from_env().filter(|p| p.exists())?;
    let name = CString::new(format!("klaar-watch-{}", std::process::id())).ok()?;
    let client = pulseaudio::Client::from_env(name).ok()?;
    let sources = block_on(client.list_sources()).ok()?;
    Some(sources.iter().any(|s| {
        s.monitor_of_sink_index.is_none() && s.state == pulseaudio::protocol::SourceState::Running
    }))
}

/// `None` when no server runs (then ALSA or nothing answers).
pub fn look() -> Option<ServerView> {
    pulseaudio::socket_path_from_env().filter(|p| p.exists())?;
    let name = CString::new(format!("klaar-{}", std::process::id())).ok()?;
    let client = pulseaudio::Client::from_env(name).ok()?;
    // The chosen input if the server still has it, else the default.
    let by_name = |name: String| {
        let name = CString::new(name).ok()?;
        block_on(client.source_info_by_name(name)).ok()
    };
    let source = crate::devices::chosen_pulse_source()
        .and_then(by_name)
        .or_else(|| {
            by_name(
                pulseaudio::protocol::DEFAULT_SOURCE
                    .to_string_lossy()
                    .into_owned(),
            )
        });
    let server = block_on(client.server_info()).ok();
    let sinks: Vec<Node> = block_on(client.list_sinks())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            Node::new(
                &s.name,
                s.description.as_ref(),
                &s.props,
                s.card_index,
                false,
            )
        })
        .collect();
    let sources: Vec<Node> = block_on(client.list_sources())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let monitor = s.monitor_of_sink_index.is_some();
            Node::new(
                &s.name,
                s.description.as_ref(),
                &s.props,
                s.card_index,
                monitor,
            )
        })
        .collect();
    let cards: Vec<Card> = block_on(client.list_cards())
        .unwrap_or_default()
        .iter()
        .map(|c| Card {
            index: c.index,
            props: props(&c.props),
            active_profile: c.active_profile.as_ref().map(text),
            profiles: c
                .profiles
                .iter()
                .map(|p| Profile {
                    name: text(&p.name),
                    sinks: p.num_sinks,
                    sources: p.num_sources,
                })
                .collect(),
        })
        .collect();
    // The headset that plays the sound: the chosen output if it is there, else the default.
    let default_sink = crate::devices::chosen_pulse_sink()
        .filter(|chosen| sinks.iter().any(|s| &s.name == chosen))
        .or_else(|| server.and_then(|s| s.default_sink_name.as_ref().map(text)));
    Some(ServerView {
        source_name: source.as_ref().map(|s| {
            s.description
                .as_ref()
                .map(text)
                .unwrap_or_else(|| text(&s.name))
        }),
        muted: source.as_ref().map(|s| s.muted),
        source_is_headset: source.as_ref().is_some_and(|s| {
            s.monitor_of_sink_index.is_none()
                && Node::new(
                    &s.name,
                    s.description.as_ref(),
                    &s.props,
                    s.card_index,
                    false,
                )
                .is_bluetooth()
        }),
        bluetooth_without_mic: headset_without_mic(
            default_sink.as_deref(),
            &sinks,
            &sources,
            &cards,
        ),
    })
}

fn text(c: &CString) -> String {
    c.to_string_lossy().into_owned()
}

fn props(p: &pulseaudio::protocol::Props) -> BTreeMap<String, String> {
    p.iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v);
            (
                k.to_string_lossy().into_owned(),
                value.trim_end_matches('\0').to_string(),
            )
        })
        .collect()
}

/// A sink or source, as far as this check needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    pub name: String,
    pub description: Option<String>,
    pub props: BTreeMap<String, String>,
    pub card: Option<u32>,
    /// A sink's monitor, not a microphone.
    pub monitor: bool,
}

impl Node {
    fn new(
        name: &CString,
        description: Option<&CString>,
        p: &pulseaudio::protocol::Props,
        card: Option<u32>,
        monitor: bool,
    ) -> Node {
        Node {
            name: text(name),
            description: description.map(text),
            props: props(p),
            card,
            monitor,
        }
    }

    fn prop(&self, key: &str) -> Option<&str> {
        self.props.get(key).map(String::as_str)
    }

    /// PulseAudio names Bluetooth nodes `bluez_sink.…`/`bluez_source.…` and says
    /// `device.api = bluez`; PipeWire `bluez_output.…`/`bluez_input.…` with `device.api = bluez5`.
    fn is_bluetooth(&self) -> bool {
        self.prop("device.bus") == Some("bluetooth")
            || self
                .prop("device.api")
                .is_some_and(|a| a.starts_with("bluez"))
            || self.name.starts_with("bluez_")
    }

    /// The Bluetooth profile the node says it is in (PipeWire's `api.bluez5.profile`,
    /// PulseAudio's `bluetooth.protocol`), else what its name says.
    fn profile(&self) -> Option<&str> {
        self.prop("api.bluez5.profile")
            .or_else(|| self.prop("bluetooth.protocol"))
            .or_else(|| {
                ["a2dp", "headset", "handsfree"]
                    .into_iter()
                    .find(|p| self.name.contains(p))
            })
    }

    fn label(&self) -> String {
        self.description
            .clone()
            .unwrap_or_else(|| self.name.clone())
    }
}

/// A sound card as the server reports it: for Bluetooth, the headset with its profiles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card {
    pub index: u32,
    pub props: BTreeMap<String, String>,
    pub active_profile: Option<String>,
    pub profiles: Vec<Profile>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub name: String,
    pub sinks: u32,
    pub sources: u32,
}

/// The Bluetooth headset the sound goes to while it is in a mode without a microphone, by name.
///
/// The card decides when the server reports one: its active profile gives no input (A2DP,
/// "a2dp-sink", "a2dp_sink"…) while another of its profiles would (HSP/HFP, "headset-head-unit",
/// "handsfree_head_unit"). A speaker, which has no profile with a microphone, is not a headset.
/// An input node alone proves nothing: PipeWire can show a silent `bluez_input` in A2DP. Without
/// a card, the output node's own profile, or its name (`…a2dp_sink`), or the absence of any
/// Bluetooth input decides. Only the headset that plays the sound counts (the default output,
/// when the server names one).
pub fn headset_without_mic(
    default_sink: Option<&str>,
    sinks: &[Node],
    sources: &[Node],
    cards: &[Card],
) -> Option<String> {
    let bluetooth_input = sources.iter().any(|s| !s.monitor && s.is_bluetooth());
    sinks
        .iter()
        .filter(|s| s.is_bluetooth())
        .filter(|s| default_sink.is_none_or(|d| d == s.name))
        .find(
            |sink| match sink.card.and_then(|i| cards.iter().find(|c| c.index == i)) {
                Some(card) => {
                    let active = card
                        .active_profile
                        .as_deref()
                        .and_then(|a| card.profiles.iter().find(|p| p.name == a));
                    let could_have_mic = card.profiles.iter().any(|p| p.sources > 0);
                    active.is_some_and(|p| p.sources == 0 && p.sinks > 0) && could_have_mic
                }
                None => match sink.profile() {
                    Some(p) => p.contains("a2dp"),
                    None => !bluetooth_input,
                },
            },
        )
        .map(|s| {
            s.card
                .and_then(|i| cards.iter().find(|c| c.index == i))
                .and_then(|c| c.props.get("device.description").cloned())
                .unwrap_or_else(|| s.label())
        })
}

/// Whether a headset seen in a mode without a microphone gave sound anyway: the recording came
/// from the headset's own input, and it was not silence. WirePlumber (0.5 and later) switches a
/// headset to its headset profile when a program records from that input, as a call app will;
/// where that switch does not happen, the input stays silent and the warning stands.
pub fn switched_to_its_microphone(source_is_headset: bool, sound: Option<&SoundStats>) -> bool {
    source_is_headset && sound.is_some_and(|s| !s.digital_silence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, props: &[(&str, &str)], card: Option<u32>) -> Node {
        Node {
            name: name.into(),
            description: Some("WH-1000XM4".into()),
            props: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            card,
            monitor: false,
        }
    }

    fn headset(active: &str) -> Card {
        // PipeWire's profiles of a headset (name, sinks, sources).
        let profiles = [
            ("off", 0, 0),
            ("a2dp-sink-sbc", 1, 0),
            ("a2dp-sink", 1, 0),
            ("headset-head-unit-cvsd", 1, 1),
            ("headset-head-unit", 1, 1),
        ];
        Card {
            index: 7,
            props: [("device.description".to_string(), "Koptelefoon".to_string())].into(),
            active_profile: Some(active.into()),
            profiles: profiles
                .iter()
                .map(|(n, sinks, sources)| Profile {
                    name: n.to_string(),
                    sinks: *sinks,
                    sources: *sources,
                })
                .collect(),
        }
    }

    const PW_SINK: &str = "bluez_output.00_11_22_33_44_55.1";

    #[test]
    fn the_card_profile_decides() {
        let sink = node(PW_SINK, &[("device.api", "bluez5")], Some(7));
        // A2DP: no microphone, though a headset profile exists.
        assert_eq!(
            headset_without_mic(
                Some(PW_SINK),
                std::slice::from_ref(&sink),
                &[],
                &[headset("a2dp-sink")]
            ),
            Some("Koptelefoon".into())
        );
        // PipeWire's silent loopback input in A2DP does not count as a microphone.
        let loopback = node(
            "bluez_input.00_11_22_33_44_55",
            &[("device.api", "bluez5")],
            Some(7),
        );
        assert_eq!(
            headset_without_mic(
                Some(PW_SINK),
                std::slice::from_ref(&sink),
                &[loopback],
                &[headset("a2dp-sink")]
            ),
            Some("Koptelefoon".into())
        );
        // HFP: the microphone works.
        assert_eq!(
            headset_without_mic(
                Some(PW_SINK),
                std::slice::from_ref(&sink),
                &[],
                &[headset("headset-head-unit")]
            ),
            None
        );
        // A speaker has no profile with a microphone: nothing to switch to.
        let mut speaker = headset("a2dp-sink");
        speaker.profiles.retain(|p| p.sources == 0);
        assert_eq!(
            headset_without_mic(Some(PW_SINK), std::slice::from_ref(&sink), &[], &[speaker]),
            None
        );
        // A headset that does not play the sound is not in the way.
        assert_eq!(
            headset_without_mic(
                Some("alsa_output.pci"),
                &[sink],
                &[],
                &[headset("a2dp-sink")]
            ),
            None
        );
    }

    #[test]
    fn a_headset_that_switches_to_its_microphone_when_recorded_from() {
        let heard = SoundStats {
            digital_silence: false,
            ..SoundStats::default()
        };
        let silent = SoundStats {
            digital_silence: true,
            ..SoundStats::default()
        };
        assert!(switched_to_its_microphone(true, Some(&heard)));
        assert!(!switched_to_its_microphone(true, Some(&silent)));
        assert!(!switched_to_its_microphone(true, None));
        // Sound from the laptop's own microphone says nothing about the headset.
        assert!(!switched_to_its_microphone(false, Some(&heard)));
    }

    #[test]
    fn without_a_card_the_node_decides() {
        // PulseAudio's name says A2DP.
        let pa = node("bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink", &[], None);
        assert!(headset_without_mic(None, &[pa], &[], &[]).is_some());
        // PipeWire's name says nothing: no Bluetooth input means no microphone.
        let pw = node(PW_SINK, &[], None);
        assert!(headset_without_mic(Some(PW_SINK), std::slice::from_ref(&pw), &[], &[]).is_some());
        let input = node("bluez_input.00_11_22_33_44_55.0", &[], None);
        assert_eq!(
            headset_without_mic(Some(PW_SINK), &[pw], &[input], &[]),
            None
        );
        // The profile property beats the name.
        let hfp = node(
            PW_SINK,
            &[("api.bluez5.profile", "headset-head-unit")],
            None,
        );
        assert_eq!(headset_without_mic(Some(PW_SINK), &[hfp], &[], &[]), None);
        let a2dp = node(
            "bluez_output.00_11_22_33_44_55.headset",
            &[("bluetooth.protocol", "a2dp_sink")],
            None,
        );
        assert!(headset_without_mic(None, &[a2dp], &[], &[]).is_some());
        // Not Bluetooth at all.
        let wired = node(
            "alsa_output.usb-Jabra.analog-stereo",
            &[("device.bus", "usb")],
            None,
        );
        assert_eq!(headset_without_mic(None, &[wired], &[], &[]), None);
    }
}
