//! How long a round trip to the meeting service takes, from a few TCP handshakes: the time
//! from `connect()` to its answer is one trip (SYN out, SYN-ACK or a refusal back). No data is
//! sent and no TLS is spoken, so the service learns nothing but that a connection opened and
//! closed. This is the one probe that sends packets (and a name lookup): only to the host the
//! caller chose ([`Root::with_target`]), never on its own.
//!
//! Budget: the name lookup waits at most [`LOOKUP_TIMEOUT`]; then up to [`SAMPLES`] handshakes,
//! one after the other, within [`SAMPLING_BUDGET`], each waiting at most [`CONNECT_TIMEOUT`].
//! Through a VPN or a proxy the trip measured is the tunnel's path, as a call would take it.
//! Cross-platform: only the standard library.

use crate::root::{Answer, Unanswered};
use crate::Root;
use klaar_facts::{ConnectFailure, ConnectionFacts, ConnectionTarget, ProbeError};
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Handshakes taken: five give a median and four steps of variation.
pub const SAMPLES: usize = 5;
/// How long the name lookup may take (a hung resolver must not hold the check).
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(1);
/// All handshakes together; fewer samples are taken on a slow link.
pub const SAMPLING_BUDGET: Duration = Duration::from_secs(2);
/// One handshake: far beyond the 500 ms that counts as bad, so a slow answer is still measured.
pub const CONNECT_TIMEOUT: Duration = Duration::from_millis(1500);

/// The question under which a capture records the chosen host.
const TARGET_QUESTION: &str = "connection target";

pub fn probe(root: &Root) -> Result<ConnectionFacts, ProbeError> {
    let target: Option<ConnectionTarget> = match root.ask(TARGET_QUESTION, || {
        root.target()
            .map(|t| serde_json::to_value(t).unwrap_or(Value::Null))
            .ok_or(Unanswered::Absent)
    }) {
        Ok(value) => serde_json::from_value(value).ok(),
        Err(_) => None,
    };
    let Some(target) = target else {
        return Ok(ConnectionFacts::default());
    };
    let question = format!("connection {}:{}", target.host, target.port);
    let answer = root.ask(&question, || measure(&target.host, target.port));
    let facts = |samples_ms: Vec<f64>, failure| ConnectionFacts {
        target: Some(target.clone()),
        samples_ms,
        failure,
    };
    match answer {
        Ok(value) => {
            let samples: Vec<f64> = value["samples_ms"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            let failure = match value["failure"].as_str() {
                Some("not_found") => Some(ConnectFailure::NotFound),
                Some("refused") => Some(ConnectFailure::Refused),
                Some(_) => Some(ConnectFailure::Unreachable),
                None if samples.is_empty() => Some(ConnectFailure::Unreachable),
                None => None,
            };
            Ok(facts(samples, failure))
        }
        // A capture made without this host measured.
        Err(Unanswered::NotRecorded) => Err(ProbeError::Unavailable {
            what: question.trim_start_matches("connection ").to_string(),
        }),
        Err(other) => Err(other.probe_error(&target.host)),
    }
}

/// Looks the host up, then times handshakes: `{"samples_ms": [..]}`, or with no sample
/// `{"failure": "not_found" | "refused" | "unreachable", "samples_ms": []}`.
///
/// Only completed handshakes count. A refusal is not timed: a firewall's reject (an ICMP
/// "port unreachable", a forged reset) comes back from anywhere on the way, often at once, so
/// a network that blocks the service would look fast. The resolved addresses are tried in
/// turn until one answers (an IPv6 address without a working IPv6 route fails, and IPv4 may
/// work), and the samples then go to that one.
fn measure(host: &str, port: u16) -> Answer {
    let failed = |why: &str| Ok(json!({ "failure": why, "samples_ms": [] }));
    let addresses = lookup(host, port);
    if addresses.is_empty() {
        return failed("not_found");
    }
    let started = Instant::now();
    let mut chosen: Option<SocketAddr> = None;
    let mut refused = false;
    let mut samples = Vec::new();
    let mut attempts = 0;
    while samples.len() < SAMPLES && attempts < SAMPLES + addresses.len() {
        attempts += 1;
        let left = SAMPLING_BUDGET.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        // Until one answers, each address once; then only that one.
        let address = match chosen {
            Some(address) => address,
            None => match addresses.get(attempts - 1) {
                Some(address) => *address,
                None => break,
            },
        };
        let before = Instant::now();
        let outcome = TcpStream::connect_timeout(&address, left.min(CONNECT_TIMEOUT));
        let took = before.elapsed();
        match outcome {
            Ok(_) => {
                chosen = Some(address);
                samples.push(took);
            }
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => refused = true,
            Err(_) => {}
        }
    }
    if samples.is_empty() {
        return failed(if refused { "refused" } else { "unreachable" });
    }
    let ms: Vec<f64> = samples
        .iter()
        .map(|d| (d.as_secs_f64() * 10_000.0).round() / 10.0)
        .collect();
    Ok(json!({ "samples_ms": ms }))
}

/// The addresses the system's resolver gives, in its order (RFC 6724), without repeats, within
/// [`LOOKUP_TIMEOUT`] (the lookup runs on a thread of its own, left behind if it hangs); none
/// when the name does not resolve in time.
fn lookup(host: &str, port: u16) -> Vec<SocketAddr> {
    let (tx, rx) = std::sync::mpsc::channel();
    let name = host.to_string();
    std::thread::spawn(move || {
        let mut all: Vec<SocketAddr> = (name.as_str(), port)
            .to_socket_addrs()
            .map(Iterator::collect)
            .unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        all.retain(|a| seen.insert(*a));
        let _ = tx.send(all);
    });
    rx.recv_timeout(LOOKUP_TIMEOUT).unwrap_or_default()
}

/// This probe in the registry (`crate::registry`).
pub const PROBE: crate::registry::ProbeDef = crate::registry::ProbeDef {
    id: klaar_facts::ProbeId::Connection,
    run: |root| probe(root).map(klaar_facts::Facts::Connection),
    #[cfg(target_os = "linux")]
    capture: Some(|w, from, _| w.answers(from, probe)),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_host_nothing_is_contacted() {
        let facts = probe(&Root::live()).unwrap();
        assert_eq!(facts, ConnectionFacts::default());
    }

    #[test]
    fn only_completed_handshakes_count_and_a_refusal_is_said() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = listener.local_addr().unwrap().port();
        let answer = measure("127.0.0.1", open).unwrap();
        assert_eq!(answer["samples_ms"].as_array().unwrap().len(), SAMPLES);
        // A port nobody listens on: the kernel answers at once with a reset, as a firewall's
        // reject would. That is no round trip to the service.
        drop(listener);
        let answer = measure("127.0.0.1", open).unwrap();
        assert_eq!(answer["failure"], "refused", "{answer}");
        assert!(answer["samples_ms"].as_array().unwrap().is_empty());
    }
}
