//! Sound out, for the user's own ears: a short test chime, and playing back a recording
//! ("hear yourself"). Nothing is judged here and nothing is stored: the samples live in memory
//! until they have been played.

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::StreamConfig;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SoundError {
    #[error("no speakers or headphones found")]
    NoOutput,
    #[error("no microphone found")]
    NoInput,
    #[error("{device}: {reason}")]
    Failed { device: String, reason: String },
}

/// Mono sound at `rate` samples per second, full scale ±1.0.
pub struct Sound {
    pub samples: Vec<f32>,
    pub rate: u32,
}

/// Two soft rising tones (660 Hz, then 880 Hz), 0.6 s in all.
pub fn chime(rate: u32) -> Sound {
    let tone = |freq: f32, seconds: f32| -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| {
                let t = i as f32 / rate as f32;
                // Fade in and out over 20 ms, so the tones do not click.
                let fade = (t / 0.02).min((seconds - t) / 0.02).clamp(0.0, 1.0);
                0.3 * fade * (t * freq * std::f32::consts::TAU).sin()
            })
            .collect()
    };
    let mut samples = tone(660.0, 0.3);
    samples.extend(tone(880.0, 0.3));
    Sound { samples, rate }
}

/// The name of the default output device.
pub fn output_name() -> Result<String, SoundError> {
    let device = crate::devices::output(&cpal::default_host()).ok_or(SoundError::NoOutput)?;
    Ok(name(&device))
}

fn name(device: &cpal::Device) -> String {
    crate::devices::device_name(device)
}

/// Plays `sound` on the default output and returns once it has been heard; returns the
/// device's name.
pub fn play(sound: Sound) -> Result<String, SoundError> {
    let device = crate::devices::output(&cpal::default_host()).ok_or(SoundError::NoOutput)?;
    let device_name = name(&device);
    let fail = |e: cpal::Error| SoundError::Failed {
        device: device_name.clone(),
        reason: e.to_string(),
    };
    // ALSA lists a "default" device even where there is no card; opening it says so.
    let supported = device.default_output_config().map_err(|e| match e.kind() {
        cpal::ErrorKind::DeviceNotAvailable => SoundError::NoOutput,
        _ => fail(e),
    })?;
    let channels = supported.channels().max(1) as usize;
    // The sound server converts the rate; ask for the recording's own, in 20 ms buffers so the
    // sound starts at once and the end is not left in a long queue.
    let config = StreamConfig {
        channels: supported.channels(),
        sample_rate: sound.rate,
        buffer_size: match supported.buffer_size() {
            cpal::SupportedBufferSize::Range { min, max } => {
                cpal::BufferSize::Fixed((sound.rate / 50).clamp(*min, *max))
            }
            cpal::SupportedBufferSize::Unknown => cpal::BufferSize::Default,
        },
    };
    let length = Duration::from_secs_f64(sound.samples.len() as f64 / sound.rate as f64);
    let queue = Arc::new(Mutex::new(sound.samples.into_iter()));
    let finished = Arc::new(AtomicBool::new(false));
    let (source, done) = (queue.clone(), finished.clone());
    let stream = device
        .build_output_stream::<f32, _, _>(
            config,
            move |out: &mut [f32], _| {
                let mut samples = source.lock().unwrap_or_else(|e| e.into_inner());
                for frame in out.chunks_mut(channels) {
                    match samples.next() {
                        Some(value) => frame.fill(value),
                        None => {
                            frame.fill(0.0);
                            done.store(true, Ordering::Release);
                        }
                    }
                }
            },
            |_| {},
            None,
        )
        .map_err(fail)?;
    stream.play().map_err(fail)?;
    // Wait until the last sample has been handed over, then for the server to play it.
    let give_up = Instant::now() + length + Duration::from_secs(3);
    while !finished.load(Ordering::Acquire) && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(250));
    drop(stream);
    Ok(device_name)
}

/// Records `length` from the default input, in memory.
pub fn record(length: Duration) -> Result<Sound, SoundError> {
    use crate::microphone::RecordError;
    match crate::microphone::record_for(length) {
        Ok(recording) => Ok(Sound {
            samples: recording.samples,
            rate: recording.rate,
        }),
        Err(RecordError::NoDevice) => Err(SoundError::NoInput),
        Err(RecordError::Failed(device, reason)) => Err(SoundError::Failed { device, reason }),
        Err(RecordError::Busy(device)) => Err(SoundError::Failed {
            device,
            reason: "in use by another program".into(),
        }),
        Err(RecordError::Unavailable(device)) => Err(SoundError::Failed {
            device,
            reason: "not available".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chime_is_soft_and_short() {
        let sound = chime(48_000);
        assert_eq!(sound.samples.len(), 28_800);
        let peak = sound.samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
        assert!(peak <= 0.3 && peak > 0.29, "{peak}");
        assert_eq!(sound.samples[0], 0.0, "starts silent: no click");
    }
}
