//! The live microphone level in the window: while the window asks for it, a worker keeps the
//! default input open and holds the newest level (see `on_demand`). Only a number is kept; the
//! sound itself is dropped buffer by buffer.

use crate::on_demand::{lock, Demand, OnDemand};
use klaar_probes::microphone::{self, RecordError};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager, Runtime};

#[derive(Default)]
pub struct Meter(OnDemand<Heard>);

#[derive(Default)]
pub struct Heard {
    level: Mutex<Option<f64>>,
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
    let demand = app.state::<Meter>().0.ask(listen);
    let dbfs = *lock(&demand.data.level);
    let problem = *lock(&demand.data.problem);
    Level { dbfs, problem }
}

fn listen(demand: Arc<Demand<Heard>>) {
    let sink = demand.clone();
    let outcome = microphone::meter(
        || !demand.idle(),
        move |dbfs| *lock(&sink.data.level) = Some((dbfs * 10.0).round() / 10.0),
    );
    if let Err(e) = outcome {
        *lock(&demand.data.problem) = Some(match e {
            RecordError::NoDevice => "no_microphone",
            RecordError::Failed(..) | RecordError::Busy(_) | RecordError::Unavailable(_) => {
                "sound_failed"
            }
        });
        demand.wait_until_idle();
    }
}

impl Meter {
    /// Lets go of the device so the next ask opens the one chosen now.
    pub fn restart(&self) {
        self.0.restart();
    }
}

/// Whether the input is held open (for tests).
pub fn is_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.state::<Meter>().0.is_running()
}
