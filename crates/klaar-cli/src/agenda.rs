//! `klaar agenda`: the online meetings in the calendars named with `--calendar` (else those
//! added before with `--add`, kept in `settings.toml`, which the window reminds from), from now
//! until seven days ahead (or `--from`/`--to`), readable or as JSON (`docs/agenda.schema.json`).
//! Exit 0 when at least one calendar could be read (or there is none), 2 when none could, or
//! for a usage error. Calendar files are only read.

use crate::args::AgendaOptions;
use chrono::{DateTime, Duration, Utc};
use klaar_checklist::{Engine, Locale};
use klaar_meetings::agenda::{self, DEFAULT_REMIND_MINUTES};
use klaar_meetings::{calendar, AgendaProblem, CalendarProblem, ProblemKind, When};
use std::process::ExitCode;

/// A calendar larger than this is not read: a real one holds years of events in a few MB.
pub const MAX_CALENDAR_BYTES: u64 = 64 * 1024 * 1024;

pub fn run(options: &AgendaOptions) -> ExitCode {
    let engine = Engine::builtin();
    let locale = engine.locale(options.lang);
    if let Some(added) = &options.add {
        return add(added, locale);
    }
    let remembered;
    let options = if options.calendars.is_empty() {
        remembered = AgendaOptions {
            calendars: settings().settings.calendars,
            add: None,
            from: options.from.clone(),
            to: options.to.clone(),
            ..*options
        };
        &remembered
    } else {
        options
    };
    let time = |given: &Option<String>| -> Result<Option<DateTime<Utc>>, String> {
        given
            .as_deref()
            .map(|t| {
                DateTime::parse_from_rfc3339(t)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| t.to_string())
            })
            .transpose()
    };
    let (from, to) = match (time(&options.from), time(&options.to)) {
        (Ok(from), Ok(to)) => {
            let from = from.unwrap_or_else(Utc::now);
            (from, to.unwrap_or(from + Duration::days(7)))
        }
        (Err(value), _) | (_, Err(value)) => {
            eprintln!(
                "klaar: {}\n{}",
                locale.fill("cli.bad_time", &[("value", value)]),
                locale.get("cli.see_help")
            );
            return ExitCode::from(2);
        }
    };
    let zone = user_zone();
    let remind_minutes = settings()
        .settings
        .remind_minutes
        .map(i64::from)
        .unwrap_or(DEFAULT_REMIND_MINUTES);
    let explain = |p: &CalendarProblem| explain(p, locale);
    let mut calendars = Vec::new();
    let mut problems = Vec::new();
    for path in &options.calendars {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        match read(path, locale) {
            Err(message) => problems.push(AgendaProblem {
                calendar: name,
                message,
            }),
            Ok(text) => match calendar::parse(&name, &text) {
                Ok(c) => calendars.push(c),
                Err(p) => problems.push(AgendaProblem {
                    calendar: name,
                    message: explain(&p),
                }),
            },
        }
    }
    let services = klaar_meetings::online::builtin();
    let listing = agenda::list(
        &calendars,
        &agenda::Options {
            from,
            to,
            zone,
            all: options.all,
            remind_minutes,
            apps: &engine.catalogue().apps,
            services: &services,
        },
        problems,
        explain,
    );
    if options.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&listing).expect("the agenda serialises")
        );
    } else {
        print!(
            "{}",
            human(
                &listing,
                &engine,
                options,
                from.with_timezone(&zone),
                to.with_timezone(&zone)
            )
        );
    }
    if !options.calendars.is_empty() && calendars.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn settings() -> klaar_settings::Store {
    klaar_settings::default_path()
        .map(klaar_settings::Store::load)
        .unwrap_or_else(klaar_settings::Store::in_memory)
}

/// `--add`: a calendar file that reads as a calendar is remembered (its full path). Calendar
/// addresses on the internet are not fetched yet: said, exit 2.
fn add(given: &str, locale: &Locale) -> ExitCode {
    let lower = given.to_ascii_lowercase();
    if ["http://", "https://", "webcal://", "webcals://"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        eprintln!("klaar: {}", locale.get("agenda.no_addresses_yet"));
        return ExitCode::from(2);
    }
    let path = std::path::Path::new(given);
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let name = path.display().to_string();
    let checked = read(&path, locale).and_then(|text| {
        calendar::parse(&name, &text)
            .map(|_| ())
            .map_err(|p| explain(&p, locale))
    });
    if let Err(message) = checked {
        eprintln!("klaar: {name}: {message}");
        return ExitCode::from(2);
    }
    let mut store = settings();
    if let Some(problem) = &store.problem {
        eprintln!(
            "klaar: {}",
            locale.fill(
                "agenda.settings_broken",
                &[("path", problem.path.display().to_string())]
            )
        );
        return ExitCode::from(2);
    }
    if !store.settings.calendars.contains(&path) {
        let written = store.change(|s| s.calendars.push(path.clone()));
        if let Err(e) = written {
            eprintln!(
                "klaar: {}",
                locale.fill("agenda.unwritable", &[("reason", e.to_string())])
            );
            return ExitCode::from(2);
        }
    }
    println!(
        "{}",
        locale.fill(
            "agenda.added",
            &[
                ("calendar", name),
                ("settings", store.path().display().to_string())
            ]
        )
    );
    ExitCode::SUCCESS
}

/// The user's time zone: `TZ` when it names one, else the system's, else UTC.
fn user_zone() -> chrono_tz::Tz {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .or_else(|| iana_time_zone::get_timezone().ok())
        .and_then(|name| name.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

/// The file's text; bytes that are no UTF-8 become `�` (the parser then names the line).
fn read(path: &std::path::Path, locale: &Locale) -> Result<String, String> {
    let unreadable =
        |e: std::io::Error| locale.fill("agenda.unreadable", &[("reason", e.to_string())]);
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_CALENDAR_BYTES {
        return Err(locale.fill(
            "agenda.too_large",
            &[("mb", (MAX_CALENDAR_BYTES / 1024 / 1024).to_string())],
        ));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn explain(problem: &CalendarProblem, locale: &Locale) -> String {
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

/// "2026-12-01 10:00–11:00  Teamoverleg · Microsoft Teams, AVG-proof · herinnering om 09:55",
/// then the calendars that could not be read.
fn human(
    listing: &klaar_meetings::Agenda,
    engine: &Engine,
    options: &AgendaOptions,
    from: DateTime<chrono_tz::Tz>,
    to: DateTime<chrono_tz::Tz>,
) -> String {
    use std::fmt::Write;
    let locale = engine.locale(options.lang);
    let mut out = String::new();
    if options.calendars.is_empty() {
        let _ = writeln!(out, "{}", locale.get("agenda.no_calendar"));
        return out;
    }
    if listing.events.is_empty() {
        let key = if options.all {
            "agenda.none_all"
        } else {
            "agenda.none"
        };
        let when = |t: DateTime<chrono_tz::Tz>| t.format("%Y-%m-%d %H:%M").to_string();
        let _ = writeln!(
            out,
            "{}",
            locale.fill(key, &[("from", when(from)), ("to", when(to))])
        );
    }
    for event in &listing.events {
        let when = match (event.start, event.end) {
            (When::Date(d), _) => {
                format!("{}  {}", d.format("%Y-%m-%d"), locale.get("agenda.all_day"))
            }
            (When::Time(s), When::Time(e)) => {
                format!(
                    "{} {}–{}",
                    s.format("%Y-%m-%d"),
                    s.format("%H:%M"),
                    e.format("%H:%M")
                )
            }
            (When::Time(s), When::Date(_)) => s.format("%Y-%m-%d %H:%M").to_string(),
        };
        let service = match (&event.online, event.avg) {
            (Some(online), Some(avg)) => {
                let name = engine.catalogue().app_name(&online.service);
                format!("{name}, {}", locale.get(avg.locale_key()))
            }
            _ => locale.get("agenda.not_online"),
        };
        let mut line = format!("{when}  {} · {service}", event.summary);
        if let Some(at) = event
            .remind_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        {
            let _ = write!(
                line,
                " · {}",
                locale.fill(
                    "agenda.reminder",
                    &[("time", at.format("%H:%M").to_string())]
                )
            );
        }
        let _ = writeln!(out, "{line}");
    }
    for problem in &listing.problems {
        let _ = writeln!(out, "{}: {}", problem.calendar, problem.message);
    }
    out
}
