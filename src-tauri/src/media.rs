//! Sound tests the user starts: a chime on the speakers, and "hear yourself" (five seconds
//! recorded, played back, dropped). The recording waits in memory between the two steps only.

use crate::error::{Error, Result};
use klaar_probes::speakers::{self, Sound};
use serde::Serialize;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};

/// How long "hear yourself" records.
pub const HEAR_YOURSELF: Duration = Duration::from_secs(5);

/// The recording between "record" and "play back".
#[derive(Default)]
pub struct Held(Mutex<Option<Sound>>);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Played {
    pub device: String,
}

pub async fn test_speakers() -> Result<Played> {
    blocking(|| speakers::play(speakers::chime(48_000))).await
}

pub async fn record_yourself<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let sound = off_the_executor(|| speakers::record(HEAR_YOURSELF)).await?;
    *app.state::<Held>()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(sound);
    Ok(())
}

pub async fn play_back<R: Runtime>(app: AppHandle<R>) -> Result<Played> {
    let sound = app
        .state::<Held>()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .ok_or(Error::NothingRecorded)?;
    // `play` consumes the recording: it is gone once it has been heard.
    blocking(move || speakers::play(sound)).await
}

async fn blocking(
    work: impl FnOnce() -> std::result::Result<String, speakers::SoundError> + Send + 'static,
) -> Result<Played> {
    let device = off_the_executor(work).await?;
    Ok(Played { device })
}

/// Sound devices block: run them on a blocking thread. A panic there is a failed sound test.
async fn off_the_executor<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, speakers::SoundError> + Send + 'static,
) -> Result<T> {
    let outcome = tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            Error::Sound(speakers::SoundError::Failed {
                device: String::new(),
                reason: e.to_string(),
            })
        })?;
    Ok(outcome?)
}
