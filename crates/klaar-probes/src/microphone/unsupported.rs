use klaar_facts::{MicrophoneFacts, ProbeError};

pub fn probe() -> Result<MicrophoneFacts, ProbeError> {
    Err(ProbeError::Unsupported)
}
