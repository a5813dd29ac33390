//! Numbers about a recording. The checklist decides what they mean.
//!
//! The sound is cut into 10 ms frames, the unit of WebRTC's level and clipping detectors.

use klaar_facts::SoundStats;

/// A sample at or beyond this magnitude (full scale is 1.0) is clipped.
pub const CLIPPED_AT: f32 = 0.999;
/// A frame clips when at least this share of its samples does (WebRTC AGC: 10 %).
pub const CLIPPING_FRAME_SHARE: f64 = 0.10;
/// What true silence reports, where the logarithm has no value.
pub const FLOOR_DBFS: f64 = -120.0;

pub fn dbfs(amplitude: f64) -> f64 {
    if amplitude <= 0.0 {
        FLOOR_DBFS
    } else {
        (20.0 * amplitude.log10()).max(FLOOR_DBFS)
    }
}

/// `samples`: mono, full scale ±1.0, `rate` per second. `None` for less than one frame.
pub fn measure(samples: &[f32], rate: u32) -> Option<SoundStats> {
    let frame_len = (rate as usize / 100).max(1);
    if samples.len() < frame_len {
        return None;
    }
    let rms =
        |s: &[f32]| (s.iter().map(|&x| x as f64 * x as f64).sum::<f64>() / s.len() as f64).sqrt();
    let frames: Vec<&[f32]> = samples.chunks_exact(frame_len).collect();
    let clipping = frames
        .iter()
        .filter(|f| {
            let clipped = f.iter().filter(|x| x.abs() >= CLIPPED_AT).count();
            clipped as f64 >= f.len() as f64 * CLIPPING_FRAME_SHARE
        })
        .count();
    let mut levels: Vec<f64> = frames.iter().map(|f| dbfs(rms(f))).collect();
    levels.sort_by(f64::total_cmp);
    let at = |share: usize| levels[(levels.len() - 1) * share / 10];
    let peak = samples.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    Some(SoundStats {
        seconds: round(samples.len() as f64 / rate as f64),
        rms_dbfs: round(dbfs(rms(samples))),
        peak_dbfs: round(dbfs(peak as f64)),
        loud_dbfs: round(at(9)),
        noise_floor_dbfs: round(at(1)),
        clipping_pct: round(clipping as f64 * 100.0 / frames.len() as f64),
        digital_silence: samples.iter().all(|&x| x == 0.0),
    })
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 48_000;

    fn sine(amplitude: f32, seconds: f32) -> Vec<f32> {
        (0..(RATE as f32 * seconds) as usize)
            .map(|i| amplitude * (i as f32 * 440.0 * std::f32::consts::TAU / RATE as f32).sin())
            .collect()
    }

    #[test]
    fn a_full_scale_sine_is_minus_three_dbfs() {
        let stats = measure(&sine(1.0, 1.0), RATE).unwrap();
        assert_eq!(stats.rms_dbfs, -3.0);
        assert_eq!(stats.peak_dbfs, 0.0);
        assert_eq!(stats.seconds, 1.0);
        assert!(!stats.digital_silence);
    }

    #[test]
    fn a_tenth_of_full_scale_is_twenty_db_lower() {
        let stats = measure(&sine(0.1, 1.0), RATE).unwrap();
        assert_eq!(stats.rms_dbfs, -23.0);
        assert_eq!(stats.peak_dbfs, -20.0);
        assert_eq!(stats.clipping_pct, 0.0);
    }

    #[test]
    fn zeros_are_digital_silence() {
        let stats = measure(&vec![0.0; RATE as usize], RATE).unwrap();
        assert!(stats.digital_silence);
        assert_eq!(stats.rms_dbfs, FLOOR_DBFS);
        assert_eq!(stats.noise_floor_dbfs, FLOOR_DBFS);
    }

    #[test]
    fn a_sine_driven_far_beyond_full_scale_clips_in_every_frame() {
        let clipped: Vec<f32> = sine(4.0, 1.0).iter().map(|x| x.clamp(-1.0, 1.0)).collect();
        assert_eq!(measure(&clipped, RATE).unwrap().clipping_pct, 100.0);
    }

    #[test]
    fn the_noise_floor_is_the_quiet_between_the_words() {
        // Half a second of "voice" at 0.3, half a second of room at 0.003.
        let mut sound = sine(0.3, 0.5);
        sound.extend(sine(0.003, 0.5));
        let stats = measure(&sound, RATE).unwrap();
        // A sine's RMS is its amplitude / √2: 0.003 → −53.6 dBFS, 0.3 → −13.5 dBFS.
        assert!((stats.noise_floor_dbfs - -53.5).abs() <= 0.2, "{stats:?}");
        assert!((stats.loud_dbfs - -13.5).abs() <= 0.2, "{stats:?}");
    }

    #[test]
    fn less_than_a_frame_is_nothing() {
        assert_eq!(measure(&[0.5; 10], RATE), None);
    }
}
