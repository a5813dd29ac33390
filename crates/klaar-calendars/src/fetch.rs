//! Fetching a calendar from its secret address over https, with deadlines and a size limit,
//! and telling apart why it failed: unreachable, too slow, a certificate problem, the address
//! refused (401/403) or gone (404/410), or an answer that is not a calendar (Microsoft sometimes
//! answers with an HTML page, or a body cut off).
//!
//! TLS is the system's (OpenSSL through native-tls), with the system's certificate store, so a
//! certificate authority the school or care organisation installed is trusted as in the browser.

use crate::address::Address;
use klaar_meetings::CalendarProblem;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long connecting may take (DNS, TCP and the TLS handshake).
pub const CONNECT_DEADLINE: Duration = Duration::from_secs(10);

/// How long the whole fetch may take. A large Outlook calendar (a few MB) arrives in seconds.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// A calendar larger than this is not read: real ones hold years of events in a few MB.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// How many redirects are followed (all to https).
pub const MAX_REDIRECTS: usize = 5;

/// Why a calendar could not be fetched or used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FetchProblem {
    /// No connection: no network, the name does not resolve, the server does not answer.
    #[error("unreachable")]
    Unreachable,
    /// No complete answer within [`DEADLINE`].
    #[error("timed out")]
    Timeout,
    /// The server's certificate is not trusted or the TLS handshake failed.
    #[error("certificate or TLS problem")]
    Tls,
    /// 401 or 403: the address is no longer valid (reset, or publishing switched off).
    #[error("refused with HTTP {status}")]
    Refused { status: u16 },
    /// 404 or 410: no calendar at this address (any more).
    #[error("not found, HTTP {status}")]
    NotFound { status: u16 },
    /// Another status that is not success.
    #[error("HTTP {status}")]
    Status { status: u16 },
    /// A redirect to a plain http:// address, or too many redirects.
    #[error("bad redirect")]
    Redirect,
    /// Larger than [`MAX_BYTES`].
    #[error("larger than the limit")]
    TooLarge,
    /// The answer is not a calendar Klaar can read (its kind and line).
    #[error("not a usable calendar")]
    Calendar(CalendarProblem),
}

impl FetchProblem {
    /// The locale key of Klaar's words for it; for [`FetchProblem::Calendar`] the caller uses
    /// the calendar problem's own words.
    pub fn locale_key(&self) -> &'static str {
        match self {
            FetchProblem::Unreachable => "agenda.fetch_unreachable",
            FetchProblem::Timeout => "agenda.fetch_timeout",
            FetchProblem::Tls => "agenda.fetch_tls",
            FetchProblem::Refused { .. } => "agenda.fetch_refused",
            FetchProblem::NotFound { .. } => "agenda.fetch_not_found",
            FetchProblem::Status { .. } => "agenda.fetch_status",
            FetchProblem::Redirect => "agenda.fetch_redirect",
            FetchProblem::TooLarge => "agenda.too_large",
            FetchProblem::Calendar(_) => "agenda.not_a_calendar",
        }
    }
}

/// An https client made once and used for every calendar.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    /// A client that trusts the system's certificate store.
    pub fn new() -> Fetcher {
        Fetcher::build(Vec::new())
    }

    /// A client that also trusts these PEM certificates (tests: a loopback server's own).
    ///
    /// # Panics
    /// When a certificate is not PEM (a test's mistake).
    pub fn trusting(pems: &[&[u8]]) -> Fetcher {
        Fetcher::build(
            pems.iter()
                .map(|p| reqwest::Certificate::from_pem(p).expect("a PEM certificate"))
                .collect(),
        )
    }

    fn build(roots: Vec<reqwest::Certificate>) -> Fetcher {
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.url().scheme() != "https" || attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(BadRedirect)
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_DEADLINE)
            .timeout(DEADLINE)
            .redirect(redirects)
            .user_agent(concat!("Klaar/", env!("CARGO_PKG_VERSION")))
            .tls_certs_merge(roots)
            .build()
            .expect("the TLS backend starts");
        Fetcher { client }
    }

    /// The calendar's text at `address`, checked to parse as a calendar (so an HTML page or a
    /// cut-off body never replaces a good copy). Bytes that are no UTF-8 become `�`.
    ///
    /// # Errors
    /// [`FetchProblem`]: why it could not be fetched or used.
    pub async fn fetch(&self, address: &Address) -> Result<String, FetchProblem> {
        let mut response = self
            .client
            .get(address.expose().clone())
            .send()
            .await
            .map_err(classify)?;
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            401 | 403 => return Err(FetchProblem::Refused { status }),
            404 | 410 => return Err(FetchProblem::NotFound { status }),
            _ => return Err(FetchProblem::Status { status }),
        }
        if response.content_length().is_some_and(|l| l > MAX_BYTES) {
            return Err(FetchProblem::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() as u64 + chunk.len() as u64 > MAX_BYTES {
                return Err(FetchProblem::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        // Parsing a large calendar takes a while: not on the runtime's own threads.
        let host = address.host();
        tokio::task::spawn_blocking(move || {
            let text = String::from_utf8_lossy(&body).into_owned();
            klaar_meetings::calendar::parse(&host, &text).map_err(FetchProblem::Calendar)?;
            Ok(text)
        })
        .await
        .unwrap_or(Err(FetchProblem::Unreachable))
    }
}

impl Default for Fetcher {
    fn default() -> Self {
        Fetcher::new()
    }
}

#[derive(Debug)]
struct BadRedirect;

impl std::fmt::Display for BadRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redirect to a non-https address or too many redirects")
    }
}

impl std::error::Error for BadRedirect {}

/// Sorts reqwest's error by its type and the types in its source chain (never by its text,
/// which also holds the secret address).
fn classify(e: reqwest::Error) -> FetchProblem {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if s.is::<native_tls::Error>() {
            return FetchProblem::Tls;
        }
        if s.is::<BadRedirect>() {
            return FetchProblem::Redirect;
        }
        source = s.source();
    }
    if e.is_timeout() {
        FetchProblem::Timeout
    } else if e.is_redirect() {
        FetchProblem::Redirect
    } else {
        FetchProblem::Unreachable
    }
}
