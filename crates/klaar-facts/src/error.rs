use serde::Serialize;

/// Why a probe could not tell. Each variant says something different to the user: the kind decides
/// the advice (absent vs denied vs garbage vs too slow), so keep them apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbeError {
    /// Klaar has no way to read this here: the operating system, or the desktop (XFCE's screen
    /// lock), has no implementation of the probe.
    #[error("not supported on this system")]
    Unsupported,
    /// A file or source the probe needs does not exist (not mounted, device gone).
    #[error("{path} is missing")]
    Missing { path: String },
    /// The operating system refused access.
    #[error("no permission to read {path}")]
    Denied { path: String },
    /// Reading failed for another reason.
    #[error("could not read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    /// The source answered, but with something that makes no sense.
    #[error("unexpected value {value:?} in {path}")]
    Garbage { path: String, value: String },
    /// The device is in use by another program and cannot be shared now (cpal's `DeviceBusy`).
    #[error("{what} is in use by another program")]
    Busy { what: String },
    /// The device, or the service that serves it, is not there now (cpal's
    /// `DeviceNotAvailable` and `HostUnavailable`; a D-Bus service that does not answer).
    #[error("{what} is not available")]
    Unavailable { what: String },
    /// The probe did not finish before its deadline.
    #[error("gave no answer within {deadline_ms} ms")]
    TimedOut { deadline_ms: u64 },
    /// The probe panicked; the others went on.
    #[error("stopped unexpectedly: {message}")]
    Crashed { message: String },
}

impl ProbeError {
    /// Maps an I/O error on `path` to the kind a user can act on.
    pub fn from_io(path: impl Into<String>, err: &std::io::Error) -> Self {
        let path = path.into();
        match err.kind() {
            std::io::ErrorKind::NotFound => ProbeError::Missing { path },
            std::io::ErrorKind::PermissionDenied => ProbeError::Denied { path },
            _ => ProbeError::Unreadable {
                path,
                reason: err.to_string(),
            },
        }
    }

    pub fn garbage(path: impl Into<String>, value: impl Into<String>) -> Self {
        let value: String = value.into();
        // Keep the message readable when a file holds binary junk or a whole page of text.
        let value: String = value.trim().chars().take(40).collect();
        ProbeError::Garbage {
            path: path.into(),
            value,
        }
    }
}
