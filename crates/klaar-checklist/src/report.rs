//! The report: one entry per item, and the verdict over all of them.

use crate::catalogue::{Group, ItemKind, Phase, SourceRef};
use crate::policy::{Decided, Profile};
use klaar_facts::ProbeError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// Could not tell; the detail says why.
    Unknown,
    /// A person must confirm it.
    Manual,
    Info,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Manual => "manual",
            Status::Info => "info",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    Attention,
    NotReady,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::Attention => "attention",
            Verdict::NotReady => "not_ready",
        }
    }

    /// `not_ready` if any item fails, else `attention` if any warns, is unknown or is a manual
    /// item nobody ticked yet, else `ready`.
    pub fn of<'a>(statuses: impl IntoIterator<Item = &'a Status>) -> Verdict {
        statuses
            .into_iter()
            .fold(Verdict::Ready, |verdict, status| match (verdict, status) {
                (_, Status::Fail) | (Verdict::NotReady, _) => Verdict::NotReady,
                (_, Status::Warn | Status::Unknown | Status::Manual) => Verdict::Attention,
                (verdict, _) => verdict,
            })
    }

    /// The verdict before the call: items for during and after the call cannot be done yet, so
    /// they never hold it back.
    pub fn of_items(items: &[ItemReport]) -> Verdict {
        Verdict::of(
            items
                .iter()
                .filter(|i| i.holds_the_verdict())
                .map(|i| &i.status),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemReport {
    pub id: String,
    pub phase: Phase,
    pub group: Group,
    pub kind: ItemKind,
    pub status: Status,
    pub title: String,
    /// The main line: what Klaar found and what to do, in plain words.
    pub detail: String,
    /// Figures behind the main line (dBm, dBFS, interface names, paths, seconds), one per line,
    /// shown on request.
    pub details: Vec<String>,
    pub advice: String,
    pub sources: Vec<SourceRef>,
    pub facts: serde_json::Value,
    /// Why the status is `unknown`, for programs; the detail says it for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ProbeError>,
    pub elapsed_ms: u64,
    /// A few words naming the problem for the verdict ("geen microfoon"); `None` for items that
    /// pass or have no short wording.
    #[serde(skip)]
    pub short: Option<String>,
    /// What the organisation decided about this item (required; an app approved or forbidden),
    /// so the window and `klaar check` can say which parts come from the organisation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub organisation: Vec<Decided>,
    /// The person marked this item as not applicable: shown as `info`, no part of the verdict.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_applicable: bool,
    /// `organisation` and `not_applicable` in the person's words ("Verplicht gesteld door je
    /// organisatie"), for the window and the terminal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tailoring: Vec<String>,
}

/// The verdict in words, naming what blocks: "Nog niet klaar: Zoom is open · geen microfoon".
/// `lead` comes first, then each blocker (a link to its item in the window), then `tail`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictLine {
    pub verdict: Verdict,
    pub lead: String,
    pub blockers: Vec<Blocker>,
    /// "vink nog 3 punten af", when tick items remain beside the blockers.
    pub tail: Option<String>,
    /// The whole line as plain text, for the terminal and the tray.
    pub text: String,
}

/// One item that holds the verdict back, in a few words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub id: String,
    pub label: String,
}

impl ItemReport {
    /// Whether this item counts for the verdict before the call: every checked item, and the
    /// tick items of the time before it (those during and after cannot be done yet).
    pub fn holds_the_verdict(&self) -> bool {
        self.phase == Phase::Before || self.kind != ItemKind::Manual
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub verdict: Verdict,
    /// The profile in force (`onderwijs`, `zorg`).
    pub profile: Profile,
    /// The organisation's policy file in force and what is wrong in it; `None` without one.
    /// Filled in by the caller, which read the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyNote>,
    pub elapsed_ms: u64,
    pub items: Vec<ItemReport>,
}

/// Which policy file a report followed, for an IT department reading reports of many laptops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyNote {
    pub file: String,
    /// Each problem as "line:column: what is wrong" (without a place when the file could not be
    /// read at all), in the report's language.
    pub problems: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        use Status::*;
        assert_eq!(Verdict::of(&[Pass, Info]), Verdict::Ready);
        assert_eq!(Verdict::of(&[Pass, Manual]), Verdict::Attention);
        assert_eq!(Verdict::of(&[Pass, Unknown]), Verdict::Attention);
        assert_eq!(Verdict::of(&[Warn, Pass]), Verdict::Attention);
        assert_eq!(Verdict::of(&[Fail, Warn]), Verdict::NotReady);
        assert_eq!(Verdict::of(&[Warn, Fail, Pass]), Verdict::NotReady);
        assert_eq!(Verdict::of(&[]), Verdict::Ready);
    }
}
