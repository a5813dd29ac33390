//! The devices a person can choose — camera, microphone, speakers — and the choice itself.
//!
//! The choice is process-wide: the desktop app sets it (from the person's settings) and the
//! camera and microphone probes, the self-view, the level meter and the sound tests all use it.
//! A chosen device that is gone is ignored: the default (or the best-ranked camera) is used, as
//! a call app does. Nothing here decides whether a device is good.

use crate::Root;
use serde::{Deserialize, Serialize};
use std::sync::RwLock;

/// Ids of the chosen devices; `None` means "the computer's default".
///
/// - `camera`: the driver's name for the camera (Linux), or the path of a picture named by
///   `KLAAR_FAKE_CAMERA`.
/// - `microphone`, `speakers`: cpal's device id as text (`pulseaudio:<source or sink name>`,
///   `alsa:hw:0,0`…), which stays the same across restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chosen {
    pub camera: Option<String>,
    pub microphone: Option<String>,
    pub speakers: Option<String>,
}

static CHOSEN: RwLock<Chosen> = RwLock::new(Chosen {
    camera: None,
    microphone: None,
    speakers: None,
});

/// Makes `chosen` the devices every later probe, meter and sound test uses.
pub fn choose(chosen: Chosen) {
    *CHOSEN.write().unwrap_or_else(|e| e.into_inner()) = chosen;
}

/// The devices chosen now.
pub fn chosen() -> Chosen {
    CHOSEN.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// One device to offer: its id (see [`Chosen`]; empty where the platform gives no id to keep,
/// and then it is only the automatic choice) and the name its driver or sound server gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// Every device a person can pick, each list with the default (or best) first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Available {
    pub cameras: Vec<Choice>,
    pub microphones: Vec<Choice>,
    pub speakers: Vec<Choice>,
}

/// Lists cameras (below `root`, or the pictures of `KLAAR_FAKE_CAMERA`) and the sound server's
/// inputs and outputs. Monitors of outputs are left out unless one is the default input. Never
/// fails: what cannot be listed is an empty list.
pub fn available(root: &Root) -> Available {
    let (microphones, speakers) = sound_devices();
    Available {
        cameras: crate::camera::choices(root),
        microphones,
        speakers,
    }
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
fn sound_devices() -> (Vec<Choice>, Vec<Choice>) {
    use cpal::traits::{DeviceTrait, HostTrait};
    #[cfg(target_os = "linux")]
    let _quiet = alsa::Output::local_error_handler().ok();
    let host = cpal::default_host();
    let choice = |d: &cpal::Device| {
        Some(Choice {
            id: d.id().ok()?.to_string(),
            name: device_name(d),
        })
    };
    let default_in = host.default_input_device().as_ref().and_then(choice);
    let default_out = host.default_output_device().as_ref().and_then(choice);
    let list = |devices: Option<Vec<cpal::Device>>, default: Option<Choice>, skip_monitors| {
        let mut all: Vec<Choice> = default.clone().into_iter().collect();
        for device in devices.unwrap_or_default() {
            let Some(c) = choice(&device) else { continue };
            // PulseAudio and PipeWire name an output's monitor "<sink>.monitor".
            if all.iter().any(|a| a.id == c.id) || (skip_monitors && c.id.ends_with(".monitor")) {
                continue;
            }
            all.push(c);
        }
        all
    };
    let inputs = host.input_devices().ok().map(|d| d.collect());
    let outputs = host.output_devices().ok().map(|d| d.collect());
    (
        list(inputs, default_in, true),
        list(outputs, default_out, false),
    )
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn sound_devices() -> (Vec<Choice>, Vec<Choice>) {
    (Vec::new(), Vec::new())
}

/// The name people know a sound device by (PulseAudio's description).
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub(crate) fn device_name(device: &cpal::Device) -> String {
    use cpal::traits::DeviceTrait;
    device
        .description()
        .map(|d| d.name().to_string())
        .unwrap_or_else(|_| device.to_string())
}

/// The chosen input if it is there, else the default input.
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub(crate) fn input(host: &cpal::Host) -> Option<cpal::Device> {
    use cpal::traits::HostTrait;
    pick(host, chosen().microphone).or_else(|| host.default_input_device())
}

/// The chosen output if it is there, else the default output.
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
pub(crate) fn output(host: &cpal::Host) -> Option<cpal::Device> {
    use cpal::traits::HostTrait;
    pick(host, chosen().speakers).or_else(|| host.default_output_device())
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
fn pick(host: &cpal::Host, id: Option<String>) -> Option<cpal::Device> {
    use cpal::traits::HostTrait;
    let id: cpal::DeviceId = id?.parse().ok()?;
    host.device_by_id(&id)
}

/// The sound server's own name of the chosen input (`pulseaudio:<name>` → `<name>`).
pub fn chosen_pulse_source() -> Option<String> {
    pulse_name(chosen().microphone)
}

/// The sound server's own name of the chosen output.
pub fn chosen_pulse_sink() -> Option<String> {
    pulse_name(chosen().speakers)
}

fn pulse_name(id: Option<String>) -> Option<String> {
    id?.strip_prefix("pulseaudio:").map(String::from)
}
