//! The rules: from one item's facts to a status and the message that explains it. Thresholds are
//! in [`Policy`]; texts are in the catalogue, named by message key.

use crate::apps::recognise;
use crate::catalogue::{AppDef, Avg, Role};
use crate::report::Status;
use klaar_facts::{
    CameraFacts, Connectivity, Facts, LinkKind, MicrophoneFacts, PictureStats, PowerFacts,
    ProcessList,
};
use serde_json::{json, Value};

/// Thresholds. The defaults follow the guides and common call guidance.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Fail on battery at or below this charge (seed 000 asks for mains power; below this a call
    /// of an hour is at risk).
    pub battery_fail_percent: u8,
    /// Fail on battery at or below this many minutes left.
    pub battery_fail_minutes: u32,
    /// Fail on Wi-Fi weaker than this: below −75 dBm is "poor" in usual call guidance.
    pub wifi_fail_dbm: i32,
    pub light: LightPolicy,
    pub sound: SoundPolicy,
}

/// When a recording counts as too quiet, clipping or noisy. Levels in dBFS.
#[derive(Debug, Clone, PartialEq)]
pub struct SoundPolicy {
    /// Speech below −50 dBFS is under WebRTC AGC's target range (−50 to −30 dBFS): the others
    /// will hardly hear you. Judged on the loudest tenth of the recording, where the voice is.
    pub quiet_dbfs: f64,
    /// WebRTC calls a 10 ms frame clipping when 10 % of its samples clip; we warn when 5 % of
    /// the frames do (a few loud syllables clip; a steadily distorted voice is more).
    pub clipping_pct: f64,
    /// Nobody publishes a noise-floor threshold, so this is ours. The quietest tenth of a
    /// second of sound is the room between words: a quiet home office measures about −60 to −50
    /// dBFS on a laptop microphone, a television or a busy street −40 and up. Above −45 dBFS the
    /// others will hear the room, and seed 000 says a headset is then the way out.
    pub noisy_floor_dbfs: f64,
}

impl Default for SoundPolicy {
    fn default() -> Self {
        SoundPolicy {
            quiet_dbfs: -50.0,
            clipping_pct: 5.0,
            noisy_floor_dbfs: -45.0,
        }
    }
}

/// When a camera picture counts as covered, dark, backlit or over-exposed. Luma is 0–255.
#[derive(Debug, Clone, PartialEq)]
pub struct LightPolicy {
    /// Covered lens or black frame: nearly everything black. LiveKit's check calls a camera dead
    /// when all pixels are black; a lens cap or a finger still lets a little light through, so
    /// allow a mean up to 12 with 95 % of pixels below 25 (BSI OFIQ's under-exposed band).
    pub covered_mean: f64,
    pub covered_p95: u8,
    /// Too dark: WebRTC's former brightness detector flagged a median below 60 when the 95th
    /// percentile stayed below 130 (no bright parts at all). The mean stands in for the median.
    pub dark_mean: f64,
    pub dark_p95: u8,
    /// Backlit: nobody publishes a figure, so this is ours. With a window behind a person the
    /// border is bright (≥ 120) and the middle, where the face is, gets less than 60 % of its
    /// brightness. The made picture tests/pictures/backlit.png (a dark head and shoulders before
    /// a bright window, with some window still in the middle) measures 0.55; the well-lit one
    /// 1.23; an evenly lit room with a darker jumper stays around 0.75.
    pub backlit_ratio: f64,
    pub backlit_border: f64,
    /// Over-exposed: a quarter of the picture blown out (luma > 246, BSI OFIQ's over-exposed
    /// band), or the whole picture very bright.
    pub blown_share: f64,
    pub bright_mean: f64,
}

impl Default for LightPolicy {
    fn default() -> Self {
        LightPolicy {
            covered_mean: 12.0,
            covered_p95: 25,
            dark_mean: 60.0,
            dark_p95: 130,
            backlit_ratio: 0.6,
            backlit_border: 120.0,
            blown_share: 0.25,
            bright_mean: 215.0,
        }
    }
}

/// How a picture is lit, in the words the JSON report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lighting {
    Ok,
    Covered,
    Dark,
    Backlit,
    Overexposed,
}

impl Lighting {
    pub fn as_str(self) -> &'static str {
        match self {
            Lighting::Ok => "ok",
            Lighting::Covered => "covered",
            Lighting::Dark => "dark",
            Lighting::Backlit => "backlit",
            Lighting::Overexposed => "overexposed",
        }
    }

    /// Covered first (a black frame is also "dark"), backlit before over-exposed (the window
    /// behind a person is often blown out).
    pub fn of(p: &PictureStats, policy: &LightPolicy) -> Lighting {
        if p.mean_luma <= policy.covered_mean && p.p95_luma < policy.covered_p95 {
            Lighting::Covered
        } else if p.mean_luma < policy.dark_mean && p.p95_luma < policy.dark_p95 {
            Lighting::Dark
        } else if p.center_to_border < policy.backlit_ratio
            && p.border_luma >= policy.backlit_border
        {
            Lighting::Backlit
        } else if p.blown_share >= policy.blown_share || p.mean_luma >= policy.bright_mean {
            Lighting::Overexposed
        } else {
            Lighting::Ok
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            battery_fail_percent: 20,
            battery_fail_minutes: 30,
            wifi_fail_dbm: -75,
            light: LightPolicy::default(),
            sound: SoundPolicy::default(),
        }
    }
}

/// A value for a `{placeholder}`: plain text, another message of the same item, or a list of apps
/// (rendered with their rating in the user's language).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Message(&'static str, Vec<(&'static str, Arg)>),
    Apps(Vec<(String, Avg)>),
    Names(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub message: &'static str,
    pub args: Vec<(&'static str, Arg)>,
    pub facts: Value,
}

fn outcome(
    status: Status,
    message: &'static str,
    args: Vec<(&'static str, Arg)>,
    facts: Value,
) -> Outcome {
    Outcome {
        status,
        message,
        args,
        facts,
    }
}

fn text(value: impl ToString) -> Arg {
    Arg::Text(value.to_string())
}

/// `None` when the facts are not the kind this item reads (a wiring mistake, reported as unknown).
pub fn evaluate(item: &str, facts: &Facts, apps: &[AppDef], policy: &Policy) -> Option<Outcome> {
    match (item, facts) {
        ("power", Facts::Power(p)) => Some(power(p, policy)),
        ("network", Facts::Connectivity(c)) => Some(network(c, policy)),
        ("vpn", Facts::Connectivity(c)) => Some(vpn(c)),
        ("call_apps", Facts::Processes(p)) => Some(call_apps(p, apps)),
        ("screen_share", Facts::Processes(p)) => {
            Some(named_apps(p, apps, Role::Chat, Status::Warn))
        }
        ("cloud_sync", Facts::Processes(p)) => Some(named_apps(p, apps, Role::Sync, Status::Info)),
        ("camera", Facts::Camera(c)) => Some(camera(c, apps)),
        ("camera_light", Facts::Camera(c)) => Some(camera_light(c, &policy.light)),
        ("microphone", Facts::Microphone(m)) => Some(microphone(m, &policy.sound)),
        ("noise", Facts::Microphone(m)) => Some(noise(m, &policy.sound)),
        _ => None,
    }
}

/// Every message key the rules can produce for `item`, so a test can hold the catalogue to it.
pub fn message_keys(item: &str) -> &'static [&'static str] {
    match item {
        "power" => &[
            "on_ac",
            "on_ac_charging",
            "on_battery",
            "low_battery",
            "minutes",
            "hours",
            "undecided",
        ],
        "network" => &[
            "wired",
            "wifi",
            "wifi_weak",
            "signal",
            "mobile",
            "other",
            "none",
            "via_tunnel",
        ],
        "vpn" => &["full", "split", "active", "none", "ipsec_unknown"],
        "call_apps" => &["not_avg", "conditional", "fine", "none"],
        "screen_share" | "cloud_sync" => &["open", "none"],
        "camera" => &["works", "none", "denied", "busy", "no_frames"],
        "camera_light" => &[
            "ok",
            "covered",
            "dark",
            "backlit",
            "overexposed",
            "no_picture",
        ],
        _ => &[],
    }
}

/// The message keys of `item` that come with a fail, warn or unknown status: each needs a few
/// words for the verdict (`[items.short]` in the catalogue).
pub fn problem_keys(item: &str) -> &'static [&'static str] {
    match item {
        "power" => &["on_battery", "low_battery", "undecided"],
        "network" => &["wifi", "wifi_weak", "mobile", "other", "none"],
        "vpn" => &["none", "ipsec_unknown"],
        "call_apps" => &["not_avg", "conditional"],
        "screen_share" => &["open"],
        "camera" => &["none", "denied", "busy", "no_frames"],
        "camera_light" => &["covered", "dark", "backlit", "overexposed"],
        "microphone" => &[
            "none",
            "muted",
            "bluetooth",
            "no_sound",
            "silent",
            "quiet",
            "clipping",
        ],
        "noise" => &["noisy"],
        _ => &[],
    }
}

fn camera(c: &CameraFacts, apps: &[AppDef]) -> Outcome {
    let facts = json!({
        "present": c.present,
        "name": c.name,
        "busy_by": c.busy_by,
        "first_frame_ms": c.first_frame_ms,
    });
    let name = text(device_name(c.name.as_deref().unwrap_or_default()));
    // "zoom" reads better as the app's own name.
    let app_name = |program: &str| {
        apps.iter()
            .find(|a| a.names.iter().any(|n| n == program))
            .map(|a| a.name.clone())
            .unwrap_or_else(|| program.to_string())
    };
    match (c.present, c.denied, &c.busy_by, c.first_frame_ms) {
        (false, ..) => outcome(Status::Fail, "none", vec![], facts),
        (true, true, ..) => outcome(Status::Fail, "denied", vec![("name", name)], facts),
        (true, false, Some(program), None) => outcome(
            Status::Warn,
            "busy",
            vec![("name", name), ("app", text(app_name(program)))],
            facts,
        ),
        (true, false, _, None) => outcome(Status::Fail, "no_frames", vec![("name", name)], facts),
        (true, false, _, Some(ms)) => outcome(
            Status::Pass,
            "works",
            vec![("name", name), ("ms", text(ms))],
            facts,
        ),
    }
}

/// A camera's name as people know it. UVC drivers give "model: model" cut at 31 characters
/// ("Integrated Camera: Integrated C"); the cut repeat after the colon goes.
pub fn device_name(name: &str) -> String {
    match name.split_once(": ") {
        Some((model, repeat)) if !repeat.is_empty() && model.starts_with(repeat.trim_end()) => {
            model.to_string()
        }
        _ => name.to_string(),
    }
}

fn camera_light(c: &CameraFacts, policy: &LightPolicy) -> Outcome {
    let Some(picture) = c.picture.filter(|_| c.present) else {
        let facts = json!({ "lighting": null, "mean_luma": null, "center_to_border": null });
        return outcome(Status::Info, "no_picture", vec![], facts);
    };
    let lighting = Lighting::of(&picture, policy);
    let facts = json!({
        "lighting": lighting.as_str(),
        "mean_luma": picture.mean_luma,
        "center_to_border": picture.center_to_border,
    });
    let status = match lighting {
        Lighting::Ok => Status::Pass,
        Lighting::Covered => Status::Fail,
        Lighting::Dark | Lighting::Backlit | Lighting::Overexposed => Status::Warn,
    };
    outcome(status, lighting.as_str(), vec![], facts)
}

fn microphone(m: &MicrophoneFacts, policy: &SoundPolicy) -> Outcome {
    let sound = m.sound.as_ref();
    let facts = json!({
        "present": m.present,
        "name": m.name,
        "muted": m.muted,
        "rms_dbfs": sound.map(|s| s.rms_dbfs),
        "peak_dbfs": sound.map(|s| s.peak_dbfs),
        "clipping_pct": sound.map(|s| s.clipping_pct),
    });
    let name = text(m.name.clone().unwrap_or_default());
    let level = text(sound.map(|s| s.loud_dbfs.round()).unwrap_or_default());
    if !m.present {
        return outcome(Status::Fail, "none", vec![], facts);
    }
    if m.muted == Some(true) {
        return outcome(Status::Fail, "muted", vec![("name", name)], facts);
    }
    if let Some(headset) = &m.bluetooth_without_mic {
        return outcome(
            Status::Warn,
            "bluetooth",
            vec![("headset", text(headset))],
            facts,
        );
    }
    let Some(s) = sound else {
        return outcome(Status::Fail, "no_sound", vec![("name", name)], facts);
    };
    let limit = text(policy.quiet_dbfs);
    if s.digital_silence {
        outcome(Status::Fail, "silent", vec![("name", name)], facts)
    } else if s.clipping_pct >= policy.clipping_pct {
        outcome(Status::Warn, "clipping", vec![("name", name)], facts)
    } else if s.loud_dbfs < policy.quiet_dbfs {
        outcome(
            Status::Warn,
            "quiet",
            vec![("name", name), ("level", level), ("limit", limit)],
            facts,
        )
    } else {
        outcome(
            Status::Pass,
            "works",
            vec![("name", name), ("level", level), ("limit", limit)],
            facts,
        )
    }
}

fn noise(m: &MicrophoneFacts, policy: &SoundPolicy) -> Outcome {
    let floor = m
        .sound
        .filter(|s| !s.digital_silence)
        .map(|s| s.noise_floor_dbfs);
    let noisy = floor.is_some_and(|f| f > policy.noisy_floor_dbfs);
    let facts = json!({ "noise_floor_dbfs": floor, "headset_advised": noisy });
    let limit = || ("limit", text(policy.noisy_floor_dbfs));
    match floor {
        None => outcome(Status::Info, "no_sound", vec![], facts),
        Some(f) if noisy => outcome(
            Status::Warn,
            "noisy",
            vec![("level", text(f.round())), limit()],
            facts,
        ),
        Some(f) => outcome(
            Status::Pass,
            "quiet",
            vec![("level", text(f.round())), limit()],
            facts,
        ),
    }
}

fn power(p: &PowerFacts, policy: &Policy) -> Outcome {
    let facts = json!(p);
    let percent = p.battery_percent.map(text).unwrap_or_else(|| text("?"));
    // Past an hour and a half, hours read better than "457 minuten".
    let minutes_text = match p.minutes_left {
        Some(m) if m >= 90 => Arg::Message("hours", vec![("hours", text((m + 30) / 60))]),
        Some(m) => Arg::Message("minutes", vec![("minutes", text(m))]),
        None => text(""),
    };
    match p.on_battery {
        None => outcome(Status::Unknown, "undecided", vec![], facts),
        Some(false) if p.battery_percent.is_some() => outcome(
            Status::Pass,
            "on_ac_charging",
            vec![("percent", percent)],
            facts,
        ),
        Some(false) => outcome(Status::Pass, "on_ac", vec![], facts),
        Some(true) => {
            let low = p
                .battery_percent
                .is_some_and(|b| b <= policy.battery_fail_percent)
                || p.minutes_left
                    .is_some_and(|m| m <= policy.battery_fail_minutes);
            let (status, message) = if low {
                (Status::Fail, "low_battery")
            } else {
                (Status::Warn, "on_battery")
            };
            outcome(
                status,
                message,
                vec![("percent", percent), ("minutes_text", minutes_text)],
                facts,
            )
        }
    }
}

fn network(c: &Connectivity, policy: &Policy) -> Outcome {
    let n = &c.network;
    let facts = json!(n);
    let interface = text(n.interface.clone().unwrap_or_else(|| "?".into()));
    let tunnel = match &n.tunnel {
        Some(t) => Arg::Message("via_tunnel", vec![("tunnel", text(t))]),
        None => text(""),
    };
    let (status, message, mut args) = match n.kind {
        LinkKind::Wired => (Status::Pass, "wired", vec![("interface", interface)]),
        LinkKind::Wifi => match n.signal_dbm {
            Some(dbm) if dbm < policy.wifi_fail_dbm => (
                Status::Fail,
                "wifi_weak",
                vec![
                    ("interface", interface),
                    ("dbm", text(dbm)),
                    ("limit", text(policy.wifi_fail_dbm)),
                ],
            ),
            Some(dbm) => (
                Status::Warn,
                "wifi",
                vec![
                    ("interface", interface),
                    (
                        "signal_text",
                        Arg::Message("signal", vec![("dbm", text(dbm))]),
                    ),
                    ("limit", text(policy.wifi_fail_dbm)),
                ],
            ),
            None => (
                Status::Warn,
                "wifi",
                vec![("interface", interface), ("signal_text", text(""))],
            ),
        },
        LinkKind::Mobile => (Status::Warn, "mobile", vec![("interface", interface)]),
        LinkKind::Other => (Status::Unknown, "other", vec![("interface", interface)]),
        LinkKind::None => (Status::Fail, "none", vec![]),
    };
    // Every message but "none" ends with the tunnel note.
    if n.kind != LinkKind::None {
        args.push(("tunnel_text", tunnel));
    }
    outcome(status, message, args, facts)
}

fn vpn(c: &Connectivity) -> Outcome {
    let v = &c.vpn;
    let facts = json!(v);
    // Policy-based IPsec has no interface to name.
    let mut shown = v.interfaces.clone();
    if v.ipsec && shown.is_empty() {
        shown.push("IPsec".into());
    }
    let names = vec![("interfaces", Arg::Names(shown))];
    match (v.active, v.full_tunnel) {
        (false, _) => match &v.ipsec_unknown {
            Some(program) => outcome(
                Status::Unknown,
                "ipsec_unknown",
                vec![("program", text(program))],
                facts,
            ),
            None => outcome(Status::Warn, "none", vec![], facts),
        },
        (true, Some(true)) => outcome(Status::Pass, "full", names, facts),
        (true, Some(false)) => outcome(Status::Pass, "split", names, facts),
        (true, None) => outcome(Status::Pass, "active", names, facts),
    }
}

fn call_apps(p: &ProcessList, apps: &[AppDef]) -> Outcome {
    let running: Vec<&AppDef> = recognise(p, apps)
        .into_iter()
        .filter(|a| a.roles.contains(&Role::Call))
        .collect();
    let facts = json!({ "running": running.iter().map(|a| json!({"app": a.key, "name": a.name, "avg": a.avg})).collect::<Vec<_>>() });
    let with = |avg: Avg| -> Vec<(String, Avg)> {
        running
            .iter()
            .filter(|a| a.avg == avg)
            .map(|a| (a.name.clone(), a.avg))
            .collect()
    };
    let (not_avg, conditional) = (with(Avg::No), with(Avg::Conditional));
    // The message says the rating once; the app names alone go in it.
    let names = |apps: &[(String, Avg)]| Arg::Names(apps.iter().map(|(n, _)| n.clone()).collect());
    if !not_avg.is_empty() {
        outcome(
            Status::Fail,
            "not_avg",
            vec![("names", names(&not_avg)), ("apps", Arg::Apps(not_avg))],
            facts,
        )
    } else if !conditional.is_empty() {
        outcome(
            Status::Warn,
            "conditional",
            vec![
                ("names", names(&conditional)),
                ("apps", Arg::Apps(conditional)),
            ],
            facts,
        )
    } else if running.is_empty() {
        outcome(Status::Pass, "none", vec![], facts)
    } else {
        let all = running.iter().map(|a| (a.name.clone(), a.avg)).collect();
        outcome(Status::Pass, "fine", vec![("apps", Arg::Apps(all))], facts)
    }
}

fn named_apps(p: &ProcessList, apps: &[AppDef], role: Role, status: Status) -> Outcome {
    let names: Vec<String> = recognise(p, apps)
        .into_iter()
        .filter(|a| a.roles.contains(&role))
        .map(|a| a.name.clone())
        .collect();
    let facts = json!({ "apps": names });
    if names.is_empty() {
        outcome(Status::Pass, "none", vec![], facts)
    } else {
        outcome(status, "open", vec![("apps", Arg::Names(names))], facts)
    }
}
