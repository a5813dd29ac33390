//! `klaar agenda`: the online meetings in the calendars named with `--calendar` (else those
//! added before with `--add`, kept in `settings.toml`, which the window reminds from), from now
//! until seven days ahead (or `--from`/`--to`), readable or as JSON (`docs/agenda.schema.json`).
//! Calendars are files or secret addresses (fetched over https; an added one falls back to its
//! last good copy, and the problem is listed). Exit 0 when at least one calendar could be read
//! (or there is none), 2 when none could, or for a usage error. Calendar files are only read.

use crate::args::AgendaOptions;
use chrono::{DateTime, Duration, Utc};
use klaar_calendars::adding::{self, Added};
use klaar_calendars::{explain, Address, Loaded, Places, Problem};
use klaar_checklist::target::MeetingLink;
use klaar_checklist::{Engine, Locale};
use klaar_meetings::agenda::{self, DEFAULT_REMIND_MINUTES};
use klaar_meetings::{calendar, AgendaProblem, CalendarProblem, When};
use std::path::PathBuf;
use std::process::ExitCode;

/// A calendar to read: a file, an address given on the command line (fetched, not kept), or
/// one added before (its label; the address is in the keyring).
enum Source {
    File(PathBuf),
    /// The address, or what is wrong with it and the host it names.
    Address(Result<Address, (klaar_calendars::AddressProblem, String)>),
    Added(String),
}

pub fn run(options: &AgendaOptions) -> ExitCode {
    let (engine, _) = crate::policy::tailored();
    let locale = engine.locale(options.lang);
    if let Some(added) = &options.add {
        return add(added, locale);
    }
    let sources: Vec<Source> = if options.calendars.is_empty() {
        let settings = settings().settings;
        let files = settings.calendars.into_iter().map(Source::File);
        files
            .chain(settings.addresses.into_iter().map(Source::Added))
            .collect()
    } else {
        options
            .calendars
            .iter()
            .map(|given| {
                if klaar_calendars::address::looks_like_address(given) {
                    Source::Address(
                        Address::parse(given)
                            .map_err(|p| (p, klaar_calendars::address::host_of(given))),
                    )
                } else {
                    Source::File(PathBuf::from(given))
                }
            })
            .collect()
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
    let zone = klaar_calendars::user_zone();
    // The organisation's minutes before the person's.
    let remind_minutes = (engine.choices().policy.remind_minutes)
        .or(settings().settings.remind_minutes)
        .map(i64::from)
        .unwrap_or(DEFAULT_REMIND_MINUTES);
    let explain_calendar = |p: &CalendarProblem| klaar_calendars::explain_calendar(p, locale);
    let mut calendars = Vec::new();
    let mut problems = Vec::new();
    for loaded in load(&sources) {
        let said = loaded.problem.as_ref().map(|p| {
            let mut message = explain(p, locale);
            if loaded.text.is_some() {
                let when = loaded
                    .refreshed
                    .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string());
                message.push(' ');
                message
                    .push_str(&locale.fill("agenda.stale", &[("time", when.unwrap_or_default())]));
            }
            message
        });
        if let Some(message) = said {
            problems.push(AgendaProblem {
                calendar: loaded.name.clone(),
                message,
            });
        }
        if let Some(text) = &loaded.text {
            match calendar::parse(&loaded.name, text) {
                Ok(c) => calendars.push(c),
                Err(p) => problems.push(AgendaProblem {
                    calendar: loaded.name.clone(),
                    message: explain_calendar(&p),
                }),
            }
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
        explain_calendar,
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
                sources.is_empty(),
                from.with_timezone(&zone),
                to.with_timezone(&zone)
            )
        );
    }
    if !sources.is_empty() && calendars.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The first online meeting not over yet, until 12 hours ahead, in the calendars added
/// before: the files and the last copies of addresses (nothing is fetched). For the connection
/// item (`klaar_meetings::agenda::meeting_link`).
pub fn meeting_link(engine: &Engine, now: DateTime<Utc>) -> Option<MeetingLink> {
    let settings = settings().settings;
    let cache = klaar_calendars::Cache::default_place();
    let files = settings.calendars.iter().filter_map(|path| {
        let text = klaar_calendars::read_file(path).ok()?;
        Some((path.display().to_string(), text))
    });
    let copies = settings
        .addresses
        .iter()
        .filter_map(|label| Some((label.clone(), cache.as_ref()?.copy(label)?)));
    let calendars: Vec<_> = files
        .chain(copies)
        .filter_map(|(name, text)| calendar::parse(&name, &text).ok())
        .collect();
    let services = klaar_meetings::online::builtin();
    let options = agenda::Options {
        from: now,
        to: now + Duration::hours(12),
        zone: klaar_calendars::user_zone(),
        all: false,
        remind_minutes: DEFAULT_REMIND_MINUTES,
        apps: &engine.catalogue().apps,
        services: &services,
    };
    let listing = agenda::list(&calendars, &options, Vec::new(), |_| String::new());
    agenda::meeting_link(&listing.events, now)
}

/// Reads every source: files from disk, addresses fetched now (an added one falls back to its
/// last good copy).
fn load(sources: &[Source]) -> Vec<Loaded> {
    let places = Places::usual();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for fetching calendars");
    let now = Utc::now();
    sources
        .iter()
        .map(|source| match source {
            Source::File(path) => Loaded::file(path),
            Source::Address(Err((problem, host))) => {
                loaded(host.clone(), None, Some(Problem::Address(problem.clone())))
            }
            Source::Address(Ok(address)) => {
                let fetcher = places
                    .as_ref()
                    .map(|p| p.fetcher.clone())
                    .unwrap_or_default();
                match runtime.block_on(fetcher.fetch(address)) {
                    Ok(text) => loaded(address.label(), Some(text), None),
                    Err(p) => loaded(address.label(), None, Some(Problem::Fetch(p))),
                }
            }
            Source::Added(label) => match &places {
                Some(places) => runtime.block_on(places.load(label, true, now)),
                None => Loaded::missing(label),
            },
        })
        .collect()
}

fn loaded(name: String, text: Option<String>, problem: Option<Problem>) -> Loaded {
    Loaded {
        name,
        text,
        refreshed: None,
        problem,
    }
}

/// The settings file (`settings.toml`), or none in memory without a home folder.
pub fn settings() -> klaar_settings::Store {
    klaar_settings::default_path()
        .map(klaar_settings::Store::load)
        .unwrap_or_else(klaar_settings::Store::in_memory)
}

/// `--add`: a calendar file that reads as a calendar is remembered (its full path); a secret
/// address that fetches as a calendar is kept in the keyring (else a private file) and its
/// label remembered (`klaar_calendars::adding`). Exit 2, with the reason, when it cannot be.
fn add(given: &str, locale: &Locale) -> ExitCode {
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
    let Some(places) = Places::usual() else {
        eprintln!("klaar: {}", locale.get("agenda.address_file"));
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for fetching calendars");
    // `--add -`: the address from standard input, so it stays out of the shell's history and
    // the process list.
    let mut typed = String::new();
    let given = if given == "-" {
        let _ = std::io::stdin().read_line(&mut typed);
        typed.trim()
    } else {
        given
    };
    let added = match runtime.block_on(adding::add(given, &places, Utc::now())) {
        Ok(added) => added,
        Err((name, problem)) => {
            eprintln!("klaar: {name}: {}", explain(&problem, locale));
            return ExitCode::from(2);
        }
    };
    let written = match &added {
        Added::File(path) if !store.settings.calendars.contains(path) => {
            store.change(|s| s.calendars.push(path.clone()))
        }
        Added::Address { label, .. } if !store.settings.addresses.contains(label) => {
            store.change(|s| s.addresses.push(label.clone()))
        }
        _ => Ok(true),
    };
    let unwritten = match written {
        Ok(true) => None,
        // No settings file to write (no home folder).
        Ok(false) => Some(store.path().display().to_string()),
        Err(e) => Some(e.to_string()),
    };
    if let Some(reason) = unwritten {
        eprintln!(
            "klaar: {}",
            locale.fill("agenda.unwritable", &[("reason", reason)])
        );
        return ExitCode::from(2);
    }
    let settings_path = store.path().display().to_string();
    println!(
        "{}",
        adding::say_added(&added, locale, |path| locale.fill(
            "agenda.added",
            &[
                ("calendar", path.display().to_string()),
                ("settings", settings_path)
            ],
        ))
    );
    ExitCode::SUCCESS
}

/// "2026-12-01 10:00–11:00  Teamoverleg · Microsoft Teams, AVG-proof · herinnering om 09:55",
/// then the calendars that could not be read.
fn human(
    listing: &klaar_meetings::Agenda,
    engine: &Engine,
    options: &AgendaOptions,
    no_calendar: bool,
    from: DateTime<chrono_tz::Tz>,
    to: DateTime<chrono_tz::Tz>,
) -> String {
    use std::fmt::Write;
    let locale = engine.locale(options.lang);
    let mut out = String::new();
    if no_calendar {
        let _ = writeln!(out, "{}", locale.get("agenda.no_calendar"));
        for how in [
            "agenda.how_outlook",
            "agenda.how_google",
            "agenda.secret_note",
        ] {
            let _ = writeln!(out, "{}", locale.get(how));
        }
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
