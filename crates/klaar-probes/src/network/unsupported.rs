use crate::Root;
use klaar_facts::{Connectivity, ProbeError};

pub fn probe(_root: &Root) -> Result<Connectivity, ProbeError> {
    Err(ProbeError::Unsupported)
}
