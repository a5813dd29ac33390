use crate::Root;
use klaar_facts::{CameraFacts, ProbeError};

pub fn probe(_root: &Root) -> Result<CameraFacts, ProbeError> {
    Err(ProbeError::Unsupported)
}

pub fn open_live(_root: &Root) -> Result<Box<dyn super::FrameSource>, ProbeError> {
    Err(ProbeError::Unsupported)
}

pub fn choices(_root: &Root) -> Vec<crate::devices::Choice> {
    Vec::new()
}
