//! Writing a capture: files copied without serial numbers, links recreated as they are, and
//! class entries followed into `devices/`.

use super::CaptureError;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes a capture: copies files and links from the root being captured into the folder.
pub struct Writer {
    pub(crate) from: PathBuf,
    pub(crate) to: PathBuf,
}

impl Writer {
    fn err(&self, rel: &Path, source: std::io::Error) -> CaptureError {
        CaptureError::Write {
            path: self.to.join(rel).display().to_string(),
            source,
        }
    }

    pub(crate) fn dir(&self, rel: &Path) -> Result<(), CaptureError> {
        fs::create_dir_all(self.to.join(rel)).map_err(|e| self.err(rel, e))
    }

    pub(crate) fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), CaptureError> {
        if let Some(parent) = rel.parent() {
            self.dir(parent)?;
        }
        fs::write(self.to.join(rel), bytes).map_err(|e| self.err(rel, e))
    }

    /// Copies a text attribute if it is readable, without serial numbers.
    pub(crate) fn file(&self, rel: &Path) -> Result<(), CaptureError> {
        let Ok(bytes) = fs::read(self.from.join(rel)) else {
            return Ok(());
        };
        let text = String::from_utf8_lossy(&bytes);
        let kept: String = text
            .lines()
            .filter(|l| !l.contains("SERIAL"))
            .map(|l| format!("{l}\n"))
            .collect();
        self.write(rel, kept.as_bytes())
    }

    /// Recreates a symbolic link with the same (usually relative) target; false if there is none.
    pub(crate) fn link(&self, rel: &Path) -> Result<bool, CaptureError> {
        let Ok(target) = fs::read_link(self.from.join(rel)) else {
            return Ok(false);
        };
        if let Some(parent) = rel.parent() {
            self.dir(parent)?;
        }
        // Two probes may read the same link (the block devices): write it once.
        if fs::symlink_metadata(self.to.join(rel)).is_ok() {
            return Ok(true);
        }
        std::os::unix::fs::symlink(&target, self.to.join(rel)).map_err(|e| self.err(rel, e))?;
        Ok(true)
    }

    /// Runs `probe` on a recording copy of `from` and adds every answer it got from a source
    /// that is not a file (D-Bus, settings, commands) to `klaar/answers.json`, so the replay
    /// answers as the live probe did. What the probe found is dropped.
    pub(crate) fn answers<T>(
        &self,
        from: &crate::Root,
        probe: impl FnOnce(&crate::Root) -> T,
    ) -> Result<(), CaptureError> {
        let recording = from.recording();
        let _ = probe(&recording);
        let rel = Path::new(crate::Root::ANSWERS);
        let mut all = crate::root::read_answers(&self.to.join(rel));
        all.extend(recording.recorded());
        let json = serde_json::to_vec_pretty(&all).unwrap_or_default();
        self.write(rel, &json)
    }

    /// Where a link leads, relative to the root, when it stays inside it.
    pub(crate) fn resolve(&self, rel: &Path) -> Option<PathBuf> {
        let real = fs::canonicalize(self.from.join(rel)).ok()?;
        real.strip_prefix(&self.from).ok().map(Path::to_path_buf)
    }

    /// A class entry is a link into `devices/`: recreate the link and return the real directory.
    pub(crate) fn class_entry(&self, class: &str, name: &str) -> Result<PathBuf, CaptureError> {
        let rel = Path::new(class).join(name);
        if self.link(&rel)? {
            if let Some(real) = self.resolve(&rel) {
                self.dir(&real)?;
                return Ok(real);
            }
        }
        self.dir(&rel)?;
        Ok(rel)
    }
}
