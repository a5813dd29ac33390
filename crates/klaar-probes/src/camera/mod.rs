//! The default camera: is it there, can Klaar open it, who holds it, and how is the picture lit.
//!
//! Frames come from a [`FrameSource`]: the real camera (nokhwa), or an image file named by
//! `KLAAR_FAKE_CAMERA`, which goes through the same analysis and reporting. Frames stay in
//! memory; none is written anywhere.

#[cfg(target_os = "linux")]
pub mod holders;
#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
mod native;
pub mod picture;
mod still;

use crate::Root;
use klaar_facts::{CameraFacts, ProbeError};
use picture::LumaFrame;
use std::time::{Duration, Instant};

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(any(target_os = "macos", target_os = "windows"), path = "portable.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "macos", target_os = "windows")),
    path = "unsupported.rs"
)]
mod platform;

#[cfg(target_os = "linux")]
pub use platform::{node_infos as platform_nodes, NODES_FILE};

/// An image file used instead of a camera, for tests and demonstrations.
pub const FAKE_ENV: &str = "KLAAR_FAKE_CAMERA";

/// Frames to let automatic exposure settle before judging the picture; real cameras need
/// 0.3–1.5 s from the first frame.
pub const SETTLE_FRAMES: usize = 8;
/// Give up on frames after this long, so the probe answers before the runner's deadline.
pub const FRAME_BUDGET: Duration = Duration::from_millis(3000);

/// Where frames come from.
pub trait FrameSource {
    fn name(&self) -> String;
    /// The next frame; `Ok(None)` when the source has no frame to give right now.
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, String>;
}

/// The chosen camera (see [`crate::devices`]), else the best one.
pub fn probe(root: &Root) -> Result<CameraFacts, ProbeError> {
    if let Some(path) = fake_picture() {
        let opened = Instant::now();
        let source = still::Still::open(&path)?;
        return Ok(observe(source, opened, FRAME_BUDGET));
    }
    platform::probe(root)
}

/// The chosen camera (else the best one) as a frame source, for a live self-view. Must be used
/// on the thread that opened it (cameras are tied to their thread on some systems).
pub fn open_live(root: &Root) -> Result<Box<dyn FrameSource>, ProbeError> {
    if let Some(path) = fake_picture() {
        return Ok(Box::new(still::Still::open(&path)?));
    }
    platform::open_live(root)
}

/// The cameras a person can choose from, the best first.
pub fn choices(root: &Root) -> Vec<crate::devices::Choice> {
    let fakes = fake_pictures();
    if fakes.is_empty() {
        return platform::choices(root);
    }
    fakes
        .iter()
        .map(|path| crate::devices::Choice {
            id: path.display().to_string(),
            name: still::Still::name_of(path),
        })
        .collect()
}

/// `KLAAR_FAKE_CAMERA` names one picture, or several separated like `PATH` (`a.png:b.png`),
/// each standing for one camera.
fn fake_pictures() -> Vec<std::path::PathBuf> {
    std::env::var_os(FAKE_ENV)
        .filter(|p| !p.is_empty())
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default()
}

/// The chosen fake picture, else the first.
fn fake_picture() -> Option<std::path::PathBuf> {
    let fakes = fake_pictures();
    let chosen = crate::devices::chosen().camera;
    fakes
        .iter()
        .find(|p| chosen.as_deref() == Some(&*p.display().to_string()))
        .or(fakes.first())
        .cloned()
}

impl FrameSource for Box<dyn FrameSource> {
    fn name(&self) -> String {
        self.as_ref().name()
    }
    fn next_frame(&mut self) -> Result<Option<LumaFrame>, String> {
        self.as_mut().next_frame()
    }
}

/// Takes frames until the exposure had time to settle (or the budget runs out) and measures the
/// last one.
pub fn observe(mut source: impl FrameSource, opened: Instant, budget: Duration) -> CameraFacts {
    let mut facts = CameraFacts {
        present: true,
        name: Some(source.name()),
        ..CameraFacts::default()
    };
    let mut last = None;
    let mut taken = 0;
    while taken < SETTLE_FRAMES && opened.elapsed() < budget {
        match source.next_frame() {
            Ok(Some(frame)) => {
                if facts.first_frame_ms.is_none() {
                    facts.first_frame_ms = Some(opened.elapsed().as_millis() as u64);
                }
                last = Some(frame);
                taken += 1;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break,
        }
    }
    facts.picture = last.as_ref().and_then(picture::measure);
    facts
}

/// This probe in the registry (`crate::registry`).
pub const PROBE: crate::registry::ProbeDef = crate::registry::ProbeDef {
    id: klaar_facts::ProbeId::Camera,
    run: |root| probe(root).map(klaar_facts::Facts::Camera),
    #[cfg(target_os = "linux")]
    capture: Some(platform::capture),
};

#[cfg(test)]
mod tests {
    use super::*;

    struct Frames(Vec<Option<LumaFrame>>, &'static str);

    impl FrameSource for Frames {
        fn name(&self) -> String {
            self.1.to_string()
        }
        fn next_frame(&mut self) -> Result<Option<LumaFrame>, String> {
            if self.0.is_empty() {
                return Err("gone".into());
            }
            Ok(self.0.remove(0))
        }
    }

    fn grey(level: u8) -> LumaFrame {
        LumaFrame {
            width: 32,
            height: 24,
            luma: vec![level; 32 * 24],
        }
    }

    #[test]
    fn the_picture_is_judged_after_the_exposure_settled() {
        let mut frames: Vec<_> = (0..SETTLE_FRAMES - 1).map(|_| Some(grey(10))).collect();
        frames.push(Some(grey(120)));
        frames.push(Some(grey(250)));
        let facts = observe(Frames(frames, "cam"), Instant::now(), FRAME_BUDGET);
        assert_eq!(facts.name.as_deref(), Some("cam"));
        assert!(facts.first_frame_ms.is_some());
        assert_eq!(facts.picture.unwrap().mean_luma, 120.0);
    }

    #[test]
    fn a_camera_that_gives_no_frame_is_present_without_a_picture() {
        let facts = observe(
            Frames(vec![None, None], "cam"),
            Instant::now(),
            FRAME_BUDGET,
        );
        assert!(facts.present);
        assert_eq!(facts.first_frame_ms, None);
        assert_eq!(facts.picture, None);
    }

    #[test]
    fn a_camera_that_vanishes_mid_check_keeps_the_frames_it_gave() {
        let facts = observe(
            Frames(vec![Some(grey(90)), Some(grey(100))], "cam"),
            Instant::now(),
            FRAME_BUDGET,
        );
        assert_eq!(facts.picture.unwrap().mean_luma, 100.0);
    }
}
