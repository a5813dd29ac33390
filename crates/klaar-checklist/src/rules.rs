//! The rules: from one item's facts to a status and the message that explains it. Thresholds are
//! in [`Thresholds`]; texts are in the catalogue, named by message key.

use crate::apps::recognise;
use crate::catalogue::{AppDef, Avg, Role};
use crate::policy::Decided;
use crate::report::Status;
use klaar_facts::{
    CameraFacts, ConnectFailure, ConnectionFacts, Connectivity, ConnectivityState,
    DiskEncryptionFacts, Facts, LinkKind, MicrophoneFacts, PictureStats, PortalFacts, PowerFacts,
    ProcessList, ScreenLockFacts, TargetSource, UpdatesFacts, UsbStorageFacts, WifiSecurity,
    WifiSecurityFacts,
};
use serde_json::{json, Value};

/// Thresholds. The defaults follow the guides and common call guidance.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// Fail on battery at or below this charge (seed 000 asks for mains power; below this a call
    /// of an hour is at risk).
    pub battery_fail_percent: u8,
    /// Fail on battery at or below this many minutes left.
    pub battery_fail_minutes: u32,
    /// Fail on Wi-Fi weaker than this: below −75 dBm is "poor" in usual call guidance.
    pub wifi_fail_dbm: i32,
    pub light: LightThresholds,
    pub sound: SoundThresholds,
    /// Warn when the screen locks later than this after the last use, in seconds: the CIS
    /// GNOME benchmark (and ComplianceAsCode) set the idle delay to at most 900 s.
    pub screen_lock_max_s: u32,
    /// Round trips to the meeting service: above `rtt_warn_ms` a warning, above `rtt_fail_ms`
    /// too slow (testRTC's grades: below 200 ms good, 200–500 ms fair, above 500 ms bad).
    pub rtt_warn_ms: f64,
    pub rtt_fail_ms: f64,
    /// Warn when consecutive round trips differ by more than this on average (Twilio's
    /// StatsMonitor warns above 30 ms of jitter).
    pub jitter_warn_ms: f64,
}

/// When a recording counts as too quiet, clipping or noisy. Levels in dBFS.
#[derive(Debug, Clone, PartialEq)]
pub struct SoundThresholds {
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

impl Default for SoundThresholds {
    fn default() -> Self {
        SoundThresholds {
            quiet_dbfs: -50.0,
            clipping_pct: 5.0,
            noisy_floor_dbfs: -45.0,
        }
    }
}

/// When a camera picture counts as covered, dark, backlit or over-exposed. Luma is 0–255.
#[derive(Debug, Clone, PartialEq)]
pub struct LightThresholds {
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

impl Default for LightThresholds {
    fn default() -> Self {
        LightThresholds {
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
    pub fn of(p: &PictureStats, limits: &LightThresholds) -> Lighting {
        if p.mean_luma <= limits.covered_mean && p.p95_luma < limits.covered_p95 {
            Lighting::Covered
        } else if p.mean_luma < limits.dark_mean && p.p95_luma < limits.dark_p95 {
            Lighting::Dark
        } else if p.center_to_border < limits.backlit_ratio
            && p.border_luma >= limits.backlit_border
        {
            Lighting::Backlit
        } else if p.blown_share >= limits.blown_share || p.mean_luma >= limits.bright_mean {
            Lighting::Overexposed
        } else {
            Lighting::Ok
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            battery_fail_percent: 20,
            battery_fail_minutes: 30,
            wifi_fail_dbm: -75,
            light: LightThresholds::default(),
            sound: SoundThresholds::default(),
            screen_lock_max_s: 900,
            rtt_warn_ms: 200.0,
            rtt_fail_ms: 500.0,
            jitter_warn_ms: 30.0,
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
    /// The message's key in the catalogue (from the item's [`Message`] type).
    pub message: &'static str,
    pub args: Vec<(&'static str, Arg)>,
    pub facts: Value,
    /// What the organisation's policy decided in it (an app approved or forbidden).
    pub organisation: Vec<Decided>,
}

fn outcome<M: Message>(
    status: Status,
    message: M,
    args: Vec<(&'static str, Arg)>,
    facts: Value,
) -> Outcome {
    Outcome {
        status,
        message: message.key(),
        args,
        facts,
        organisation: Vec::new(),
    }
}

/// Another message of the same item as a placeholder's value ("nog 2 uur").
fn part<M: Message>(message: M, args: Vec<(&'static str, Arg)>) -> Arg {
    Arg::Message(message.key(), args)
}

/// The messages one item's rule gives, typed: each is a message key of the item in the
/// catalogue. A test holds the catalogue to them both ways (a rule's message the catalogue
/// lacks, a catalogue message no rule gives).
pub trait Message: Copy + 'static {
    /// Every message of the item.
    const ALL: &'static [Self];
    /// The key in the catalogue's `[items.messages]`.
    fn key(self) -> &'static str;
    /// Whether it comes with a fail, warn or unknown status, so the verdict needs a few words
    /// for it (`[items.short]`).
    fn holds_back(self) -> bool;
}

/// An item's messages: `Variant = "key"`, with `[problem]` after the key for those that hold
/// the verdict back.
macro_rules! messages {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal $([$problem:ident])?),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),*
        }

        impl Message for $name {
            const ALL: &'static [Self] = &[$($name::$variant),*];
            fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),*
                }
            }
            fn holds_back(self) -> bool {
                match self {
                    $($name::$variant => messages!(@problem $($problem)?)),*
                }
            }
        }
    };
    (@problem problem) => { true };
    (@problem) => { false };
}

messages! {
    /// `power`: mains or battery, and how long the battery lasts.
    PowerMsg {
        OnAc = "on_ac", OnAcCharging = "on_ac_charging", OnBattery = "on_battery" [problem],
        LowBattery = "low_battery" [problem], Minutes = "minutes", Hours = "hours",
        Undecided = "undecided" [problem],
    }
}
messages! {
    /// `network`: the link to the internet.
    NetworkMsg {
        Wired = "wired", Wifi = "wifi" [problem], WifiWeak = "wifi_weak" [problem], Signal = "signal",
        Mobile = "mobile" [problem], Other = "other" [problem], None = "none" [problem], ViaTunnel = "via_tunnel",
    }
}
messages! {
    /// `vpn`: a tunnel, full or split.
    VpnMsg {
        Full = "full", Split = "split", Active = "active", None = "none" [problem],
        IpsecUnknown = "ipsec_unknown" [problem],
    }
}
messages! {
    /// `wifi_security`: how the Wi-Fi network in use is protected.
    WifiMsg {
        Secure = "secure", Owe = "owe" [problem], Weak = "weak" [problem], Open = "open" [problem],
        Undecided = "undecided" [problem], Wired = "wired", Mobile = "mobile", NoWifi = "no_wifi",
    }
}
messages! {
    /// `captive_portal`: a sign-in page before the internet.
    PortalMsg {
        Full = "full", Portal = "portal" [problem], Limited = "limited" [problem],
        Offline = "offline", NotChecked = "not_checked", CheckOn = "check_on", CheckOff = "check_off",
    }
}
messages! {
    /// `disk_encryption`: the system's and the home folder's filesystems.
    DiskMsg {
        Encrypted = "encrypted", HomeOnly = "home_only", Plain = "plain" [problem],
        Undecided = "undecided" [problem],
    }
}
messages! {
    /// `usb_storage`: removable storage mounted now.
    UsbMsg { None = "none", Encrypted = "encrypted", Plain = "plain" [problem] }
}
messages! {
    /// `screen_lock`: the automatic screen lock.
    ScreenLockMsg { On = "on", Late = "late" [problem], Off = "off" [problem] }
}
messages! {
    /// `updates`: updates waiting, a restart waiting.
    UpdatesMsg {
        Current = "current", Pending = "pending" [problem], PendingSecurity = "pending_security" [problem],
        Reboot = "reboot" [problem], RebootToo = "reboot_too", PendingUnknown = "pending_unknown",
    }
}
messages! {
    /// `connection`: round trips to the meeting service.
    ConnectionMsg {
        Good = "good", Slow = "slow" [problem], TooSlow = "too_slow" [problem],
        Unsteady = "unsteady" [problem], NotFound = "not_found" [problem],
        Refused = "refused" [problem], Unreachable = "unreachable" [problem],
        NoTarget = "no_target", OrganisationService = "organisation_service",
        ByOrganisation = "by_organisation", ByMeeting = "by_meeting", ByApp = "by_app",
    }
}
messages! {
    /// `call_apps`: the call apps running and their rating.
    CallAppsMsg {
        Forbidden = "forbidden" [problem], NotAvg = "not_avg" [problem], Conditional = "conditional" [problem],
        Approved = "approved", Fine = "fine", None = "none",
    }
}
messages! {
    /// `screen_share`: mail and chat apps that can pop up while sharing the screen.
    ScreenShareMsg { Forbidden = "forbidden" [problem], Open = "open" [problem], None = "none" }
}
messages! {
    /// `cloud_sync`: consumer sync clients running.
    CloudSyncMsg { Forbidden = "forbidden" [problem], Open = "open" [problem], Approved = "approved", None = "none" }
}
messages! {
    /// `camera`: there, free and giving pictures.
    CameraMsg {
        Works = "works", None = "none" [problem], Denied = "denied" [problem], Busy = "busy" [problem],
        NoFrames = "no_frames" [problem],
    }
}
messages! {
    /// `camera_light`: how the picture is lit.
    CameraLightMsg {
        Ok = "ok", Covered = "covered" [problem], Dark = "dark" [problem], Backlit = "backlit" [problem],
        Overexposed = "overexposed" [problem], NoPicture = "no_picture",
    }
}
messages! {
    /// `microphone`: there, on, and heard at a good level.
    MicrophoneMsg {
        Works = "works", None = "none" [problem], Muted = "muted" [problem], Bluetooth = "bluetooth" [problem],
        NoSound = "no_sound" [problem], Silent = "silent" [problem], Quiet = "quiet" [problem], Clipping = "clipping" [problem],
    }
}
messages! {
    /// `noise`: the room between words.
    NoiseMsg { Quiet = "quiet", Noisy = "noisy" [problem], NoSound = "no_sound" }
}

/// One item's rule: which facts it reads, and its messages.
struct Rule {
    item: &'static str,
    keys: fn() -> Vec<&'static str>,
    holding_back: fn() -> Vec<&'static str>,
    evaluate: fn(&Facts, &[AppDef], &Thresholds) -> Option<Outcome>,
}

impl Rule {
    const fn of<M: Message>(
        item: &'static str,
        evaluate: fn(&Facts, &[AppDef], &Thresholds) -> Option<Outcome>,
    ) -> Rule {
        Rule {
            item,
            keys: || M::ALL.iter().map(|m| m.key()).collect(),
            holding_back: || {
                M::ALL
                    .iter()
                    .filter(|m| m.holds_back())
                    .map(|m| m.key())
                    .collect()
            },
            evaluate,
        }
    }
}

/// Every item a rule answers: its facts, its rule and its messages, in one place.
const RULES: &[Rule] = &[
    Rule::of::<PowerMsg>("power", |f, _, limits| match f {
        Facts::Power(p) => Some(power(p, limits)),
        _ => None,
    }),
    Rule::of::<NetworkMsg>("network", |f, _, limits| match f {
        Facts::Connectivity(c) => Some(network(c, limits)),
        _ => None,
    }),
    Rule::of::<VpnMsg>("vpn", |f, _, _| match f {
        Facts::Connectivity(c) => Some(vpn(c)),
        _ => None,
    }),
    Rule::of::<WifiMsg>("wifi_security", |f, _, _| match f {
        Facts::WifiSecurity(w) => Some(wifi_security(w)),
        _ => None,
    }),
    Rule::of::<PortalMsg>("captive_portal", |f, _, _| match f {
        Facts::CaptivePortal(p) => Some(captive_portal(p)),
        _ => None,
    }),
    Rule::of::<DiskMsg>("disk_encryption", |f, _, _| match f {
        Facts::DiskEncryption(d) => Some(disk_encryption(d)),
        _ => None,
    }),
    Rule::of::<UsbMsg>("usb_storage", |f, _, _| match f {
        Facts::UsbStorage(u) => Some(usb_storage(u)),
        _ => None,
    }),
    Rule::of::<ScreenLockMsg>("screen_lock", |f, _, limits| match f {
        Facts::ScreenLock(l) => Some(screen_lock(l, limits)),
        _ => None,
    }),
    Rule::of::<UpdatesMsg>("updates", |f, _, _| match f {
        Facts::Updates(u) => Some(updates(u)),
        _ => None,
    }),
    Rule::of::<ConnectionMsg>("connection", |f, _, limits| match f {
        Facts::Connection(c) => Some(connection(c, limits)),
        _ => None,
    }),
    Rule::of::<CallAppsMsg>(Role::Call.item(), |f, apps, _| match f {
        Facts::Processes(p) => Some(call_apps(p, apps)),
        _ => None,
    }),
    Rule::of::<ScreenShareMsg>(Role::Chat.item(), |f, apps, _| match f {
        Facts::Processes(p) => Some(named_apps(
            p,
            apps,
            Role::Chat,
            Named {
                open: (Status::Warn, ScreenShareMsg::Open),
                none: ScreenShareMsg::None,
                forbidden: ScreenShareMsg::Forbidden,
                approved: None,
            },
        )),
        _ => None,
    }),
    Rule::of::<CloudSyncMsg>(Role::Sync.item(), |f, apps, _| match f {
        Facts::Processes(p) => Some(named_apps(
            p,
            apps,
            Role::Sync,
            Named {
                open: (Status::Warn, CloudSyncMsg::Open),
                none: CloudSyncMsg::None,
                forbidden: CloudSyncMsg::Forbidden,
                approved: Some(CloudSyncMsg::Approved),
            },
        )),
        _ => None,
    }),
    Rule::of::<CameraMsg>("camera", |f, apps, _| match f {
        Facts::Camera(c) => Some(camera(c, apps)),
        _ => None,
    }),
    Rule::of::<CameraLightMsg>("camera_light", |f, _, limits| match f {
        Facts::Camera(c) => Some(camera_light(c, &limits.light)),
        _ => None,
    }),
    Rule::of::<MicrophoneMsg>("microphone", |f, _, limits| match f {
        Facts::Microphone(m) => Some(microphone(m, &limits.sound)),
        _ => None,
    }),
    Rule::of::<NoiseMsg>("noise", |f, _, limits| match f {
        Facts::Microphone(m) => Some(noise(m, &limits.sound)),
        _ => None,
    }),
];

fn rule(item: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.item == item)
}

fn text(value: impl ToString) -> Arg {
    Arg::Text(value.to_string())
}

/// `None` when no rule answers `item`, or the facts are not the kind it reads (a wiring
/// mistake, reported as unknown).
pub fn evaluate(
    item: &str,
    facts: &Facts,
    apps: &[AppDef],
    limits: &Thresholds,
) -> Option<Outcome> {
    (rule(item)?.evaluate)(facts, apps, limits)
}

/// The items a rule answers.
pub fn items() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.item)
}

/// Every message key the rule for `item` can give (none when no rule answers it), so a test
/// can hold the catalogue to it both ways.
pub fn message_keys(item: &str) -> Vec<&'static str> {
    rule(item).map(|r| (r.keys)()).unwrap_or_default()
}

/// The message keys of `item` that come with a fail, warn or unknown status: each needs a few
/// words for the verdict (`[items.short]` in the catalogue).
pub fn problem_keys(item: &str) -> Vec<&'static str> {
    rule(item).map(|r| (r.holding_back)()).unwrap_or_default()
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
        (false, ..) => outcome(Status::Fail, CameraMsg::None, vec![], facts),
        (true, true, ..) => outcome(Status::Fail, CameraMsg::Denied, vec![("name", name)], facts),
        (true, false, Some(program), None) => outcome(
            Status::Warn,
            CameraMsg::Busy,
            vec![("name", name), ("app", text(app_name(program)))],
            facts,
        ),
        (true, false, _, None) => outcome(
            Status::Fail,
            CameraMsg::NoFrames,
            vec![("name", name)],
            facts,
        ),
        (true, false, _, Some(ms)) => outcome(
            Status::Pass,
            CameraMsg::Works,
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

fn camera_light(c: &CameraFacts, limits: &LightThresholds) -> Outcome {
    let Some(picture) = c.picture.filter(|_| c.present) else {
        let facts = json!({ "lighting": null, "mean_luma": null, "center_to_border": null });
        return outcome(Status::Info, CameraLightMsg::NoPicture, vec![], facts);
    };
    let lighting = Lighting::of(&picture, limits);
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
    let message = match lighting {
        Lighting::Ok => CameraLightMsg::Ok,
        Lighting::Covered => CameraLightMsg::Covered,
        Lighting::Dark => CameraLightMsg::Dark,
        Lighting::Backlit => CameraLightMsg::Backlit,
        Lighting::Overexposed => CameraLightMsg::Overexposed,
    };
    outcome(status, message, vec![], facts)
}

fn microphone(m: &MicrophoneFacts, limits: &SoundThresholds) -> Outcome {
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
        return outcome(Status::Fail, MicrophoneMsg::None, vec![], facts);
    }
    if m.muted == Some(true) {
        return outcome(
            Status::Fail,
            MicrophoneMsg::Muted,
            vec![("name", name)],
            facts,
        );
    }
    if let Some(headset) = &m.bluetooth_without_mic {
        return outcome(
            Status::Warn,
            MicrophoneMsg::Bluetooth,
            vec![("headset", text(headset))],
            facts,
        );
    }
    let Some(s) = sound else {
        return outcome(
            Status::Fail,
            MicrophoneMsg::NoSound,
            vec![("name", name)],
            facts,
        );
    };
    let limit = text(limits.quiet_dbfs);
    if s.digital_silence {
        outcome(
            Status::Fail,
            MicrophoneMsg::Silent,
            vec![("name", name)],
            facts,
        )
    } else if s.clipping_pct >= limits.clipping_pct {
        outcome(
            Status::Warn,
            MicrophoneMsg::Clipping,
            vec![("name", name)],
            facts,
        )
    } else if s.loud_dbfs < limits.quiet_dbfs {
        outcome(
            Status::Warn,
            MicrophoneMsg::Quiet,
            vec![("name", name), ("level", level), ("limit", limit)],
            facts,
        )
    } else {
        outcome(
            Status::Pass,
            MicrophoneMsg::Works,
            vec![("name", name), ("level", level), ("limit", limit)],
            facts,
        )
    }
}

fn noise(m: &MicrophoneFacts, limits: &SoundThresholds) -> Outcome {
    let floor = m
        .sound
        .filter(|s| !s.digital_silence)
        .map(|s| s.noise_floor_dbfs);
    let noisy = floor.is_some_and(|f| f > limits.noisy_floor_dbfs);
    let facts = json!({ "noise_floor_dbfs": floor, "headset_advised": noisy });
    let limit = || ("limit", text(limits.noisy_floor_dbfs));
    match floor {
        None => outcome(Status::Info, NoiseMsg::NoSound, vec![], facts),
        Some(f) if noisy => outcome(
            Status::Warn,
            NoiseMsg::Noisy,
            vec![("level", text(f.round())), limit()],
            facts,
        ),
        Some(f) => outcome(
            Status::Pass,
            NoiseMsg::Quiet,
            vec![("level", text(f.round())), limit()],
            facts,
        ),
    }
}

fn power(p: &PowerFacts, limits: &Thresholds) -> Outcome {
    let facts = json!(p);
    let percent = p.battery_percent.map(text).unwrap_or_else(|| text("?"));
    // Past an hour and a half, hours read better than "457 minuten".
    let minutes_text = match p.minutes_left {
        Some(m) if m >= 90 => part(PowerMsg::Hours, vec![("hours", text((m + 30) / 60))]),
        Some(m) => part(PowerMsg::Minutes, vec![("minutes", text(m))]),
        None => text(""),
    };
    match p.on_battery {
        None => outcome(Status::Unknown, PowerMsg::Undecided, vec![], facts),
        Some(false) if p.battery_percent.is_some() => outcome(
            Status::Pass,
            PowerMsg::OnAcCharging,
            vec![("percent", percent)],
            facts,
        ),
        Some(false) => outcome(Status::Pass, PowerMsg::OnAc, vec![], facts),
        Some(true) => {
            let low = p
                .battery_percent
                .is_some_and(|b| b <= limits.battery_fail_percent)
                || p.minutes_left
                    .is_some_and(|m| m <= limits.battery_fail_minutes);
            let (status, message) = if low {
                (Status::Fail, PowerMsg::LowBattery)
            } else {
                (Status::Warn, PowerMsg::OnBattery)
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

fn network(c: &Connectivity, limits: &Thresholds) -> Outcome {
    let n = &c.network;
    let facts = json!(n);
    let interface = text(n.interface.clone().unwrap_or_else(|| "?".into()));
    let tunnel = match &n.tunnel {
        Some(t) => part(NetworkMsg::ViaTunnel, vec![("tunnel", text(t))]),
        None => text(""),
    };
    let (status, message, mut args) = match n.kind {
        LinkKind::Wired => (
            Status::Pass,
            NetworkMsg::Wired,
            vec![("interface", interface)],
        ),
        LinkKind::Wifi => match n.signal_dbm {
            Some(dbm) if dbm < limits.wifi_fail_dbm => (
                Status::Fail,
                NetworkMsg::WifiWeak,
                vec![
                    ("interface", interface),
                    ("dbm", text(dbm)),
                    ("limit", text(limits.wifi_fail_dbm)),
                ],
            ),
            Some(dbm) => (
                Status::Warn,
                NetworkMsg::Wifi,
                vec![
                    ("interface", interface),
                    (
                        "signal_text",
                        part(NetworkMsg::Signal, vec![("dbm", text(dbm))]),
                    ),
                    ("limit", text(limits.wifi_fail_dbm)),
                ],
            ),
            None => (
                Status::Warn,
                NetworkMsg::Wifi,
                vec![("interface", interface), ("signal_text", text(""))],
            ),
        },
        LinkKind::Mobile => (
            Status::Warn,
            NetworkMsg::Mobile,
            vec![("interface", interface)],
        ),
        LinkKind::Other => (
            Status::Unknown,
            NetworkMsg::Other,
            vec![("interface", interface)],
        ),
        LinkKind::None => (Status::Fail, NetworkMsg::None, vec![]),
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
                VpnMsg::IpsecUnknown,
                vec![("program", text(program))],
                facts,
            ),
            None => outcome(Status::Warn, VpnMsg::None, vec![], facts),
        },
        (true, Some(true)) => outcome(Status::Pass, VpnMsg::Full, names, facts),
        (true, Some(false)) => outcome(Status::Pass, VpnMsg::Split, names, facts),
        (true, None) => outcome(Status::Pass, VpnMsg::Active, names, facts),
    }
}

fn call_apps(p: &ProcessList, apps: &[AppDef]) -> Outcome {
    let running: Vec<&AppDef> = recognise(p, apps)
        .into_iter()
        .filter(|a| a.roles.contains(&Role::Call))
        .collect();
    let entry = |a: &&AppDef| {
        let mut entry = json!({"app": a.key, "name": a.name, "avg": a.avg});
        // Only where the organisation's policy says something of the app.
        if let Some(decided) = a.organisation {
            entry["organisation"] = json!(decided);
        }
        entry
    };
    let facts = json!({ "running": running.iter().map(entry).collect::<Vec<_>>() });
    let pick = |keep: &dyn Fn(&AppDef) -> bool| -> Vec<(String, Avg)> {
        running
            .iter()
            .filter(|a| keep(a))
            .map(|a| (a.name.clone(), a.avg))
            .collect()
    };
    // The organisation's word comes before the guide's rating.
    let forbidden = pick(&|a| a.organisation == Some(Decided::Forbidden));
    let approved = pick(&|a| a.organisation == Some(Decided::Approved));
    let rated = |avg: Avg| pick(&|a| a.organisation.is_none() && a.avg == avg);
    let (not_avg, conditional) = (rated(Avg::No), rated(Avg::Conditional));
    // The message says the rating once; the app names alone go in it.
    let names = |apps: &[(String, Avg)]| Arg::Names(apps.iter().map(|(n, _)| n.clone()).collect());
    let decided = |mut o: Outcome, d: Decided| {
        o.organisation.push(d);
        o
    };
    if !forbidden.is_empty() {
        let o = outcome(
            Status::Fail,
            CallAppsMsg::Forbidden,
            vec![("names", names(&forbidden)), ("apps", Arg::Apps(forbidden))],
            facts,
        );
        decided(o, Decided::Forbidden)
    } else if !not_avg.is_empty() {
        outcome(
            Status::Fail,
            CallAppsMsg::NotAvg,
            vec![("names", names(&not_avg)), ("apps", Arg::Apps(not_avg))],
            facts,
        )
    } else if !conditional.is_empty() {
        outcome(
            Status::Warn,
            CallAppsMsg::Conditional,
            vec![
                ("names", names(&conditional)),
                ("apps", Arg::Apps(conditional)),
            ],
            facts,
        )
    } else if running.is_empty() {
        outcome(Status::Pass, CallAppsMsg::None, vec![], facts)
    } else if !approved.is_empty() {
        // Approved by the organisation; the guide's rating stays in the details.
        let o = outcome(
            Status::Pass,
            CallAppsMsg::Approved,
            vec![("names", names(&approved)), ("apps", Arg::Apps(approved))],
            facts,
        );
        decided(o, Decided::Approved)
    } else {
        let all = running.iter().map(|a| (a.name.clone(), a.avg)).collect();
        outcome(
            Status::Pass,
            CallAppsMsg::Fine,
            vec![("apps", Arg::Apps(all))],
            facts,
        )
    }
}

/// The messages of an item that names running apps of one role.
struct Named<M> {
    /// Its status and message when such apps run, and when none do.
    open: (Status, M),
    none: M,
    /// One the organisation forbids runs (apps that call are `call_apps`' to name).
    forbidden: M,
    /// Only apps the organisation approved run; `None` when approval changes nothing (a mail
    /// program the organisation approved still pops up while sharing the screen).
    approved: Option<M>,
}

fn named_apps<M: Message>(p: &ProcessList, apps: &[AppDef], role: Role, m: Named<M>) -> Outcome {
    let found: Vec<&AppDef> = recognise(p, apps)
        .into_iter()
        .filter(|a| a.roles.contains(&role))
        .collect();
    let names = |keep: &dyn Fn(&AppDef) -> bool| -> Vec<String> {
        found
            .iter()
            .filter(|a| keep(a))
            .map(|a| a.name.clone())
            .collect()
    };
    let facts = json!({ "apps": names(&|_| true) });
    let forbidden = names(&|a| {
        a.organisation == Some(Decided::Forbidden) && a.forbidden_in().contains(&role.item())
    });
    let approved = |a: &AppDef| m.approved.is_some() && a.organisation == Some(Decided::Approved);
    let open = names(&|a| !approved(a));
    let mut o = if !forbidden.is_empty() {
        let mut o = outcome(
            Status::Fail,
            m.forbidden,
            vec![("apps", Arg::Names(forbidden))],
            facts,
        );
        o.organisation.push(Decided::Forbidden);
        o
    } else if found.is_empty() {
        outcome(Status::Pass, m.none, vec![], facts)
    } else if open.is_empty() {
        let approved = names(&|_| true);
        outcome(
            Status::Pass,
            m.approved.unwrap_or(m.none),
            vec![("apps", Arg::Names(approved))],
            facts,
        )
    } else {
        outcome(m.open.0, m.open.1, vec![("apps", Arg::Names(open))], facts)
    };
    if o.message != m.forbidden.key() && found.iter().any(|a| approved(a)) {
        o.organisation.push(Decided::Approved);
    }
    o
}

/// The names routers and settings windows use for each kind of protection.
fn security_name(s: WifiSecurity) -> &'static str {
    match s {
        WifiSecurity::Open => "open",
        WifiSecurity::Wep => "WEP",
        WifiSecurity::Wpa1 => "WPA (TKIP)",
        WifiSecurity::Owe => "OWE (Enhanced Open)",
        WifiSecurity::Wpa2 => "WPA2-Personal",
        WifiSecurity::Wpa3 => "WPA3-Personal",
        WifiSecurity::Enterprise => "WPA2/WPA3-Enterprise (802.1X)",
    }
}

/// Open, WEP and WPA1 fail (seed 000: "Werk niet op gratis Wifi"; seed 004: "Beveilig uw
/// internetverbinding met een sterk wachtwoord"; WEP and TKIP are broken); OWE encrypts but
/// lets anyone join: a warning; WPA2, WPA3 and enterprise pass. Not on Wi-Fi: nothing to judge.
fn wifi_security(w: &WifiSecurityFacts) -> Outcome {
    let facts = json!({
        "link": w.link.as_str(),
        "security": w.security.map(WifiSecurity::as_str),
        "ssid_hidden": w.ssid_hidden,
        "source": w.source,
    });
    let args = |s: WifiSecurity| {
        vec![
            ("kind", text(security_name(s))),
            ("source", text(&w.source)),
        ]
    };
    match (w.link, w.security) {
        (
            LinkKind::Wifi,
            Some(s @ (WifiSecurity::Wpa2 | WifiSecurity::Wpa3 | WifiSecurity::Enterprise)),
        ) => outcome(Status::Pass, WifiMsg::Secure, args(s), facts),
        (LinkKind::Wifi, Some(s @ WifiSecurity::Owe)) => {
            outcome(Status::Warn, WifiMsg::Owe, args(s), facts)
        }
        (LinkKind::Wifi, Some(s @ (WifiSecurity::Wep | WifiSecurity::Wpa1))) => {
            outcome(Status::Fail, WifiMsg::Weak, args(s), facts)
        }
        (LinkKind::Wifi, Some(s @ WifiSecurity::Open)) => {
            outcome(Status::Fail, WifiMsg::Open, args(s), facts)
        }
        (LinkKind::Wifi, None) => outcome(
            Status::Unknown,
            WifiMsg::Undecided,
            vec![("source", text(&w.source))],
            facts,
        ),
        (LinkKind::Wired, _) => outcome(Status::Pass, WifiMsg::Wired, vec![], facts),
        (LinkKind::Mobile, _) => outcome(Status::Pass, WifiMsg::Mobile, vec![], facts),
        (LinkKind::None | LinkKind::Other, _) => {
            outcome(Status::Info, WifiMsg::NoWifi, vec![], facts)
        }
    }
}

/// NetworkManager saw a sign-in page: a hotel's, a station's, a café's network (seed 000:
/// "Werk niet op gratis Wifi"). Not checked (stock Debian switches the check off): said, not
/// judged.
fn captive_portal(p: &PortalFacts) -> Outcome {
    let portal = match p.state {
        ConnectivityState::Portal => Some(true),
        ConnectivityState::Unknown => None,
        _ => Some(false),
    };
    let state = serde_json::to_value(p.state).unwrap_or_default();
    let facts = json!({ "portal": portal, "state": state, "check_enabled": p.check_enabled });
    match p.state {
        ConnectivityState::Full => outcome(Status::Pass, PortalMsg::Full, vec![], facts),
        ConnectivityState::Portal => outcome(Status::Fail, PortalMsg::Portal, vec![], facts),
        ConnectivityState::Limited => outcome(Status::Warn, PortalMsg::Limited, vec![], facts),
        ConnectivityState::None => outcome(Status::Info, PortalMsg::Offline, vec![], facts),
        ConnectivityState::Unknown => outcome(
            Status::Info,
            PortalMsg::NotChecked,
            match p.check_enabled {
                Some(false) => vec![("check", part(PortalMsg::CheckOff, vec![]))],
                Some(true) => vec![("check", part(PortalMsg::CheckOn, vec![]))],
                None => vec![],
            },
            facts,
        ),
    }
}

/// The home folder is what holds the person's work: encrypted there passes, even when the rest
/// of the disk is not (seed 000: "Versleutel de apparaten waarop gewerkt wordt").
fn disk_encryption(d: &DiskEncryptionFacts) -> Outcome {
    let home = d.checked.last().map(String::as_str).unwrap_or("/");
    let home_state = if d.unencrypted.iter().any(|m| m == home) {
        Some(false)
    } else if d.undecided.iter().any(|m| m == home) {
        None
    } else {
        Some(true)
    };
    let facts = json!({
        "encrypted": home_state,
        "method": d.method,
        "mounts": d.unencrypted,
        "checked": d.checked,
        "undecided": d.undecided,
    });
    let mut args = vec![
        ("checked", text(d.checked.join(", "))),
        ("mounts", text(d.unencrypted.join(", "))),
        ("undecided_mounts", text(d.undecided.join(", "))),
    ];
    if let Some(method) = &d.method {
        args.push(("method", text(method)));
    }
    match home_state {
        Some(true) if d.unencrypted.is_empty() && d.undecided.is_empty() => {
            outcome(Status::Pass, DiskMsg::Encrypted, args, facts)
        }
        Some(true) => outcome(Status::Pass, DiskMsg::HomeOnly, args, facts),
        Some(false) => outcome(Status::Fail, DiskMsg::Plain, args, facts),
        None => outcome(Status::Unknown, DiskMsg::Undecided, args, facts),
    }
}

/// Seed 004: "Zorg er dan wel voor dat u de gegevens op de usb-stick versleutelt".
fn usb_storage(u: &UsbStorageFacts) -> Outcome {
    let facts = json!({ "unencrypted": u.unencrypted, "encrypted": u.encrypted });
    let args = vec![
        ("mounts", text(u.unencrypted.join(", "))),
        ("encrypted_mounts", text(u.encrypted.join(", "))),
    ];
    if !u.unencrypted.is_empty() {
        outcome(Status::Warn, UsbMsg::Plain, args, facts)
    } else if !u.encrypted.is_empty() {
        outcome(Status::Pass, UsbMsg::Encrypted, args, facts)
    } else {
        outcome(Status::Pass, UsbMsg::None, vec![], facts)
    }
}

/// Locks by itself within [`Thresholds::screen_lock_max_s`]: pass; later or never: a warning.
fn screen_lock(l: &ScreenLockFacts, limits: &Thresholds) -> Outcome {
    let facts = json!({
        "enabled": l.enabled,
        "lock_after_s": l.lock_after_s,
        "desktop": l.desktop,
    });
    let desktop = ("desktop", text(&l.desktop));
    match l.lock_after_s.filter(|_| l.enabled) {
        None => outcome(Status::Warn, ScreenLockMsg::Off, vec![desktop], facts),
        Some(s) => {
            // Whole minutes, rounded up: "after 5 minutes" must not promise more than is set.
            let args = vec![
                ("minutes", text(s.div_ceil(60).max(1))),
                ("seconds", text(s)),
                ("limit", text(limits.screen_lock_max_s / 60)),
                desktop,
            ];
            if s > limits.screen_lock_max_s {
                outcome(Status::Warn, ScreenLockMsg::Late, args, facts)
            } else {
                outcome(Status::Pass, ScreenLockMsg::On, args, facts)
            }
        }
    }
}

/// Seed 000: "Controleer voor je afspraak de verbinding". The median round trip graded as
/// [`Thresholds::rtt_warn_ms`] and [`Thresholds::rtt_fail_ms`] say, then its variation
/// ([`Thresholds::jitter_warn_ms`]); a host that cannot be found or reached is a warning (the call
/// may fail, or the host may be wrong); without a host the item only says so.
fn connection(c: &ConnectionFacts, limits: &Thresholds) -> Outcome {
    let (rtt, jitter) = (c.rtt_ms(), c.jitter_ms());
    let target = c.target.as_ref();
    let facts = json!({
        "target": target.map(|t| t.host.clone()),
        "port": target.map(|t| t.port),
        "source": target.map(|t| t.source),
        "service": target.and_then(|t| t.service.clone()),
        "rtt_ms": rtt,
        "jitter_ms": jitter,
        "samples_ms": c.samples_ms,
        "failure": c.failure,
    });
    let Some(target) = target else {
        return outcome(Status::Info, ConnectionMsg::NoTarget, vec![], facts);
    };
    // The main line names the service ("Zoom", "de dienst van je organisatie"); the details
    // name the host contacted.
    let about = match &target.service {
        Some(service) => text(service),
        None => part(ConnectionMsg::OrganisationService, vec![]),
    };
    let why = match target.source {
        TargetSource::Organisation => ConnectionMsg::ByOrganisation,
        TargetSource::Meeting => ConnectionMsg::ByMeeting,
        TargetSource::App => ConnectionMsg::ByApp,
    };
    let service = target
        .service
        .clone()
        .unwrap_or_else(|| target.host.clone());
    let mut args = vec![
        ("about", about),
        ("host", text(&target.host)),
        ("port", text(target.port)),
        ("why", part(why, vec![("service", text(service))])),
        ("count", text(c.samples_ms.len())),
        ("warn", text(limits.rtt_warn_ms)),
        ("fail", text(limits.rtt_fail_ms)),
        ("jitter_limit", text(limits.jitter_warn_ms)),
    ];
    // Whole milliseconds: a tenth of a millisecond means nothing to a call.
    if let Some(rtt) = rtt {
        args.push(("rtt", text(rtt.round())));
    }
    if let Some(jitter) = jitter {
        args.push(("jitter", text(jitter.round())));
    }
    match (c.failure, rtt) {
        (Some(ConnectFailure::NotFound), _) => {
            outcome(Status::Warn, ConnectionMsg::NotFound, args, facts)
        }
        (Some(ConnectFailure::Refused), _) => {
            outcome(Status::Warn, ConnectionMsg::Refused, args, facts)
        }
        (Some(ConnectFailure::Unreachable), _) | (None, None) => {
            outcome(Status::Warn, ConnectionMsg::Unreachable, args, facts)
        }
        (None, Some(rtt)) if rtt > limits.rtt_fail_ms => {
            outcome(Status::Fail, ConnectionMsg::TooSlow, args, facts)
        }
        (None, Some(rtt)) if rtt > limits.rtt_warn_ms => {
            outcome(Status::Warn, ConnectionMsg::Slow, args, facts)
        }
        (None, Some(_)) if jitter.is_some_and(|j| j > limits.jitter_warn_ms) => {
            outcome(Status::Warn, ConnectionMsg::Unsteady, args, facts)
        }
        (None, Some(_)) => outcome(Status::Pass, ConnectionMsg::Good, args, facts),
    }
}

/// Seed 000: "Zorg voor geüpdate software". Updates waiting, or a restart waiting to finish
/// them: a warning, with the advice to install after the call (installing can take a while).
fn updates(u: &UpdatesFacts) -> Outcome {
    let facts = json!({
        "pending": u.pending,
        "security": u.security,
        "reboot_required": u.reboot_required,
        "checked": u.checked,
        "unchecked": u.unchecked,
    });
    let reboot = u.reboot_required == Some(true);
    let mut args = vec![
        (
            "count",
            text(u.pending.map(|n| n.to_string()).unwrap_or_default()),
        ),
        (
            "security",
            text(u.security.map(|n| n.to_string()).unwrap_or_default()),
        ),
        ("checked", text(u.checked.join(", "))),
        ("unchecked", text(u.unchecked.join(", "))),
        (
            "reboot_text",
            if reboot {
                part(UpdatesMsg::RebootToo, vec![])
            } else {
                text("")
            },
        ),
    ];
    match (u.pending, u.security) {
        (Some(n), Some(s)) if n > 0 && s > 0 => {
            outcome(Status::Warn, UpdatesMsg::PendingSecurity, args, facts)
        }
        (Some(n), _) if n > 0 => outcome(Status::Warn, UpdatesMsg::Pending, args, facts),
        _ if reboot => {
            args.retain(|(name, _)| *name != "reboot_text");
            outcome(Status::Warn, UpdatesMsg::Reboot, args, facts)
        }
        (Some(_), _) => outcome(Status::Pass, UpdatesMsg::Current, args, facts),
        (None, _) => outcome(Status::Info, UpdatesMsg::PendingUnknown, args, facts),
    }
}
