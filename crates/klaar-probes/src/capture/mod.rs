//! `klaar debug capture DIR`: copies the files the probes read into a tree that replays with
//! `KLAAR_ROOT=DIR`, so a user's bug report becomes a test.

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(not(target_os = "linux"), path = "unsupported.rs")]
mod platform;
#[cfg(target_os = "linux")]
mod writer;

pub use platform::capture;
#[cfg(target_os = "linux")]
pub use writer::Writer;

/// A probe's part of a capture: copies what it reads from the root into the writer's folder.
#[cfg(target_os = "linux")]
pub type CaptureFn = fn(&Writer, &crate::Root, &mut Summary) -> Result<(), CaptureError>;

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

/// What [`capture`] gathers, as one text to paste into a message to a helpdesk: every file of
/// the captured tree as `path: content`, links as `path -> target`, in path order. Written to a
/// temporary folder first, which is removed again.
pub fn capture_text(from: &crate::Root) -> Result<String, CaptureError> {
    let dir = tempfile::tempdir().map_err(|source| CaptureError::Write {
        path: std::env::temp_dir().display().to_string(),
        source,
    })?;
    capture(from, dir.path())?;
    let mut lines = Vec::new();
    walk(dir.path(), dir.path(), &mut lines);
    lines.sort();
    Ok(lines.join("\n"))
}

fn walk(base: &std::path::Path, dir: &std::path::Path, lines: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let shown = path
            .strip_prefix(base)
            .unwrap_or(&path)
            .display()
            .to_string();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            if let Ok(target) = std::fs::read_link(&path) {
                lines.push(format!("{shown} -> {}", target.display()));
            }
        } else if kind.is_dir() {
            walk(base, &path, lines);
        } else if let Ok(bytes) = std::fs::read(&path) {
            // Command lines separate their arguments with NUL bytes, which mail cuts off at.
            let text = String::from_utf8_lossy(&bytes).replace('\0', " ");
            let text = text.trim_end();
            if text.contains('\n') {
                lines.push(format!("{shown}:\n  {}", text.replace('\n', "\n  ")));
            } else {
                lines.push(format!("{shown}: {text}"));
            }
        }
    }
}
