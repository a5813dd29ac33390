//! The device pickers: which cameras, microphones and speakers there are, which one is chosen,
//! and choosing another (remembered in the settings, used by the check, the self-view, the level
//! meter and the sound tests from then on).

use crate::state::AppState;
use klaar_probes::devices::{self, Available, Chosen};
use klaar_probes::Root;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};

/// What the pickers show.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceView {
    /// Each list with the computer's default (or best camera) first; camera names cleaned of
    /// the driver's cut-off repeat.
    pub available: Available,
    /// The chosen ids; `None` means the default, which is the first of each list.
    pub chosen: Chosen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Camera,
    Microphone,
    Speakers,
}

/// Lists the devices (asks the sound server, reads sysfs: run it off the main thread).
pub fn view<R: Runtime>(app: &AppHandle<R>) -> DeviceView {
    let mut available = devices::available(&Root::from_env());
    for camera in &mut available.cameras {
        camera.name = klaar_checklist::rules::device_name(&camera.name);
    }
    DeviceView {
        available,
        chosen: app.state::<AppState>().settings().devices,
    }
}

/// Chooses `id` (or the default, with `None`) for `kind`, remembers it, and lets the self-view
/// or the meter open the new device.
pub fn choose<R: Runtime>(app: &AppHandle<R>, kind: Kind, id: Option<String>) -> DeviceView {
    let state = app.state::<AppState>();
    let _ = state.change_settings(|s| {
        let slot = match kind {
            Kind::Camera => &mut s.devices.camera,
            Kind::Microphone => &mut s.devices.microphone,
            Kind::Speakers => &mut s.devices.speakers,
        };
        *slot = id.filter(|i| !i.is_empty());
    });
    devices::choose(state.settings().devices);
    match kind {
        Kind::Camera => app.state::<crate::preview::Preview>().restart(),
        Kind::Microphone => app.state::<crate::meter::Meter>().restart(),
        Kind::Speakers => {}
    }
    view(app)
}
