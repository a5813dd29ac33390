//! Fetching over https from the loopback server: a good calendar, and each way it goes wrong
//! on real machines (an untrusted certificate, a reset address, an HTML page, a cut-off body).

use klaar_calendars::test_server::{self as server, ok, status};
use klaar_calendars::{Address, FetchProblem, Fetcher};
use klaar_meetings::ProblemKind;

pub const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1@test\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T100000Z\r\nSUMMARY:Teamoverleg\r\nLOCATION:https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc/0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_calendar_is_fetched_and_webcal_means_https() {
    let server = server::start();
    server.answer("/private-abc/basic.ics", ok(CALENDAR));
    let fetcher = Fetcher::trusting(&[&server.cert_pem]);
    let webcal = server
        .url("/private-abc/basic.ics")
        .replace("https://", "webcal://");
    let text = runtime()
        .block_on(fetcher.fetch(&Address::parse(&webcal).unwrap()))
        .unwrap();
    assert!(text.contains("SUMMARY:Teamoverleg"));
    assert!(server.requests.lock().unwrap()[0].starts_with("GET /private-abc/basic.ics"));
}

#[test]
fn each_failure_has_its_own_reason() {
    let server = server::start();
    server.answer("/reset.ics", status(401));
    server.answer("/forbidden.ics", status(403));
    server.answer("/gone.ics", status(404));
    server.answer("/broken.ics", status(500));
    server.answer(
        "/page.ics",
        ok("<!DOCTYPE html><!-- Copyright (C) Microsoft Corporation --><html>Sign in</html>"),
    );
    server.answer("/cut.ics", ok(&CALENDAR[..CALENDAR.len() / 2]));
    let fetcher = Fetcher::trusting(&[&server.cert_pem]);
    let rt = runtime();
    let fetch = |path: &str| {
        rt.block_on(fetcher.fetch(&Address::parse(&server.url(path)).unwrap()))
            .unwrap_err()
    };
    assert_eq!(fetch("/reset.ics"), FetchProblem::Refused { status: 401 });
    assert_eq!(
        fetch("/forbidden.ics"),
        FetchProblem::Refused { status: 403 }
    );
    assert_eq!(fetch("/gone.ics"), FetchProblem::NotFound { status: 404 });
    assert_eq!(fetch("/broken.ics"), FetchProblem::Status { status: 500 });
    match fetch("/page.ics") {
        FetchProblem::Calendar(c) => assert_eq!(c.kind, ProblemKind::NotACalendar),
        other => panic!("an HTML page read as {other:?}"),
    }
    match fetch("/cut.ics") {
        FetchProblem::Calendar(c) => assert_eq!(c.kind, ProblemKind::Truncated),
        other => panic!("a cut-off calendar read as {other:?}"),
    }
}

#[test]
fn an_untrusted_certificate_is_a_tls_problem_and_a_closed_port_unreachable() {
    let server = server::start();
    server.answer("/a.ics", ok(CALENDAR));
    let rt = runtime();
    // The system's store does not hold the test's own certificate.
    let untrusted = rt
        .block_on(Fetcher::new().fetch(&Address::parse(&server.url("/a.ics")).unwrap()))
        .unwrap_err();
    assert_eq!(untrusted, FetchProblem::Tls);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = rt
        .block_on(
            Fetcher::trusting(&[&server.cert_pem])
                .fetch(&Address::parse(&format!("https://localhost:{port}/a.ics")).unwrap()),
        )
        .unwrap_err();
    assert_eq!(refused, FetchProblem::Unreachable);
}

/// A calendar of 20 MB (years of a busy shared calendar, 60 000 events) arrives whole, parses,
/// and gives the week asked for.
#[test]
fn a_20_mb_calendar_is_fetched_and_read() {
    let mut text = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
    let mut i = 0;
    while text.len() < 20 * 1024 * 1024 {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        text.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:e{i}@test\r\nDTSTART:2026{month:02}{day:02}T{:02}0000Z\r\n\
             DURATION:PT30M\r\nSUMMARY:Afspraak {i} met een wat langere titel zoals echte agenda's\r\n\
             DESCRIPTION:{}\r\nLOCATION:https://teams.microsoft.com/l/meetup-join/19%3a{i}/0\r\n\
             END:VEVENT\r\n",
            7 + i % 10,
            "Toelichting bij de afspraak. ".repeat(8)
        ));
        i += 1;
    }
    text.push_str("END:VCALENDAR\r\n");
    let server = server::start();
    server.answer("/big.ics", ok(&text));
    let fetched = runtime()
        .block_on(
            Fetcher::trusting(&[&server.cert_pem])
                .fetch(&Address::parse(&server.url("/big.ics")).unwrap()),
        )
        .unwrap();
    assert_eq!(fetched.len(), text.len());
    let calendar = klaar_meetings::calendar::parse("big.ics", &fetched).unwrap();
    let from = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let week = calendar
        .occurrences(
            from,
            from + chrono::Duration::days(7),
            chrono_tz::Europe::Amsterdam,
        )
        .unwrap();
    assert!(week.len() > 100, "{}", week.len());
}
