//! The live microphone level in the window: while the window asks for it, a thread keeps the
//! default input open and holds the newest level; when it stops asking, the input closes within
//! `IDLE`. Only a number is kept; the sound itself is dropped buffer by buffer.

use klaar_probes::microphone::{self, RecordError};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager, Runtime};

pub const IDLE: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct Meter(Mutex<Option<Arc<Shared>>>);

#[derive(Default)]
struct Shared {
    level: Mutex<Option<f64>>,
    asked: Mutex<Option<Instant>>,
    problem: Mutex<Option<&'static str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    /// The latest level in dBFS; `None` until sound arrives.
    pub dbfs: Option<f64>,
    /// `no_microphone` or `sound_failed` when the input could not open.
    pub problem: Option<&'static str>,
}

pub fn level<R: Runtime>(app: &AppHandle<R>) -> Level {
    let shared = running(app);
    *lock(&shared.asked) = Some(Instant::now());
    let dbfs = *lock(&shared.level);
    let problem = *lock(&shared.problem);
    Level { dbfs, problem }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn running<R: Runtime>(app: &AppHandle<R>) -> Arc<Shared> {
    let meter = app.state::<Meter>();
    let mut slot = lock(&meter.0);
    if let Some(shared) = slot.as_ref().filter(|s| Arc::strong_count(s) > 1) {
        return shared.clone();
    }
    let shared = Arc::new(Shared::default());
    *lock(&shared.asked) = Some(Instant::now());
    *slot = Some(shared.clone());
    let worker = shared.clone();
    std::thread::spawn(move || listen(worker));
    shared
}

fn listen(shared: Arc<Shared>) {
    let idle = {
        let shared = shared.clone();
        move || lock(&shared.asked).is_none_or(|at| at.elapsed() > IDLE)
    };
    let sink = shared.clone();
    let outcome = microphone::meter(
        || !idle(),
        move |dbfs| *lock(&sink.level) = Some((dbfs * 10.0).round() / 10.0),
    );
    if let Err(e) = outcome {
        *lock(&shared.problem) = Some(match e {
            RecordError::NoDevice => "no_microphone",
            RecordError::Failed(..) => "sound_failed",
        });
        // Do not retry on every poll: wait until the window stops asking.
        while !idle() {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Whether the input is held open (for tests).
pub fn is_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    lock(&app.state::<Meter>().0)
        .as_ref()
        .is_some_and(|s| Arc::strong_count(s) > 1)
}
