//! Copies what the probes read, keeping sysfs's shape (class entries are relative links into
//! `devices/`), and leaves out what identifies the machine: MAC addresses, serial numbers, and
//! every command-line argument after argv[0]. What each probe reads is its own module's
//! `capture`, named in `crate::registry`.

use super::{CaptureError, Summary};
use crate::Root;
use std::fs;
use std::path::Path;

pub use super::writer::Writer;

pub fn capture(from: &Root, to: &Path) -> Result<Summary, CaptureError> {
    if fs::read_dir(to).is_ok_and(|mut d| d.next().is_some()) {
        return Err(CaptureError::NotEmpty(to.display().to_string()));
    }
    let source_root = fs::canonicalize(from.path()).unwrap_or_else(|_| from.path().to_path_buf());
    let w = Writer {
        from: source_root,
        to: to.to_path_buf(),
    };
    let mut summary = Summary::default();
    for probe in crate::registry::PROBES {
        if let Some(capture) = probe.capture {
            capture(&w, from, &mut summary)?;
        }
    }
    Ok(summary)
}
