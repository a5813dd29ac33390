//! The last good copy of each calendar fetched from an address, and when it was refreshed and
//! why the last refresh failed: `$XDG_CACHE_HOME/klaar/calendars/<label>.ics` and `.json`,
//! readable by the person alone. A failed refresh never replaces the copy.

use crate::fetch::FetchProblem;
use crate::private_file;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The cache folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// What is known of an address's refreshes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refreshes {
    /// When the kept copy was fetched.
    pub refreshed: Option<DateTime<Utc>>,
    /// When Klaar last tried.
    pub tried: Option<DateTime<Utc>>,
    /// Why the last try failed; `None` when it succeeded.
    pub problem: Option<FetchProblem>,
}

impl Cache {
    /// `$XDG_CACHE_HOME/klaar/calendars` (else `~/.cache/…`); `None` without a home folder.
    pub fn default_place() -> Option<Cache> {
        let klaar = klaar_settings::klaar_dir(klaar_settings::BaseDir::Cache)?;
        Some(Cache::at(klaar.join("calendars")))
    }

    /// A cache in `dir`.
    pub fn at(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The kept copy for `label`, if any.
    pub fn copy(&self, label: &str) -> Option<String> {
        let bytes = std::fs::read(self.path(label, "ics")).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// What is known of `label`'s refreshes (nothing when never tried or unreadable).
    pub fn refreshes(&self, label: &str) -> Refreshes {
        std::fs::read(self.path(label, "json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Keeps `text` as the good copy fetched at `now`.
    ///
    /// # Errors
    /// The system's error when the cache cannot be written (the fetched text is still used).
    pub fn keep(&self, label: &str, text: &str, now: DateTime<Utc>) -> std::io::Result<()> {
        private_file::write(&self.path(label, "ics"), text.as_bytes())?;
        self.write_refreshes(
            label,
            &Refreshes {
                refreshed: Some(now),
                tried: Some(now),
                problem: None,
            },
        )
    }

    /// Notes a failed refresh at `now`; the copy stays.
    ///
    /// # Errors
    /// The system's error when the cache cannot be written.
    pub fn failed(
        &self,
        label: &str,
        problem: &FetchProblem,
        now: DateTime<Utc>,
    ) -> std::io::Result<()> {
        let mut refreshes = self.refreshes(label);
        refreshes.tried = Some(now);
        refreshes.problem = Some(problem.clone());
        self.write_refreshes(label, &refreshes)
    }

    /// Removes what is kept for `label`.
    pub fn forget(&self, label: &str) {
        let _ = std::fs::remove_file(self.path(label, "ics"));
        let _ = std::fs::remove_file(self.path(label, "json"));
    }

    fn write_refreshes(&self, label: &str, r: &Refreshes) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(r).expect("refreshes serialise");
        private_file::write(&self.path(label, "json"), &text)
    }

    /// `calendar.google.com …3f9a` → `calendar.google.com-3f9a.ics`.
    fn path(&self, label: &str, ext: &str) -> PathBuf {
        let mut name = String::new();
        for c in label.chars() {
            match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '_' => name.push(c),
                _ if !name.ends_with('-') => name.push('-'),
                _ => {}
            }
        }
        self.dir
            .join(format!("{}.{ext}", name.trim_matches(['-', '.'])))
    }
}
