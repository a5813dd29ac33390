//! About a second from the default input through cpal (PulseAudio when a server runs, ALSA
//! otherwise; CoreAudio and WASAPI elsewhere). The sound stays in memory, is measured, and is
//! dropped.

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Recording {
    pub name: String,
    /// Mono, full scale ±1.0.
    pub samples: Vec<f32>,
    pub rate: u32,
}

pub enum RecordError {
    /// No input device at all.
    NoDevice,
    /// Another program holds the input and it cannot be shared (cpal's `DeviceBusy`).
    Busy(String),
    /// The sound server is not running, or the device went away while opening it.
    Unavailable(String),
    /// The device is there but gave no sound: `name` and why.
    Failed(String, String),
}

/// How many inputs Klaar itself has open (the check, the meter, "hear yourself").
static OWN_INPUTS: AtomicUsize = AtomicUsize::new(0);

/// Whether Klaar itself records now: then a microphone in use may be Klaar's own.
pub fn klaar_records() -> bool {
    OWN_INPUTS.load(Ordering::SeqCst) > 0
}

/// Counts an open input of Klaar's for as long as it lives.
struct Own;

impl Own {
    fn new() -> Own {
        OWN_INPUTS.fetch_add(1, Ordering::SeqCst);
        Own
    }
}

impl Drop for Own {
    fn drop(&mut self) {
        OWN_INPUTS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The default input, started: its name, rate, and the mono buffers it sends.
struct Input {
    name: String,
    rate: u32,
    buffers: mpsc::Receiver<Vec<f32>>,
    // Held so the stream runs; dropping it stops the input.
    _stream: cpal::Stream,
    // Declared after the stream: dropped once the stream has stopped.
    _own: Own,
}

/// Opens and starts the default input with buffers of about `buffer`. Small buffers matter:
/// left to itself a sound server may fill two seconds before it delivers anything (PulseAudio's
/// default fragment for a record stream).
fn start_input(buffer: Duration) -> Result<Input, RecordError> {
    // alsa-lib prints its own lines on stderr when there is no sound card; the report already
    // says "no microphone". Its messages go to a buffer on this thread instead, dropped unread.
    #[cfg(target_os = "linux")]
    let _quiet = alsa::Output::local_error_handler().ok();
    let own = Own::new();
    let host = cpal::default_host();
    let device = crate::devices::input(&host).ok_or(RecordError::NoDevice)?;
    let name = crate::devices::device_name(&device);
    // Sorted by cpal's error kind, never by its message.
    let fail = |e: cpal::Error| match e.kind() {
        cpal::ErrorKind::DeviceBusy => RecordError::Busy(name.clone()),
        cpal::ErrorKind::HostUnavailable | cpal::ErrorKind::DeviceNotAvailable => {
            RecordError::Unavailable(name.clone())
        }
        _ => RecordError::Failed(name.clone(), e.to_string()),
    };
    // ALSA lists a "default" device even where there is no card; opening it says so.
    let supported = device.default_input_config().map_err(|e| match e.kind() {
        cpal::ErrorKind::DeviceNotAvailable => RecordError::NoDevice,
        _ => fail(e),
    })?;
    let mut config: StreamConfig = supported.config();
    let rate = config.sample_rate;
    if let cpal::SupportedBufferSize::Range { min, max } = supported.buffer_size() {
        let frames = (rate as f64 * buffer.as_secs_f64()) as u32;
        config.buffer_size = cpal::BufferSize::Fixed(frames.clamp(*min, *max));
    }
    let (tx, buffers) = mpsc::channel::<Vec<f32>>();
    let stream = match supported.sample_format() {
        SampleFormat::I16 => open::<i16>(&device, &config, tx),
        SampleFormat::I32 => open::<i32>(&device, &config, tx),
        SampleFormat::U8 => open::<u8>(&device, &config, tx),
        _ => open::<f32>(&device, &config, tx),
    }
    .map_err(fail)?;
    stream.play().map_err(fail)?;
    Ok(Input {
        name,
        rate,
        buffers,
        _stream: stream,
        _own: own,
    })
}

/// Records `length` of sound, giving up after `budget` (from the call).
pub fn record(length: Duration, budget: Duration) -> Result<Recording, RecordError> {
    let started = Instant::now();
    let input = start_input(Duration::from_millis(20))?;
    let wanted = (input.rate as f64 * length.as_secs_f64()) as usize;
    let mut samples = Vec::with_capacity(wanted);
    while samples.len() < wanted {
        let left = budget.saturating_sub(started.elapsed());
        match input
            .buffers
            .recv_timeout(left.min(Duration::from_millis(200)))
        {
            Ok(chunk) => samples.extend(chunk),
            Err(mpsc::RecvTimeoutError::Timeout) if !left.is_zero() => {}
            Err(_) => break,
        }
    }
    let Input { name, rate, .. } = input;
    samples.truncate(wanted);
    if samples.is_empty() {
        return Err(RecordError::Failed(name, "no sound arrived".into()));
    }
    Ok(Recording {
        name,
        samples,
        rate,
    })
}

/// An input stream that sends each buffer, mixed down to mono, as f32.
fn open<T>(
    device: &cpal::Device,
    config: &StreamConfig,
    tx: mpsc::Sender<Vec<f32>>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    let channels = config.channels.max(1) as usize;
    device.build_input_stream::<T, _, _>(
        *config,
        move |data: &[T], _| {
            let mono = data
                .chunks(channels)
                .map(|frame| {
                    frame
                        .iter()
                        .map(|&s| <f32 as FromSample<T>>::from_sample_(s))
                        .sum::<f32>()
                        / frame.len() as f32
                })
                .collect();
            let _ = tx.send(mono);
        },
        // Errors end the stream; the recording then stops short and says so.
        |_| {},
        None,
    )
}

/// A live level for a meter: opens the default input and calls `publish` with the level (dBFS)
/// of each buffer while `keep_going` says so; returns the device's name once it stops.
pub fn meter(
    keep_going: impl Fn() -> bool,
    publish: impl Fn(f64) + Send + 'static,
) -> Result<String, RecordError> {
    let input = start_input(Duration::from_millis(50))?;
    while keep_going() {
        if let Ok(chunk) = input.buffers.recv_timeout(Duration::from_millis(100)) {
            if !chunk.is_empty() {
                let power =
                    chunk.iter().map(|&x| x as f64 * x as f64).sum::<f64>() / chunk.len() as f64;
                publish(super::sound::dbfs(power.sqrt()));
            }
        }
    }
    Ok(input.name)
}
