use crate::Root;
use klaar_facts::{CameraFacts, ProbeError};

pub fn probe(_root: &Root) -> Result<CameraFacts, ProbeError> {
    Err(ProbeError::Unsupported)
}
