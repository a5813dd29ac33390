//! Calendars as Outlook and Google publish them (made for these tests from the published forms),
//! expanded over a window and listed as `klaar agenda` lists them.

use chrono::{DateTime, Utc};
use klaar_checklist::Catalogue;
use klaar_meetings::agenda::{self, Options};
use klaar_meetings::{calendar, online, ProblemKind, When};

fn file(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/calendars")
            .join(name),
    )
    .unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

const AMSTERDAM: chrono_tz::Tz = chrono_tz::Europe::Amsterdam;

/// `klaar agenda` over `name` between `from` and `to`, in Amsterdam.
fn listing(name: &str, from: &str, to: &str, all: bool) -> klaar_meetings::Agenda {
    let cal = calendar::parse(name, &file(name)).unwrap();
    let apps = Catalogue::builtin().apps;
    let services = online::builtin();
    agenda::list(
        &[cal],
        &Options {
            from: at(from),
            to: at(to),
            zone: AMSTERDAM,
            all,
            remind_minutes: 5,
            apps: &apps,
            services: &services,
        },
        Vec::new(),
        |p| format!("{p:?}"),
    )
}

fn starts(agenda: &klaar_meetings::Agenda) -> Vec<(String, String)> {
    agenda
        .events
        .iter()
        .map(|e| (e.start.to_text(), e.summary.clone()))
        .collect()
}

#[test]
fn an_outlook_series_in_a_windows_zone_keeps_its_hour_across_the_dst_change() {
    let agenda = listing(
        "outlook-weekly.ics",
        "2026-03-15T00:00:00+01:00",
        "2026-04-21T00:00:00+02:00",
        true,
    );
    assert_eq!(
        starts(&agenda),
        [
            ("2026-03-16T10:00:00+01:00", "Teamoverleg"),
            ("2026-03-17T14:00:00+01:00", "Intervisie"),
            ("2026-03-20", "Studiedag"),
            // 23 March is an EXDATE; DST starts 29 March; 30 March moved to the 31st;
            // 13 April is cancelled.
            ("2026-03-31T14:00:00+02:00", "Teamoverleg (verplaatst)"),
            ("2026-04-06T10:00:00+02:00", "Teamoverleg"),
            ("2026-04-20T10:00:00+02:00", "Teamoverleg"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The moved occurrence keeps the series' Teams link; the reminder is 5 minutes before.
    let moved = &agenda.events[3];
    assert_eq!(moved.online.as_ref().unwrap().service, "teams");
    assert_eq!(
        moved.remind_at.as_deref(),
        Some("2026-03-31T13:55:00+02:00")
    );
    assert_eq!(
        serde_json::to_value(moved.avg).unwrap(),
        serde_json::json!("yes")
    );
    // An all-day event: days, no reminder, no meeting.
    let day = &agenda.events[2];
    assert!(day.all_day);
    assert_eq!(day.end, When::Date("2026-03-21".parse().unwrap()));
    assert_eq!(day.remind_at, None);
    assert_eq!(day.avg, None);
}

#[test]
fn a_zoom_link_behind_outlooks_safelinks_is_found_and_rated() {
    let agenda = listing(
        "outlook-weekly.ics",
        "2026-03-17T00:00:00+01:00",
        "2026-03-18T00:00:00+01:00",
        false,
    );
    assert_eq!(agenda.events.len(), 1, "{:?}", starts(&agenda));
    let zoom = &agenda.events[0];
    let online = zoom.online.as_ref().unwrap();
    assert_eq!(online.service, "zoom");
    assert_eq!(online.url, "https://us02web.zoom.us/j/81234567890?pwd=abc");
    assert_eq!(
        serde_json::to_value(zoom.avg).unwrap(),
        serde_json::json!("no"),
        "the seed table: Zoom (free) is not AVG-proof"
    );
}

#[test]
fn a_cancelled_meeting_is_not_listed_and_only_online_meetings_without_all() {
    let agenda = listing(
        "outlook-weekly.ics",
        "2026-03-18T00:00:00+01:00",
        "2026-03-21T00:00:00+01:00",
        false,
    );
    assert!(
        agenda.events.is_empty(),
        "the cancelled Meet and the all-day study day: {:?}",
        starts(&agenda)
    );
}

#[test]
fn a_google_daily_series_from_years_ago_a_duration_a_floating_time_and_until_in_utc() {
    let agenda = listing(
        "google.ics",
        "2026-12-01T00:00:00+01:00",
        "2026-12-11T00:00:00+01:00",
        true,
    );
    let list = starts(&agenda);
    let dagstarts = list.iter().filter(|(_, s)| s == "Dagstart").count();
    assert_eq!(dagstarts, 10, "every day at 08:30 since 2016: {list:?}");
    assert!(list.contains(&("2026-12-01T08:30:00+01:00".into(), "Dagstart".into())));
    let parents = agenda
        .events
        .iter()
        .find(|e| e.summary == "Oudergesprek")
        .unwrap();
    assert_eq!(parents.start.to_text(), "2026-12-01T15:00:00+01:00");
    assert_eq!(
        parents.end.to_text(),
        "2026-12-01T15:45:00+01:00",
        "DURATION"
    );
    assert_eq!(parents.online.as_ref().unwrap().service, "whereby");
    assert_eq!(
        serde_json::to_value(parents.avg).unwrap(),
        serde_json::json!("unknown"),
        "a service the seed table does not rate"
    );
    // Floating: wall time wherever the user is; no DTEND: it takes no time.
    let coffee = agenda
        .events
        .iter()
        .find(|e| e.summary == "Koffie")
        .unwrap();
    assert_eq!(coffee.start.to_text(), "2026-12-02T09:00:00+01:00");
    assert_eq!(coffee.end, coffee.start);
    // UNTIL 10 December 09:00 UTC is 10:00 in Amsterdam: the 10th still counts.
    let webinars: Vec<_> = list.iter().filter(|(_, s)| s == "Webinar").collect();
    assert_eq!(webinars.len(), 2, "{list:?}");
    let meet = agenda
        .events
        .iter()
        .find(|e| e.summary == "Dagstart")
        .unwrap();
    assert_eq!(
        meet.online.as_ref().unwrap().url,
        "https://meet.google.com/abc-mnop-xyz"
    );
}

#[test]
fn what_is_not_a_calendar_is_said_with_its_kind_and_line() {
    let html = "<!-- Copyright (C) Microsoft Corporation. All rights reserved. -->\n<html>";
    assert_eq!(
        calendar::parse("agenda.ics", html).unwrap_err().kind,
        ProblemKind::NotACalendar
    );
    let cut = &file("google.ics")[..900];
    assert_eq!(
        calendar::parse("google.ics", cut).unwrap_err().kind,
        ProblemKind::Truncated
    );
    assert!(calendar::parse("bom.ics", &format!("\u{feff}{}", file("google.ics"))).is_ok());
}

#[test]
fn an_unknown_zone_an_end_before_the_start_and_garbage_do_not_panic() {
    let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nSUMMARY:Ergens\n\
        DTSTART;TZID=Mitteleuropäische Zeit:20261201T100000\nDTEND;TZID=Mitteleuropäische Zeit:20261201T090000\n\
        URL:https://meet.jit.si/klaar-test\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART:garbage\nEND:VEVENT\nEND:VCALENDAR\n";
    let cal = calendar::parse("raar.ics", text).unwrap();
    let found = cal
        .occurrences(
            at("2026-12-01T00:00:00Z"),
            at("2026-12-02T00:00:00Z"),
            AMSTERDAM,
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    // An unknown zone is read as the user's; an end before the start is no end.
    assert_eq!(found[0].start.to_text(), "2026-12-01T10:00:00+01:00");
    assert_eq!(found[0].end_at, found[0].start_at);
}

#[test]
fn ten_thousand_events_and_a_never_ending_series_per_minute_stay_bounded() {
    let mut text = String::from("BEGIN:VCALENDAR\nVERSION:2.0\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "BEGIN:VEVENT\nUID:e{i}\nSUMMARY:Les {i}\nDTSTART:2026{:02}{:02}T080000Z\nDURATION:PT1H\nEND:VEVENT\n",
            1 + i % 12,
            1 + i % 28
        ));
    }
    text.push_str("BEGIN:VEVENT\nUID:m\nSUMMARY:Elke minuut\nDTSTART:20000101T000000Z\nRRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n");
    let cal = calendar::parse("groot.ics", &text).unwrap();
    let outcome = cal.occurrences(
        at("2026-12-01T00:00:00Z"),
        at("2026-12-08T00:00:00Z"),
        AMSTERDAM,
    );
    // 27 years of minutes is far beyond what Klaar expands: said, not hung.
    assert_eq!(outcome.unwrap_err().kind, ProblemKind::TooManyOccurrences);
}

#[test]
fn the_meeting_patterns_compile_and_name_known_services() {
    let services = online::builtin();
    let find = |text: &str| {
        online::recognise(&services, &[("DESCRIPTION".into(), text.into())]).map(|(key, _)| key)
    };
    assert_eq!(
        find("Join: https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0")
            .as_deref(),
        Some("teams")
    );
    assert_eq!(
        find("https://teams.live.com/meet/9876543210?p=abc").as_deref(),
        Some("teams")
    );
    assert_eq!(
        find("https://meet.google.com/abc-defg-hij").as_deref(),
        Some("meet")
    );
    assert_eq!(
        find("https://school.zoom.us/j/123456?pwd=x").as_deref(),
        Some("zoom")
    );
    assert_eq!(
        find("https://meet.jit.si/OuderAvond").as_deref(),
        Some("jitsi")
    );
    assert_eq!(
        find("https://school.webex.com/school/j.php?MTID=m123").as_deref(),
        Some("webex")
    );
    assert_eq!(find("Lokaal 12, zie https://www.school.nl/rooster"), None);
    // Every service key either is an app of apps.toml or is rated "unknown" on purpose.
    let apps = Catalogue::builtin().apps;
    for s in &services {
        assert!(
            apps.iter().any(|a| a.key == s.key) || ["whereby", "goto"].contains(&s.key.as_str()),
            "{} is neither in apps.toml nor a known unrated service",
            s.key
        );
    }
}

#[test]
fn a_fortnightly_series_from_years_ago_keeps_its_weeks_and_its_exceptions() {
    let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:mr\nSUMMARY:MR-vergadering\n\
        DTSTART;TZID=Europe/Amsterdam:20190107T193000\nDTEND;TZID=Europe/Amsterdam:20190107T210000\n\
        RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO\nEXDATE;TZID=Europe/Amsterdam:20261228T193000\n\
        URL:https://meet.google.com/mrv-ergd-ring\nEND:VEVENT\nEND:VCALENDAR\n";
    let cal = calendar::parse("mr.ics", text).unwrap();
    let found = cal
        .occurrences(
            at("2026-12-01T00:00:00+01:00"),
            at("2027-01-12T00:00:00+01:00"),
            AMSTERDAM,
        )
        .unwrap();
    let starts: Vec<String> = found.iter().map(|o| o.start.to_text()).collect();
    // Every other Monday since 7 January 2019; 28 December is an exception.
    assert_eq!(
        starts,
        ["2026-12-14T19:30:00+01:00", "2027-01-11T19:30:00+01:00"]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// A calendar with lines dropped, doubled or cut, or bytes changed, never panics or hangs:
    /// it parses and expands, or it is a problem.
    #[test]
    fn damaged_calendars_never_panic(
        drop_line in proptest::collection::vec(proptest::bool::weighted(0.1), 200),
        cut in 0usize..4000,
        noise in "[A-Z:;=0-9TZ\\-]{0,12}",
    ) {
        let text = file("google.ics") + &file("outlook-weekly.ics");
        let mut damaged: String = text
            .lines()
            .zip(drop_line.iter().cycle())
            .filter(|(_, drop)| !**drop)
            .map(|(l, _)| format!("{l}\n"))
            .collect();
        let at_char = damaged.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(damaged.len());
        damaged.insert_str(at_char, &noise);
        if let Ok(cal) = calendar::parse("stuk.ics", &damaged) {
            let _ = cal.occurrences(at("2026-03-01T00:00:00Z"), at("2026-12-31T00:00:00Z"), AMSTERDAM);
        }
    }
}
