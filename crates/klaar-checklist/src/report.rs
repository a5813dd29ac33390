//! The report: one entry per item, and the verdict over all of them.

use crate::catalogue::{ItemKind, Phase, SourceRef};
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
                .filter(|i| i.phase == Phase::Before || i.kind != ItemKind::Manual)
                .map(|i| &i.status),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemReport {
    pub id: String,
    pub phase: Phase,
    pub kind: ItemKind,
    pub status: Status,
    pub title: String,
    pub detail: String,
    pub advice: String,
    pub sources: Vec<SourceRef>,
    pub facts: serde_json::Value,
    /// Why the status is `unknown`, for programs; the detail says it for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ProbeError>,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: u32,
    pub verdict: Verdict,
    pub elapsed_ms: u64,
    pub items: Vec<ItemReport>,
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
