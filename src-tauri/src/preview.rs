//! The live self-view: while the window asks for frames, a worker keeps the camera open and
//! holds the newest frame, small and grey, in memory (see `on_demand`). When the window stops
//! asking (closed, hidden, self-view switched off) the camera closes. No frame is written
//! anywhere; the window gets each one as a data URL.

use crate::on_demand::{lock, Demand, OnDemand};
use crate::state::AppState;
use base64::Engine as _;
use klaar_facts::{CameraFacts, Facts, ProbeId, ProbeResult};
use klaar_probes::camera::{self, picture, FrameSource};
use klaar_probes::Root;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};

/// Width of the self-view; enough to judge framing and background.
pub const WIDTH: u32 = 320;
/// A modest frame rate: the self-view is for a look, not for a call.
const FRAME_GAP: Duration = Duration::from_millis(200);

#[derive(Default)]
pub struct Preview(OnDemand<Seen>);

#[derive(Default)]
pub struct Seen {
    latest: Mutex<Option<Shot>>,
    failed: Mutex<Option<&'static str>>,
}

#[derive(Clone)]
struct Shot {
    jpeg: Vec<u8>,
    stats: Option<klaar_facts::PictureStats>,
}

/// One frame for the window, with the lighting verdict in the user's language.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewFrame {
    /// `data:image/jpeg;base64,…`; `None` until the camera gave a frame.
    pub image: Option<String>,
    pub light: Option<klaar_checklist::ItemReport>,
    /// Why there is no picture: `no_camera` (there is none, as the checklist's camera item
    /// says) or `no_picture` (it could not open or gave no frame).
    pub problem: Option<&'static str>,
}

pub fn frame<R: Runtime>(app: &AppHandle<R>) -> PreviewFrame {
    let demand = app.state::<Preview>().0.ask(watch);
    let shot = lock(&demand.data.latest).clone();
    let problem = *lock(&demand.data.failed);
    let state = app.state::<AppState>();
    let light = shot.as_ref().and_then(|s| s.stats).and_then(|stats| {
        let plan = state.engine().plan(&["camera_light".into()]).ok()?;
        let result = ProbeResult {
            probe: ProbeId::Camera,
            outcome: Ok(Facts::Camera(CameraFacts {
                present: true,
                picture: Some(stats),
                ..CameraFacts::default()
            })),
            elapsed_ms: 0,
        };
        state
            .engine()
            .evaluate(&plan, &result, state.lang())
            .into_iter()
            .next()
    });
    PreviewFrame {
        image: shot.map(|s| {
            format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&s.jpeg)
            )
        }),
        light,
        problem,
    }
}

/// The camera worker: frames while asked for, then closes the camera and ends.
fn watch(demand: Arc<Demand<Seen>>) {
    let mut source = match camera::open_live(&Root::from_env()) {
        Ok(source) => source,
        Err(e) => {
            *lock(&demand.data.failed) = Some(match e {
                klaar_facts::ProbeError::Missing { .. } => "no_camera",
                _ => "no_picture",
            });
            return demand.wait_until_idle();
        }
    };
    while !demand.idle() {
        if let Ok(Some(frame)) = source.next_frame() {
            if let Some(shot) = shoot(&frame) {
                *lock(&demand.data.latest) = Some(shot);
            }
        }
        std::thread::sleep(FRAME_GAP);
    }
}

/// Measures the full frame, then makes the small grey picture for the window.
fn shoot(frame: &picture::LumaFrame) -> Option<Shot> {
    let stats = picture::measure(frame);
    let grey =
        image::GrayImage::from_raw(frame.width as u32, frame.height as u32, frame.luma.clone())?;
    let height = (frame.height as u32 * WIDTH / frame.width.max(1) as u32).max(1);
    let small =
        image::imageops::resize(&grey, WIDTH, height, image::imageops::FilterType::Triangle);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 75)
        .encode_image(&small)
        .ok()?;
    Some(Shot { jpeg, stats })
}

impl Preview {
    /// Lets go of the device so the next ask opens the one chosen now.
    pub fn restart(&self) {
        self.0.restart();
    }
}

/// Whether the camera is held open (for tests).
pub fn is_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.state::<Preview>().0.is_running()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_becomes_a_small_picture_with_its_numbers() {
        let frame = picture::LumaFrame {
            width: 1280,
            height: 720,
            luma: vec![128; 1280 * 720],
        };
        let shot = shoot(&frame).unwrap();
        assert_eq!(shot.stats.unwrap().mean_luma, 128.0);
        let small = image::load_from_memory(&shot.jpeg).unwrap();
        assert_eq!((small.width(), small.height()), (320, 180));
    }
}
