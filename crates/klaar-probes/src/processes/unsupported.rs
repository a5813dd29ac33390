use crate::Root;
use klaar_facts::{ProbeError, ProcessList};

pub fn probe(_root: &Root) -> Result<ProcessList, ProbeError> {
    Err(ProbeError::Unsupported)
}
