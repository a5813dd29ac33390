//! Klaar's state while it runs: the engine, the session, the language and the last reminder.
//! Kept in memory only; nothing is written to disk.

use crate::models::{Reminder, Snapshot};
use klaar_checklist::{Engine, Lang, NotManual, Plan, Session, Verdict};
use klaar_facts::ProbeResult;
use std::sync::Mutex;

pub struct AppState {
    pub engine: Engine,
    inner: Mutex<Inner>,
}

struct Inner {
    /// Counts changes, so the window can drop a snapshot that arrives after a newer one.
    revision: u64,
    session: Session,
    lang: Lang,
    checked_at: Option<String>,
    reminder: Option<ReminderOutcome>,
}

/// How the last reminder went, kept without texts so a change of language re-renders it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderOutcome {
    Delivered,
    NoNotificationService,
    NotificationFailed,
}

impl AppState {
    pub fn new(lang: Lang) -> AppState {
        AppState {
            engine: Engine::builtin(),
            inner: Mutex::new(Inner {
                revision: 0,
                session: Session::default(),
                lang,
                checked_at: None,
                reminder: None,
            }),
        }
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

    pub fn set_lang(&self, lang: Lang) {
        self.change().lang = lang;
    }

    pub fn begin(&self, plan: &Plan) {
        self.change().session.begin(plan);
    }

    /// Stores one probe's answer; `finished_at` is the clock time to show once nothing is pending.
    pub fn record(&self, plan: &Plan, result: ProbeResult, finished_at: impl FnOnce() -> String) {
        let mut inner = self.change();
        let lang = inner.lang;
        inner.session.record(&self.engine, plan, result, lang);
        if !inner.session.is_checking() {
            inner.checked_at = Some(finished_at());
        }
    }

    pub fn tick(&self, id: &str, ticked: bool) -> Result<(), NotManual> {
        self.change().session.tick(&self.engine, id, ticked)
    }

    pub fn new_call(&self) {
        let mut inner = self.change();
        inner.session.new_call();
        inner.reminder = None;
    }

    pub fn set_reminder(&self, outcome: ReminderOutcome) {
        self.change().reminder = Some(outcome);
    }

    /// The verdict and when it was reached, for the tray.
    pub fn verdict(&self) -> (Option<Verdict>, Option<String>) {
        let inner = self.inner();
        let view = inner.session.view(&self.engine, inner.lang);
        (view.verdict, inner.checked_at.clone())
    }

    /// The reminder's lines in the current language.
    pub fn reminder_lines(&self, lang: Lang) -> Vec<String> {
        let locale = self.engine.locale(lang);
        vec![
            locale.get("reminder.phone"),
            locale.get("reminder.background"),
        ]
    }

    pub fn snapshot(&self) -> Snapshot {
        let inner = self.inner();
        let lang = inner.lang;
        let locale = self.engine.locale(lang);
        let view = inner.session.view(&self.engine, lang);
        let reminder = inner.reminder.map(|outcome| Reminder {
            lines: self.reminder_lines(lang),
            delivered: outcome == ReminderOutcome::Delivered,
            note: locale.get(match outcome {
                ReminderOutcome::Delivered => "reminder.delivered",
                ReminderOutcome::NoNotificationService => "reminder.no_service",
                ReminderOutcome::NotificationFailed => "reminder.failed",
            }),
        });
        Snapshot {
            revision: inner.revision,
            lang,
            texts: locale.sections(&["ui", "status", "phase"]),
            seeds: self.engine.catalogue().seeds.clone(),
            verdict_text: view
                .verdict
                .map(|v| locale.get(&format!("verdict.{}", v.as_str()))),
            view,
            checked_at: inner.checked_at.clone(),
            reminder,
        }
    }
}
