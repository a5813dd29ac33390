//! Klaar's state while it runs: the engine, the session, the language, the last reminder and
//! the person's settings. Results and ticks stay in memory; only the settings (language, chosen
//! devices) are written, to their own file (`settings`).

use crate::models::{CalendarLine, Reminder, Snapshot};
use crate::settings::{Settings, Store, Trouble};
use klaar_checklist::{Engine, Lang, NotManual, Plan, Session, Verdict};
use klaar_facts::ProbeResult;
use klaar_settings::policy::PolicyFile;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A check older than this is done again when the window opens or comes back into view: the
/// situation may have changed (a charger pulled, an app started).
pub const FRESH_FOR: Duration = Duration::from_secs(3 * 60);

pub struct AppState {
    /// The engine under the organisation's policy and the person's choices; replaced when the
    /// person changes their profile or the items that do not apply (see [`AppState::engine`]).
    engine: std::sync::RwLock<std::sync::Arc<Engine>>,
    /// The organisation's policy file as read at start (`klaar_settings::policy`).
    pub policy: PolicyFile,
    inner: Mutex<Inner>,
    /// Whether the desktop shows tray icons; `true` until Klaar learns otherwise.
    tray: AtomicBool,
}

struct Inner {
    /// Counts changes, so the window can drop a snapshot that arrives after a newer one.
    revision: u64,
    session: Session,
    lang: Lang,
    checked_at: Option<String>,
    /// When the last full check finished.
    checked: Option<Instant>,
    /// The same on the wall clock, which goes on while the laptop sleeps (the call watch asks
    /// whether a check ran in the last 10 minutes).
    checked_wall: Option<chrono::DateTime<chrono::Utc>>,
    /// The online meetings from an hour ago to a day ahead, for the call watch.
    meetings: Vec<klaar_meetings::schedule::Meeting>,
    /// The same meetings as the agenda lists them (with their links), for the connection item.
    meeting_events: Vec<klaar_meetings::AgendaEvent>,
    /// Meetings whose call ended (the chat reminder came): "do not disturb" is not held for them.
    calls_over: std::collections::BTreeSet<(String, chrono::DateTime<chrono::Utc>)>,
    /// The last reminder, and the revision it came at (its id for the window).
    reminder: Option<(ReminderOutcome, u64)>,
    /// "10:25": when "remind me in 5 minutes" will remind.
    reminder_due: Option<String>,
    /// The next online meeting in the person's calendars.
    next_meeting: Option<NextMeeting>,
    /// How reading each calendar went, in the settings' order.
    calendars: Vec<CalendarStatus>,
    /// Which "do not disturb" the desktop offers Klaar; `None` until known.
    quiet: Option<crate::quiet::Kind>,
    /// A meeting reminded without buttons, and its end: the tray offers "check now for" it.
    check_for: Option<(String, chrono::DateTime<chrono::Utc>)>,
    /// How adding or removing a calendar went, for the settings view.
    calendar_notice: Option<crate::models::Notice>,
    settings: Store,
}

/// How reading one calendar went: when an address was last fetched, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarStatus {
    /// The file name, or the address's label (`calendar.google.com …3f9a`).
    pub name: String,
    /// Whether it is a secret address (fetched) rather than a file.
    pub address: bool,
    /// When the copy in use was fetched.
    pub refreshed: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether there is a text in use (fresh or the last good copy).
    pub has_text: bool,
    pub problem: Option<klaar_calendars::Problem>,
}

/// The next online meeting: in words for the window, and its title and start for the tray.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextMeeting {
    pub text: String,
    pub summary: String,
    pub start: chrono::DateTime<chrono::Utc>,
}

/// How the last reminder went, kept without texts so a change of language re-renders it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderOutcome {
    Delivered,
    NoNotificationService,
    NotificationFailed,
}

impl AppState {
    /// A state whose settings live in memory only (tests).
    pub fn new(lang: Lang) -> AppState {
        AppState::with_settings(lang, Store::in_memory())
    }

    /// `lang` unless the settings name a language; the settings' devices are not applied here
    /// (see `klaar_probes::devices::choose`).
    pub fn with_settings(lang: Lang, settings: Store) -> AppState {
        AppState::with_policy(lang, settings, PolicyFile::default())
    }

    /// As [`AppState::with_settings`], under the organisation's policy: the engine applies it
    /// and the person's profile and not-applicable items (replaced when the person changes them:
    /// [`AppState::change_choices`]).
    pub fn with_policy(lang: Lang, settings: Store, policy: PolicyFile) -> AppState {
        let choices = policy.choices(&settings.settings);
        AppState {
            engine: std::sync::RwLock::new(std::sync::Arc::new(
                Engine::builtin().with_choices(choices),
            )),
            policy,
            tray: AtomicBool::new(true),
            inner: Mutex::new(Inner {
                revision: 0,
                session: Session::default(),
                lang: settings.settings.language.unwrap_or(lang),
                checked_at: None,
                checked: None,
                checked_wall: None,
                meetings: Vec::new(),
                meeting_events: Vec::new(),
                calls_over: Default::default(),
                reminder: None,
                reminder_due: None,
                next_meeting: None,
                calendars: Vec::new(),
                calendar_notice: None,
                check_for: None,
                quiet: None,
                settings,
            }),
        }
    }

    /// The person's settings with what the organisation's policy sets in their place (the
    /// reminder minutes).
    pub fn effective_settings(
        &self,
        mine: &crate::settings::Settings,
    ) -> crate::settings::Settings {
        let mut settings = mine.clone();
        if let Some(minutes) = self.engine().choices().policy.remind_minutes {
            settings.remind_minutes = Some(minutes);
        }
        settings
    }

    /// The engine in force: under the organisation's policy and the person's choices now.
    pub fn engine(&self) -> std::sync::Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Changes the person's choices in the settings (profile, items that do not apply) and puts
    /// the engine under them at once; what the organisation decided still comes first.
    pub fn change_choices(&self, edit: impl FnOnce(&mut Settings)) {
        let _ = self.change_settings(edit);
        self.rechoose();
    }

    /// A new engine from the policy and the settings as they are now. The settings stay locked
    /// until the engine is in place (locks taken in the order `inner`, then `engine`, as
    /// everywhere), so two changes at once cannot leave the older engine in force.
    fn rechoose(&self) {
        let inner = self.inner();
        let settings = &inner.settings.settings;
        let choices = self.policy.choices(settings);
        let engine = std::sync::Arc::new(Engine::builtin().with_choices(choices));
        *self.engine.write().unwrap_or_else(|e| e.into_inner()) = engine;
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep going with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The state, to change it: the revision moves on.
    fn change(&self) -> std::sync::MutexGuard<'_, Inner> {
        let mut inner = self.inner();
        inner.revision += 1;
        inner
    }

    pub fn lang(&self) -> Lang {
        self.inner().lang
    }

    /// Switches the language and remembers it.
    pub fn set_lang(&self, lang: Lang) {
        let mut inner = self.change();
        inner.lang = lang;
        let _ = inner.settings.change(|s| s.language = Some(lang));
    }

    pub fn settings(&self) -> Settings {
        self.inner().settings.settings.clone()
    }

    /// Changes the settings and writes them (unless the file is broken; see `settings`).
    /// Returns whether they were written; the change holds until Klaar quits either way.
    pub fn change_settings(&self, edit: impl FnOnce(&mut Settings)) -> bool {
        self.change().settings.change(edit).unwrap_or(false)
    }

    /// Reads `settings.toml` again if another program changed it (`klaar agenda --add`).
    pub fn reload_settings_if_changed(&self) {
        let changed = {
            let mut inner = self.inner();
            let changed = inner.settings.reload_if_changed();
            if changed {
                inner.revision += 1;
            }
            changed
        };
        if changed {
            self.rechoose();
        }
    }

    pub fn set_tray(&self, present: bool) {
        if self.tray.swap(present, Ordering::Relaxed) != present {
            drop(self.change());
        }
    }

    pub fn tray(&self) -> bool {
        self.tray.load(Ordering::Relaxed)
    }

    /// Whether a check should start by itself: none ran yet, or the last one is older than
    /// [`FRESH_FOR`], and none is running.
    pub fn wants_fresh_check(&self) -> bool {
        let inner = self.inner();
        !inner.session.is_checking() && inner.checked.is_none_or(|at| at.elapsed() > FRESH_FOR)
    }

    pub fn next_meeting(&self) -> Option<NextMeeting> {
        self.inner().next_meeting.clone()
    }

    pub fn set_next_meeting(&self, next: Option<NextMeeting>) {
        let mut inner = self.inner();
        if inner.next_meeting != next {
            inner.revision += 1;
            inner.next_meeting = next;
        }
    }

    /// When the last full check finished, on the wall clock.
    pub fn last_check(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.inner().checked_wall
    }

    /// The online meetings from an hour ago to a day ahead.
    pub fn meetings(&self) -> Vec<klaar_meetings::schedule::Meeting> {
        self.inner().meetings.clone()
    }

    pub fn set_meetings(&self, meetings: Vec<klaar_meetings::schedule::Meeting>) {
        self.inner().meetings = meetings;
    }

    /// The online meetings with their links, in start order.
    pub fn meeting_events(&self) -> Vec<klaar_meetings::AgendaEvent> {
        self.inner().meeting_events.clone()
    }

    pub fn set_meeting_events(&self, events: Vec<klaar_meetings::AgendaEvent>) {
        self.inner().meeting_events = events;
    }

    /// The call of this meeting (its key) ended.
    pub fn set_call_over(&self, meeting: (String, chrono::DateTime<chrono::Utc>)) {
        self.inner().calls_over.insert(meeting);
    }

    /// Whether the call of this meeting ended already.
    pub fn call_over(&self, meeting: &(String, chrono::DateTime<chrono::Utc>)) -> bool {
        self.inner().calls_over.contains(meeting)
    }

    /// The meeting the tray's first entry names, until a check starts or the meeting ends.
    pub fn check_for(&self, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
        let inner = self.inner();
        let (summary, end) = inner.check_for.as_ref()?;
        (now < *end).then(|| summary.clone())
    }

    pub fn set_check_for(&self, meeting: Option<(String, chrono::DateTime<chrono::Utc>)>) {
        self.inner().check_for = meeting;
    }

    pub fn set_quiet_kind(&self, kind: crate::quiet::Kind) {
        self.change().quiet = Some(kind);
    }

    pub fn set_calendar_notice(&self, notice: Option<crate::models::Notice>) {
        self.change().calendar_notice = notice;
    }

    /// How reading the calendars went this time.
    pub fn set_calendars(&self, calendars: Vec<CalendarStatus>) {
        let mut inner = self.inner();
        if inner.calendars != calendars {
            inner.revision += 1;
            inner.calendars = calendars;
        }
    }

    pub fn set_reminder_due(&self, due: Option<String>) {
        self.change().reminder_due = due;
    }

    pub fn begin(&self, plan: &Plan) {
        let mut inner = self.change();
        // A check is under way: the tray no longer needs to offer one for a meeting.
        inner.check_for = None;
        inner.session.begin(plan);
    }

    /// Stores one probe's answer; `finished_at` is the clock time to show once nothing is pending.
    pub fn record(&self, plan: &Plan, result: ProbeResult, finished_at: impl FnOnce() -> String) {
        let mut inner = self.change();
        let lang = inner.lang;
        inner.session.record(&self.engine(), plan, result, lang);
        // Only a whole check makes the verdict current; checking one item again does not.
        let whole = self
            .engine()
            .plan(&[])
            .is_ok_and(|all| all.items == plan.items);
        if whole && !inner.session.is_checking() {
            inner.checked_at = Some(finished_at());
            inner.checked = Some(Instant::now());
            inner.checked_wall = Some(chrono::Utc::now());
        }
    }

    pub fn tick(&self, id: &str, ticked: bool) -> Result<(), NotManual> {
        self.change().session.tick(&self.engine(), id, ticked)
    }

    pub fn new_call(&self) {
        let mut inner = self.change();
        inner.session.new_call();
        inner.reminder = None;
    }

    pub fn set_reminder(&self, outcome: ReminderOutcome) {
        let mut inner = self.change();
        inner.reminder = Some((outcome, inner.revision));
    }

    /// The verdict and when it was reached, for the tray.
    pub fn verdict(&self) -> (Option<Verdict>, Option<String>) {
        let inner = self.inner();
        let view = inner.session.view(&self.engine(), inner.lang);
        (view.verdict, inner.checked_at.clone())
    }

    /// The reminder's lines in the current language.
    pub fn reminder_lines(&self, lang: Lang) -> Vec<String> {
        let engine = self.engine();
        let locale = engine.locale(lang);
        vec![
            locale.get("reminder.phone"),
            locale.get("reminder.background"),
        ]
    }

    pub fn snapshot(&self) -> Snapshot {
        let engine = self.engine();
        let inner = self.inner();
        let lang = inner.lang;
        let locale = engine.locale(lang);
        let view = inner.session.view(&engine, lang);
        let reminder = inner.reminder.map(|(outcome, id)| Reminder {
            id,
            lines: self.reminder_lines(lang),
            delivered: outcome == ReminderOutcome::Delivered,
            note: locale.get(match outcome {
                ReminderOutcome::Delivered => "reminder.delivered",
                ReminderOutcome::NoNotificationService => "reminder.no_service",
                ReminderOutcome::NotificationFailed => "reminder.failed",
            }),
        });
        let policy = &self.policy;
        let policy_notice = policy.found.then(|| {
            let problems: Vec<String> = policy.problems.iter().map(|p| p.located(locale)).collect();
            let unusable = policy.unusable();
            crate::models::Problem {
                // The file's place only in the details: the main line is for the person.
                text: locale.get(match (problems.is_empty(), unusable) {
                    (true, _) => "ui.set_by_organisation",
                    (false, true) => "policy.unused",
                    (false, false) => "policy.broken",
                }),
                details: std::iter::once(policy.path.display().to_string())
                    .chain(problems)
                    .collect::<Vec<_>>()
                    .join("\n"),
            }
        });
        let settings_problem = inner.settings.problem.as_ref().map(|p| {
            let message = p.trouble.words(locale);
            let mut args = vec![("path", p.path.display().to_string()), ("message", message)];
            let (text, details) = match (p.line, &p.trouble) {
                (_, Trouble::Unwritable(_)) => ("ui.settings_unwritable", "ui.settings_in"),
                (Some(line), Trouble::UnknownKey(_)) => {
                    args.push(("line", line.to_string()));
                    ("ui.settings_unknown_line", "ui.settings_at")
                }
                (Some(line), trouble) if !matches!(trouble, Trouble::Syntax(_)) => {
                    args.push(("line", line.to_string()));
                    ("ui.settings_value_line", "ui.settings_at")
                }
                (Some(line), _) => {
                    args.push(("line", line.to_string()));
                    ("ui.settings_broken_line", "ui.settings_at")
                }
                (None, _) => ("ui.settings_broken", "ui.settings_in"),
            };
            crate::models::Problem {
                text: locale.get(text),
                details: locale.fill(details, &args),
            }
        });
        Snapshot {
            revision: inner.revision,
            lang,
            texts: locale.sections(&["ui", "status", "phase", "group", "agenda"]),
            seeds: engine.catalogue().seeds.clone(),
            verdict_line: view.verdict.map(|_| engine.verdict_line(&view.items, lang)),
            view,
            checked_at: inner.checked_at.clone(),
            reminder,
            reminder_due: inner.reminder_due.clone(),
            next_meeting: inner.next_meeting.as_ref().map(|m| m.text.clone()),
            calendars: inner
                .calendars
                .iter()
                .filter_map(|c| calendar_line(c, locale))
                .collect(),
            calendar_settings: crate::calendar_settings::view(
                &self.effective_settings(&inner.settings.settings),
                inner.calendar_notice.clone(),
                inner.quiet,
                locale,
            ),
            settings_problem,
            policy_notice,
            tray: self.tray(),
            helpdesk: cfg!(target_os = "linux"),
            apps: engine.apps_view(lang),
            preferences: crate::preferences::view(&engine, &inner.settings.settings, lang),
        }
    }
}

/// "Agenda calendar.google.com …3f9a: bijgewerkt om 10:15." or what went wrong, in the
/// person's language; nothing for a file read without trouble.
fn calendar_line(c: &CalendarStatus, locale: &klaar_checklist::Locale) -> Option<CalendarLine> {
    let at = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&chrono::Local).format("%H:%M").to_string()
    };
    let text = match (&c.problem, c.refreshed) {
        (Some(problem), refreshed) => {
            let mut text = klaar_calendars::explain(problem, locale);
            match refreshed.filter(|_| c.has_text) {
                Some(t) => {
                    text.push(' ');
                    text.push_str(&locale.fill("agenda.stale", &[("time", at(t))]));
                }
                None if c.address => {
                    text.push(' ');
                    text.push_str(&locale.get("agenda.never_fetched"));
                }
                None => {}
            }
            text
        }
        (None, Some(t)) if c.address => locale.fill("agenda.refreshed", &[("time", at(t))]),
        (None, _) => return None,
    };
    Some(CalendarLine {
        name: c.name.clone(),
        text,
        problem: c.problem.is_some(),
    })
}
