//! Whether another program uses the camera or the microphone now, for noticing a call that
//! starts or ends (a browser tab with Meet or Teams shows only this). Cheap enough to ask every
//! few seconds: no device is opened.
//!
//! - Camera: a program other than Klaar holds a `/dev/videoN` open (`/proc/PID/fd`, under the
//!   root so a captured machine replays; PipeWire's watchers do not count). With no camera
//!   node, nothing is scanned.
//! - Microphone: the sound server says a microphone records (PulseAudio's or pipewire-pulse's
//!   source state), while Klaar itself records nothing.
//!
//! Elsewhere than Linux both are `false`: the call watch then goes by the call apps alone.

use crate::Root;

/// The program other than Klaar that holds a camera, if any.
#[cfg(target_os = "linux")]
pub fn camera_holder(root: &Root) -> Option<String> {
    let nodes = crate::camera::holders::nodes(root);
    let nodes: Vec<&str> = nodes.iter().map(String::as_str).collect();
    crate::camera::holders::holder_of_any(root, &nodes, Some(std::process::id()))
}

/// The program other than Klaar that holds a camera, if any.
#[cfg(not(target_os = "linux"))]
pub fn camera_holder(_root: &Root) -> Option<String> {
    None
}

/// Whether another program records from a microphone.
#[cfg(target_os = "linux")]
pub fn microphone_taken() -> bool {
    !crate::microphone::klaar_records()
        && crate::microphone::a_microphone_records().unwrap_or(false)
}

/// Whether another program records from a microphone.
#[cfg(not(target_os = "linux"))]
pub fn microphone_taken() -> bool {
    false
}
