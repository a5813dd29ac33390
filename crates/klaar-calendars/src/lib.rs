//! The person's calendars, as the window and `klaar agenda` read them: calendar files, and
//! secret addresses (Outlook / Microsoft 365, Google) fetched over https.
//!
//! - [`address`]: a secret address, shown only as host and last characters.
//! - [`secrets`]: kept in the Secret Service, else a file only the person can read.
//! - [`fetch`]: https with deadlines, a size limit and the reasons a fetch fails.
//! - [`cache`]: the last good copy and when it was refreshed, used when a refresh fails.
//! - [`adding`]: adding and removing a calendar, the same from the window and the command line.
//!
//! Nothing here decides about meetings; `klaar_meetings` parses what this crate reads.

pub mod adding;
pub mod address;
pub mod cache;
pub mod fetch;
mod private_file;
pub mod secrets;
#[cfg(feature = "test-server")]
pub mod test_server;

pub use address::{Address, AddressProblem};
pub use cache::{Cache, Refreshes};
pub use fetch::{FetchProblem, Fetcher};
pub use secrets::{Kept, SecretProblem, Secrets};

use chrono::{DateTime, Duration, Utc};
use klaar_checklist::Locale;
use klaar_meetings::{CalendarProblem, ProblemKind};
use std::path::Path;

/// How often the window fetches each address again (issue 10: every 15 minutes, and on waking).
pub const REFRESH_EVERY: Duration = Duration::minutes(15);

/// How soon an address is fetched again after it could not be reached: on waking the network
/// is often not back yet.
pub const RETRY_UNREACHABLE: Duration = Duration::minutes(1);

/// A calendar file larger than this is not read (the same limit as for a fetched one).
pub const MAX_FILE_BYTES: u64 = fetch::MAX_BYTES;

/// Why a calendar cannot be read now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A calendar file could not be read.
    Unreadable(FileTrouble),
    /// A calendar file or answer larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// The text is no calendar Klaar can read.
    Calendar(CalendarProblem),
    /// The text given is not an address Klaar fetches.
    Address(AddressProblem),
    /// The secret address could not be found or kept.
    Secret(SecretProblem),
    /// The address could not be fetched.
    Fetch(FetchProblem),
}

/// Why a file could not be read, in kinds the person's language has words for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileTrouble {
    NotFound,
    Denied,
    /// Something else (the system's message, in English: for the details only).
    Other(String),
}

impl From<std::io::Error> for FileTrouble {
    fn from(e: std::io::Error) -> FileTrouble {
        match e.kind() {
            std::io::ErrorKind::NotFound => FileTrouble::NotFound,
            std::io::ErrorKind::PermissionDenied => FileTrouble::Denied,
            _ => FileTrouble::Other(e.to_string()),
        }
    }
}

/// A calendar as read now: its text (fresh, or the last good copy), and what went wrong.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file name, or the address's label.
    pub name: String,
    /// The text to use; `None` when there is none at all.
    pub text: Option<String>,
    /// When the text was fetched (addresses only).
    pub refreshed: Option<DateTime<Utc>>,
    /// Why reading or refreshing failed; with `text` set, the last good copy is in use.
    pub problem: Option<Problem>,
}

/// The person's time zone, for the window and `klaar agenda` alike: `TZ` when it names a zone
/// (`Europe/Amsterdam`, also `:Europe/Amsterdam`), else the system's, else UTC.
pub fn user_zone() -> chrono_tz::Tz {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .and_then(|name| name.parse().ok())
        .or_else(|| iana_time_zone::get_timezone().ok()?.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

impl Loaded {
    /// A calendar file, read now and named by its file name.
    pub fn file(path: &Path) -> Loaded {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let (text, problem) = match read_file(path) {
            Ok(text) => (Some(text), None),
            Err(p) => (None, Some(p)),
        };
        Loaded {
            name,
            text,
            refreshed: None,
            problem,
        }
    }

    /// An added address whose secret cannot be looked for: there is no home folder.
    pub fn missing(label: &str) -> Loaded {
        Loaded {
            name: label.to_string(),
            text: None,
            refreshed: None,
            problem: Some(Problem::Secret(SecretProblem::Missing)),
        }
    }
}

/// Reads a calendar file; bytes that are no UTF-8 become `�` (the parser then names the line).
///
/// # Errors
/// [`Problem::Unreadable`] with what went wrong, or [`Problem::TooLarge`].
pub fn read_file(path: &Path) -> Result<String, Problem> {
    let unreadable = |e: std::io::Error| Problem::Unreadable(e.into());
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Problem::TooLarge);
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The places an address's secret and copy live, and the client that fetches it.
#[derive(Debug, Clone)]
pub struct Places {
    pub secrets: Secrets,
    pub cache: Cache,
    pub fetcher: Fetcher,
}

impl Places {
    /// The usual places (see [`Secrets::default_place`], [`Cache::default_place`]); `None`
    /// without a home folder.
    pub fn usual() -> Option<Places> {
        Some(Places {
            secrets: Secrets::default_place()?,
            cache: Cache::default_place()?,
            fetcher: Fetcher::new(),
        })
    }

    /// True when the address under `label` is due a refresh at `now`: never tried, or tried
    /// [`REFRESH_EVERY`] ago or longer ([`RETRY_UNREACHABLE`] after it could not be reached), or
    /// in the future (the clock was set back).
    pub fn due(&self, label: &str, now: DateTime<Utc>) -> bool {
        let refreshes = self.cache.refreshes(label);
        // Unreachable or too slow (the network is not back yet after waking): again soon.
        let every = match refreshes.problem {
            Some(FetchProblem::Unreachable | FetchProblem::Timeout) => RETRY_UNREACHABLE,
            _ => REFRESH_EVERY,
        };
        refreshes.tried.is_none_or(|t| now - t >= every || t > now)
    }

    /// The calendar at the address kept under `label`: fetched now when `refresh`, kept as the
    /// good copy; else, or when fetching fails, the last good copy with the problem.
    pub async fn load(&self, label: &str, refresh: bool, now: DateTime<Utc>) -> Loaded {
        // The copy and what is known of it, each read once.
        let copy = |problem: Option<Problem>| {
            let refreshes = self.cache.refreshes(label);
            Loaded {
                name: label.to_string(),
                text: self.cache.copy(label),
                refreshed: refreshes.refreshed,
                problem: problem.or_else(|| refreshes.problem.map(Problem::Fetch)),
            }
        };
        if !refresh {
            let kept = copy(None);
            if kept.text.is_some() {
                return kept;
            }
        }
        let address = match self.secrets.find(label).await {
            Ok((address, _)) => address,
            Err(e) => return copy(Some(Problem::Secret(e))),
        };
        match self.fetcher.fetch(&address).await {
            Ok(text) => {
                // A cache that cannot be written costs only the copy for next time.
                let _ = self.cache.keep(label, &text, now);
                Loaded {
                    name: label.to_string(),
                    text: Some(text),
                    refreshed: Some(now),
                    problem: None,
                }
            }
            Err(problem) => {
                let _ = self.cache.failed(label, &problem, now);
                copy(Some(Problem::Fetch(problem)))
            }
        }
    }
}

/// Klaar's words for a problem, in the person's language; never holds a secret address.
pub fn explain(problem: &Problem, locale: &Locale) -> String {
    match problem {
        Problem::Unreadable(FileTrouble::NotFound) => locale.get("agenda.file_not_found"),
        Problem::Unreadable(FileTrouble::Denied) => locale.get("agenda.file_denied"),
        Problem::Unreadable(FileTrouble::Other(_)) => locale.get("agenda.unreadable"),
        Problem::TooLarge | Problem::Fetch(FetchProblem::TooLarge) => locale.fill(
            "agenda.too_large",
            &[("mb", (MAX_FILE_BYTES / 1024 / 1024).to_string())],
        ),
        Problem::Calendar(c) | Problem::Fetch(FetchProblem::Calendar(c)) => {
            explain_calendar(c, locale)
        }
        Problem::Address(a) => locale.get(a.locale_key()),
        Problem::Secret(s) => locale.get(s.locale_key()),
        Problem::Fetch(
            f @ (FetchProblem::Refused { status }
            | FetchProblem::NotFound { status }
            | FetchProblem::Status { status }),
        ) => locale.fill(f.locale_key(), &[("status", status.to_string())]),
        Problem::Fetch(f) => locale.get(f.locale_key()),
    }
}

/// Klaar's words for a calendar that does not parse, with its line where there is one.
pub fn explain_calendar(problem: &CalendarProblem, locale: &Locale) -> String {
    match (&problem.kind, problem.line) {
        (ProblemKind::NotACalendar, _) => locale.get("agenda.not_a_calendar"),
        (ProblemKind::Truncated, _) => locale.get("agenda.truncated"),
        (ProblemKind::BadLine, Some(line)) => {
            locale.fill("agenda.bad_line", &[("line", line.to_string())])
        }
        (ProblemKind::BadLine, None) => locale.get("agenda.bad_line_somewhere"),
        (ProblemKind::TooManyOccurrences, _) => locale.get("agenda.too_many"),
    }
}
