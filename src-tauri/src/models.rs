//! What crosses the IPC boundary: the snapshot the window renders.

use klaar_checklist::{Lang, SeedInfo, SessionView};
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything the window needs to draw itself; sent after every change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Higher is newer. Command answers and events travel separately and may cross.
    pub revision: u64,
    pub lang: Lang,
    /// The window's own texts (`[ui]` and `[status]` of the locale file), by key.
    pub texts: BTreeMap<String, String>,
    /// The guides the items cite, by seed id.
    pub seeds: BTreeMap<String, SeedInfo>,
    pub verdict_text: Option<String>,
    #[serde(flatten)]
    pub view: SessionView,
    /// "14:05" when the last full check finished.
    pub checked_at: Option<String>,
    pub reminder: Option<Reminder>,
}

/// The last reminder and how it reached the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub lines: Vec<String>,
    /// `false` when no notification service runs; the window then shows the reminder itself.
    pub delivered: bool,
    pub note: String,
}

/// The event the window listens to.
pub const SNAPSHOT_EVENT: &str = "klaar://snapshot";
