use super::{CaptureError, Summary};
use crate::Root;
use std::path::Path;

pub fn capture(_from: &Root, _to: &Path) -> Result<Summary, CaptureError> {
    Err(CaptureError::Unsupported)
}
