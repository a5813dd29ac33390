//! `klaar debug capture DIR`: copies the files the probes read into a tree that replays with
//! `KLAAR_ROOT=DIR`, so a user's bug report becomes a test.

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(not(target_os = "linux"), path = "unsupported.rs")]
mod platform;

pub use platform::capture;

/// What a capture wrote, for the message to the user.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub power_supplies: usize,
    pub interfaces: usize,
    pub processes: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{0} exists and is not empty; choose a new folder so nothing is overwritten")]
    NotEmpty(String),
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("could not read the routing state: {0}")]
    Read(String),
    #[error("capturing is only possible on Linux")]
    Unsupported,
}
