use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where `/sys` and `/proc` are read from: `/` on a live machine, or a captured tree named by the
/// environment variable `KLAAR_ROOT`. A replayed root also means: the routing state and the
/// camera nodes' capabilities come from its files (`klaar/*.json`, else `proc/net/route`), never
/// from the running kernel or the devices, and every [answer](Root::ask) comes from
/// `klaar/answers.json`.
#[derive(Debug, Clone)]
pub struct Root {
    path: PathBuf,
    replay: bool,
    /// While capturing: every answer a probe got from a live source, by question.
    recorder: Option<Arc<Mutex<Answers>>>,
    /// The host the `connection` probe measures, chosen by the caller; `None`: none known.
    target: Option<klaar_facts::ConnectionTarget>,
}

/// Recorded answers by question, as `klaar/answers.json` holds them.
pub type Answers = BTreeMap<String, Recorded>;

/// One recorded answer: the value, or why there was none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recorded {
    Value(Value),
    Unanswered(Unanswered),
}

/// Why a source that is not a file gave no answer. A probe turns it into a
/// [`klaar_facts::ProbeError`] or into "cannot tell" in its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Unanswered {
    /// The bus, the service or the program is not there (NetworkManager not running, no
    /// session bus, `zfs` not installed).
    #[error("not there")]
    Absent,
    /// The service is there but has no such object, interface, property or method.
    #[error("no such object or property")]
    Missing,
    /// The service refused to answer this user.
    #[error("refused")]
    Denied,
    /// No answer within the question's deadline.
    #[error("no answer in time")]
    Timeout,
    /// An answer of the wrong shape, or another failure.
    #[error("an unexpected answer")]
    Failed,
    /// A replayed tree holds no answer to this question (captured before it was asked).
    #[error("not in the capture")]
    NotRecorded,
}

impl Unanswered {
    /// A fixed identifier (`absent`, `missing`, `denied`, `timeout`, `failed`, `not_recorded`):
    /// the engine words it in the user's language; no message text crosses.
    pub fn code(self) -> &'static str {
        match self {
            Unanswered::Absent => "absent",
            Unanswered::Missing => "missing",
            Unanswered::Denied => "denied",
            Unanswered::Timeout => "timeout",
            Unanswered::Failed => "failed",
            Unanswered::NotRecorded => "not_recorded",
        }
    }

    /// The probe error for a question to `service` (a name such as "NetworkManager", never a
    /// path) that got no usable answer: not there (or not in the capture) is
    /// [`ProbeError::Unavailable`], refused is [`ProbeError::Denied`], anything else
    /// [`ProbeError::Unreadable`] with [`Unanswered::code`] as its reason.
    pub fn probe_error(self, service: &str) -> klaar_facts::ProbeError {
        use klaar_facts::ProbeError;
        match self {
            Unanswered::Absent | Unanswered::NotRecorded => ProbeError::Unavailable {
                what: service.into(),
            },
            Unanswered::Denied => ProbeError::Denied {
                path: service.into(),
            },
            Unanswered::Missing | Unanswered::Timeout | Unanswered::Failed => {
                ProbeError::Unreadable {
                    path: service.into(),
                    reason: self.code().into(),
                }
            }
        }
    }
}

/// A question's answer: a JSON value (D-Bus values are converted: numbers, strings, object
/// paths as strings, arrays, dictionaries as objects, structures as arrays).
pub type Answer = Result<Value, Unanswered>;

impl PartialEq for Root {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.replay == other.replay
    }
}

impl Eq for Root {}

impl Root {
    pub const ENV: &'static str = "KLAAR_ROOT";

    /// Where a replayed tree keeps the answers of sources that are not files.
    pub const ANSWERS: &'static str = "klaar/answers.json";

    /// The live machine.
    pub fn live() -> Self {
        Root {
            path: PathBuf::from("/"),
            replay: false,
            recorder: None,
            target: None,
        }
    }

    /// A captured tree.
    pub fn replay(path: impl Into<PathBuf>) -> Self {
        Root {
            path: path.into(),
            replay: true,
            recorder: None,
            target: None,
        }
    }

    /// `KLAAR_ROOT` when set and not empty, else the live machine.
    pub fn from_env() -> Self {
        match std::env::var_os(Self::ENV) {
            Some(p) if !p.is_empty() => Root::replay(p),
            _ => Root::live(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_replay(&self) -> bool {
        self.replay
    }

    /// `rel` is relative, like `sys/class/net`.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.path.join(rel)
    }

    /// The same root, with the host the `connection` probe is to measure (the caller chooses
    /// it: the organisation's host, the next meeting's, the running call app's). A replayed
    /// root ignores it and answers with the host its capture measured.
    pub fn with_target(&self, target: Option<klaar_facts::ConnectionTarget>) -> Root {
        Root {
            target,
            ..self.clone()
        }
    }

    /// The host given with [`Root::with_target`].
    pub fn target(&self) -> Option<&klaar_facts::ConnectionTarget> {
        self.target.as_ref()
    }

    /// The same root, remembering every answer from now on (for `klaar debug capture`).
    pub fn recording(&self) -> Root {
        Root {
            recorder: Some(Arc::default()),
            ..self.clone()
        }
    }

    /// The answers remembered since [`Root::recording`] (none for a root that does not record).
    pub fn recorded(&self) -> Answers {
        self.recorder
            .as_ref()
            .map(|r| r.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }

    /// Asks a source that is not a file. `question` names it exactly (a D-Bus property as
    /// `system SERVICE PATH INTERFACE.Property`); `live` asks it on this machine. A replayed
    /// root answers from its `klaar/answers.json` instead (`NotRecorded` when the capture does
    /// not hold the question; an unreadable file counts as holding nothing). `live` should
    /// return only what the probe needs, so a capture keeps nothing else (no network names).
    pub fn ask(&self, question: &str, live: impl FnOnce() -> Answer) -> Answer {
        if self.replay {
            return match read_answers(&self.join(Self::ANSWERS)).remove(question) {
                Some(Recorded::Value(v)) => Ok(v),
                Some(Recorded::Unanswered(u)) => Err(u),
                None => Err(Unanswered::NotRecorded),
            };
        }
        let answer = live();
        if let Some(recorder) = &self.recorder {
            let recorded = match &answer {
                Ok(v) => Recorded::Value(v.clone()),
                Err(u) => Recorded::Unanswered(*u),
            };
            recorder
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(question.to_string(), recorded);
        }
        answer
    }
}

/// The answers in a captured tree's `klaar/answers.json`; none when it is missing or broken.
pub fn read_answers(path: &Path) -> Answers {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_root_replays_the_same_answers() {
        let live = Root::live().recording();
        assert_eq!(live.ask("a", || Ok(Value::from(4))), Ok(Value::from(4)));
        assert_eq!(
            live.ask("b", || Err(Unanswered::Absent)),
            Err(Unanswered::Absent)
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("klaar")).unwrap();
        std::fs::write(
            dir.path().join(Root::ANSWERS),
            serde_json::to_vec(&live.recorded()).unwrap(),
        )
        .unwrap();
        let replay = Root::replay(dir.path());
        let never = || -> Answer { panic!("a replay asks no live source") };
        assert_eq!(replay.ask("a", never), Ok(Value::from(4)));
        assert_eq!(replay.ask("b", never), Err(Unanswered::Absent));
        assert_eq!(replay.ask("c", never), Err(Unanswered::NotRecorded));
    }
}
