use crate::Root;
use klaar_facts::{PowerFacts, ProbeError};

pub fn probe(_root: &Root) -> Result<PowerFacts, ProbeError> {
    Err(ProbeError::Unsupported)
}
