//! macOS and Windows: the first camera nokhwa finds.

use super::native::Native;
use crate::Root;
use klaar_facts::{CameraFacts, ProbeError};
use nokhwa::utils::ApiBackend;
use std::time::Instant;

pub fn probe(_root: &Root) -> Result<CameraFacts, ProbeError> {
    let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| ProbeError::Crashed {
        message: e.to_string(),
    })?;
    let Some(first) = cameras.first() else {
        return Ok(CameraFacts::default());
    };
    let opened = Instant::now();
    match Native::open(0, first.human_name()) {
        Ok(camera) => Ok(super::observe(camera, opened, super::FRAME_BUDGET)),
        Err(_) => Ok(CameraFacts {
            present: true,
            name: Some(first.human_name()),
            // The platform asks the user for permission: whether it was given, as nokhwa reads
            // it from the platform (AVFoundation's authorisation status; elsewhere always yes).
            denied: !nokhwa::nokhwa_check(),
            ..CameraFacts::default()
        }),
    }
}

pub fn open_live(_root: &Root) -> Result<Box<dyn super::FrameSource>, ProbeError> {
    let cameras = nokhwa::query(ApiBackend::Auto).map_err(|e| ProbeError::Crashed {
        message: e.to_string(),
    })?;
    let first = cameras.first().ok_or(ProbeError::Missing {
        path: "camera".into(),
    })?;
    Native::open(0, first.human_name())
        .map(|camera| Box::new(camera) as Box<dyn super::FrameSource>)
        .map_err(|e| ProbeError::Unreadable {
            path: first.human_name(),
            reason: e.0,
        })
}

/// nokhwa gives no id here that stays the same across restarts: the first camera is offered
/// as the automatic choice only (an empty id).
pub fn choices(_root: &Root) -> Vec<crate::devices::Choice> {
    nokhwa::query(ApiBackend::Auto)
        .ok()
        .and_then(|cameras| {
            cameras.first().map(|c| crate::devices::Choice {
                id: String::new(),
                name: c.human_name(),
            })
        })
        .into_iter()
        .collect()
}
