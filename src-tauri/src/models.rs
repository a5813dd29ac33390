//! What crosses the IPC boundary: the snapshot the window renders.

use klaar_checklist::{Lang, SeedInfo, SessionView, VerdictLine};
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
    /// The verdict in words, naming what blocks; `None` until a check finished.
    pub verdict_line: Option<VerdictLine>,
    #[serde(flatten)]
    pub view: SessionView,
    /// "14:05" when the last full check finished.
    pub checked_at: Option<String>,
    pub reminder: Option<Reminder>,
    /// "10:25" while a "remind me in 5 minutes" waits.
    pub reminder_due: Option<String>,
    /// "Volgende online vergadering: Teamoverleg om 10:00 (Microsoft Teams, AVG-proof)".
    pub next_meeting: Option<String>,
    /// The calendars that are fetched or could not be read, each in one line.
    pub calendars: Vec<CalendarLine>,
    /// The settings view: the calendars added, the reminder minutes, the last outcome.
    pub calendar_settings: CalendarSettings,
    /// The settings file could not be read: what to tell the person.
    pub settings_problem: Option<Problem>,
    /// The organisation's policy is in force ("Ingesteld door je organisatie"), or has mistakes;
    /// the details name the file and each mistake. `None` without a policy file.
    pub policy_notice: Option<Problem>,
    /// Whether the desktop shows tray icons (else closing the window quits Klaar).
    pub tray: bool,
    /// Whether "copy details for the helpdesk" can gather anything here (a capture needs Linux).
    pub helpdesk: bool,
    /// The guides' table of video-call apps and the consumer apps, in `lang`.
    pub apps: klaar_checklist::avg_table::AppsView,
    /// The welcome at first start, the profile and the items that do not apply to the person.
    pub preferences: Preferences,
}

/// The person's own choices as the settings view and the welcome show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preferences {
    /// The first-start welcome was finished or skipped.
    pub welcomed: bool,
    /// The profile in force (`onderwijs`, `zorg`).
    pub profile: &'static str,
    /// The organisation's policy set the profile: the person cannot change it.
    pub profile_by_organisation: bool,
    pub profiles: Vec<Choice>,
    /// The items shown (not disabled by the organisation, meant for the profile), except the
    /// guides' information items, which hold nothing back anyway.
    pub items: Vec<Applicable>,
    /// The reminder minutes the organisation's policy set, if it did.
    pub remind_minutes_by_organisation: Option<u32>,
}

/// One choice in a list: its key and its name in the person's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub key: &'static str,
    pub label: String,
}

/// An item the person may mark as not applicable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applicable {
    pub id: String,
    pub title: String,
    pub not_applicable: bool,
    /// Why the person cannot mark it, in their language: the organisation requires it, or it
    /// names an app the organisation forbids. `None`: the person may.
    pub locked: Option<String>,
}

/// A problem to show: the main line, and the technical details behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub text: String,
    pub details: String,
}

/// The calendar settings the window shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarSettings {
    pub calendars: Vec<CalendarEntry>,
    /// 1, 3, 5 or 10.
    pub remind_minutes: u32,
    /// How adding or removing went.
    pub notice: Option<Notice>,
    /// "Do not disturb" during online meetings is chosen.
    pub do_not_disturb: bool,
    /// Why the desktop's "do not disturb" cannot be used here; `None` where it can.
    pub do_not_disturb_unavailable: Option<String>,
}

/// A calendar added: a file's path, or an address's label (host and last characters).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarEntry {
    pub name: String,
    pub address: bool,
}

/// A line of outcome, and whether it says what went wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    pub text: String,
    pub problem: bool,
}

/// One calendar: its name, and when it was refreshed or what went wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarLine {
    /// The file name, or the address's host and last characters.
    pub name: String,
    pub text: String,
    /// Whether `text` says what went wrong (the window marks it with a word, not only colour).
    pub problem: bool,
}

/// The last reminder and how it reached the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    /// Tells one reminder from the next, so the window can put away the one the person saw.
    pub id: u64,
    pub lines: Vec<String>,
    /// `false` when no notification service runs; the window then shows the reminder itself.
    pub delivered: bool,
    pub note: String,
}

/// The event the window listens to.
pub const SNAPSHOT_EVENT: &str = "klaar://snapshot";
