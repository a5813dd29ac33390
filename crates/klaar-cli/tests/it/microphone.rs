//! The microphone items against a real PulseAudio started for each test, with virtual inputs:
//! a tone, a silent source, a muted one, and a null sink whose monitor plays made recordings
//! (speech from espeak-ng, speech over loud noise, clipped speech).

use crate::util::{check_json_with, item};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Pulse {
    dir: tempfile::TempDir,
    server: Child,
}

impl Pulse {
    /// A private PulseAudio with these modules (besides its socket).
    fn start(modules: &[&str]) -> Pulse {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let mut cmd = Command::new("pulseaudio");
        cmd.args([
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
        ])
        .args(["-L", "module-native-protocol-unix"])
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("HOME", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        for module in modules {
            cmd.args(["-L", module]);
        }
        let server = cmd
            .spawn()
            .expect("pulseaudio (cargo xtask test installs it)");
        let socket = runtime.join("pulse/native");
        let start = Instant::now();
        while !socket.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "PulseAudio did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Pulse { dir, server }
    }

    /// Keeps a low-latency listener on `source` until the returned guard drops. PulseAudio's
    /// virtual sources wake at their default latency (up to 4 s here) and do not reschedule when
    /// a stream that started corked (as cpal's do) asks for less; a real microphone resumes on
    /// demand at the latency asked for. With a listener the virtual source runs as a real one.
    fn warm_up(&self, source: &str) -> Listener {
        use std::io::Read;
        let mut cmd = Command::new("parec");
        self.env(&mut cmd);
        let mut parec = cmd
            .args(["--latency-msec=20", "-d", source])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec");
        let mut stdout = parec.stdout.take().unwrap();
        let mut first = [0u8; 4];
        let _ = stdout.read_exact(&mut first);
        // Keep draining, so the listener never blocks the source.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Listener(parec)
    }

    fn env(&self, cmd: &mut Command) {
        cmd.env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("HOME", self.dir.path())
            .env_remove("PULSE_SERVER");
    }

    fn pactl(&self, args: &[&str]) {
        let mut cmd = Command::new("pactl");
        self.env(&mut cmd);
        let out = cmd.args(args).output().expect("pactl");
        assert!(out.status.success(), "pactl {args:?}: {out:?}");
    }

    /// Plays `wav` into `sink`; its monitor then hears it.
    fn play(&self, sink: &str, wav: &Path) -> Child {
        let mut cmd = Command::new("paplay");
        self.env(&mut cmd);
        let child = cmd
            .arg(format!("--device={sink}"))
            .arg(wav)
            .spawn()
            .expect("paplay");
        // Let the first sound reach the monitor before recording starts.
        std::thread::sleep(Duration::from_millis(300));
        child
    }

    fn check(&self) -> Value {
        self.check_only("microphone,noise")
    }

    /// `klaar check --json` of `items`, against this server.
    fn check_only(&self, items: &str) -> Value {
        let mut cmd = crate::util::klaar(None);
        self.env(&mut cmd);
        check_json_with(cmd, &["--only", items]).0
    }
}

struct Listener(Child);

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Pulse {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// Made recordings, in a temp dir: speech, speech over loud noise, clipped speech.
struct Recordings {
    _dir: tempfile::TempDir,
    tone: PathBuf,
    faint: PathBuf,
    speech: PathBuf,
    noisy: PathBuf,
    clipped: PathBuf,
}

fn recordings() -> Recordings {
    let dir = tempfile::tempdir().unwrap();
    let run = |program: &str, args: &[&str]| {
        let out = Command::new(program).args(args).output().expect(program);
        assert!(out.status.success(), "{program} {args:?}: {out:?}");
    };
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    // Six seconds of a made sound, mono at 48 kHz.
    let synth = |name: &str, wave: &[&str]| {
        let out = path(name);
        let mut args = vec!["-n", "-r", "48000", "-c", "1", &out, "synth", "6"];
        args.extend_from_slice(wave);
        run("sox", &args);
        PathBuf::from(out)
    };
    // `input` changed by a sox effect.
    let changed = |input: &str, name: &str, effect: &[&str]| {
        let out = path(name);
        let mut args = vec![input, out.as_str()];
        args.extend_from_slice(effect);
        run("sox", &args);
        PathBuf::from(out)
    };
    let raw = path("raw.wav");
    run(
        "espeak-ng",
        &[
            "-v",
            "nl",
            "-w",
            &raw,
            "Goedemorgen, kun je mij goed horen? Ik test mijn microfoon voor het gesprek begint.",
        ],
    );
    let speech = changed(&raw, "speech.wav", &["rate", "48000"]);
    let speech_path = speech.to_str().unwrap().to_string();
    let noise = synth("noise.wav", &["whitenoise", "vol", "0.3"]);
    let noisy = path("noisy.wav");
    run(
        "sox",
        &["-m", &speech_path, noise.to_str().unwrap(), &noisy],
    );
    Recordings {
        tone: synth("tone.wav", &["sine", "440", "vol", "0.5"]),
        faint: changed(&speech_path, "faint.wav", &["gain", "-45"]),
        clipped: changed(&speech_path, "clipped.wav", &["gain", "30"]),
        noisy: PathBuf::from(noisy),
        speech,
        _dir: dir,
    }
}

fn status(report: &Value, id: &str) -> String {
    item(report, id)["status"].as_str().unwrap().to_string()
}

fn detail(report: &Value, id: &str) -> String {
    item(report, id)["detail"].as_str().unwrap().to_string()
}

/// `klaar check` while the default input (a null sink's monitor, "room") plays one of the made
/// recordings. `modules` are loaded besides; `prepare` runs just before the check.
fn heard_with(
    modules: &[&str],
    wav: fn(&Recordings) -> &PathBuf,
    prepare: impl Fn(&Pulse),
) -> Value {
    let sounds = recordings();
    let mut all = vec!["module-null-sink sink_name=room"];
    all.extend_from_slice(modules);
    let pulse = Pulse::start(&all);
    pulse.pactl(&["set-default-source", "room.monitor"]);
    // Before the sound starts: changing the default output moves playing streams to it.
    prepare(&pulse);
    let _listener = pulse.warm_up("room.monitor");
    let mut player = pulse.play("room", wav(&sounds));
    let report = pulse.check();
    let _ = player.kill();
    let _ = player.wait();
    report
}

fn heard(wav: fn(&Recordings) -> &PathBuf) -> Value {
    heard_with(&[], wav, |_| {})
}

#[test]
fn a_steady_tone_is_a_working_microphone_in_a_noisy_room() {
    let report = heard(|s| &s.tone);
    let mic = item(&report, "microphone");
    assert_eq!(mic["status"], "pass", "{mic:#}");
    assert_eq!(mic["facts"]["present"], true);
    assert_eq!(mic["facts"]["muted"], false);
    assert!(mic["facts"]["rms_dbfs"].as_f64().unwrap() > -20.0);
    // A tone that never stops is background noise as far as a call is concerned.
    assert_eq!(item(&report, "noise")["facts"]["headset_advised"], true);
}

#[test]
fn a_source_muted_in_the_os_is_reported_as_muted() {
    let report = heard_with(
        &[],
        |s| &s.tone,
        |pulse| pulse.pactl(&["set-source-mute", "room.monitor", "1"]),
    );
    assert_eq!(status(&report, "microphone"), "fail");
    assert_eq!(item(&report, "microphone")["facts"]["muted"], true);
    assert!(detail(&report, "microphone").contains("is muted on your computer"));
}

#[test]
fn digital_silence_means_a_blocked_microphone() {
    let pulse = Pulse::start(&["module-null-source source_name=blocked"]);
    pulse.pactl(&["set-default-source", "blocked"]);
    let _listener = pulse.warm_up("blocked");
    let report = pulse.check();
    assert_eq!(status(&report, "microphone"), "fail");
    assert!(detail(&report, "microphone").contains("gives only silence"));
    assert_eq!(item(&report, "microphone")["facts"]["rms_dbfs"], -120.0);
}

#[test]
fn speech_in_a_quiet_room_passes_and_needs_no_headset() {
    let report = heard(|s| &s.speech);
    assert_eq!(status(&report, "microphone"), "pass", "{report:#}");
    assert_eq!(status(&report, "noise"), "pass", "{report:#}");
    assert_eq!(item(&report, "noise")["facts"]["headset_advised"], false);
}

#[test]
fn speech_over_loud_noise_advises_a_headset() {
    let report = heard(|s| &s.noisy);
    assert_eq!(status(&report, "noise"), "warn", "{report:#}");
    assert_eq!(item(&report, "noise")["facts"]["headset_advised"], true);
    assert!(detail(&report, "noise").contains("Use a headset"));
}

#[test]
fn clipped_speech_is_too_loud() {
    let report = heard(|s| &s.clipped);
    assert_eq!(status(&report, "microphone"), "warn", "{report:#}");
    assert!(
        item(&report, "microphone")["facts"]["clipping_pct"]
            .as_f64()
            .unwrap()
            >= 5.0
    );
    assert!(detail(&report, "microphone").contains("your voice distorts"));
}

#[test]
fn a_bluetooth_headset_without_its_microphone_profile_is_named() {
    let report = heard_with(
        &[
            "module-null-sink sink_name=bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink \
           sink_properties=device.description=Koptelefoon",
        ],
        |s| &s.tone,
        |pulse| pulse.pactl(&["set-default-sink", "bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink"]),
    );
    assert_eq!(status(&report, "microphone"), "warn", "{report:#}");
    assert!(detail(&report, "microphone").contains("Koptelefoon is in a mode without a microphone"));
}

/// The real-machine case `mic_pipewire_bluetooth_a2dp`: PipeWire names the A2DP output
/// `bluez_output.<address>.1`, with no "a2dp" in it, and there is no Bluetooth input.
#[test]
fn mic_pipewire_bluetooth_a2dp() {
    let sink = "bluez_output.00_11_22_33_44_55.1";
    let report = heard_with(
        &[&format!(
            "module-null-sink sink_name={sink} sink_properties=device.description=WH-1000XM4"
        )],
        |s| &s.tone,
        |pulse| pulse.pactl(&["set-default-sink", sink]),
    );
    let mic = item(&report, "microphone");
    assert_eq!(mic["status"], "warn", "{mic:#}");
    assert_eq!(mic["facts"]["present"], true);
    assert!(detail(&report, "microphone").contains("WH-1000XM4 is in a mode without a microphone"));
}

/// WirePlumber offers a headset's input even in A2DP and switches the headset to its headset
/// profile when a program records from it: when Klaar's own recording from that input hears
/// sound, the microphone works for a call too. When it stays silent, the warning stands.
#[test]
fn a_headset_whose_input_gives_sound_when_recorded_from_is_no_problem() {
    let sink = "bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink";
    let input = "bluez_input.00_1B_66_AA_BB_CC.0";
    let report = heard_with(
        &[
            &format!(
                "module-null-sink sink_name={sink} sink_properties=device.description=Koptelefoon"
            ),
            &format!("module-remap-source source_name={input} master=room.monitor"),
        ],
        |s| &s.tone,
        |pulse| {
            pulse.pactl(&["set-default-sink", sink]);
            pulse.pactl(&["set-default-source", input]);
        },
    );
    assert_eq!(status(&report, "microphone"), "pass", "{report:#}");
    let report = heard_with(
        &[
            &format!(
                "module-null-sink sink_name={sink} sink_properties=device.description=Koptelefoon"
            ),
            &format!("module-null-source source_name={input} description=Koptelefoon"),
        ],
        |s| &s.tone,
        |pulse| {
            pulse.pactl(&["set-default-sink", sink]);
            pulse.pactl(&["set-default-source", input]);
        },
    );
    assert_eq!(status(&report, "microphone"), "warn", "{report:#}");
    assert!(detail(&report, "microphone").contains("Koptelefoon is in a mode without a microphone"));
}

/// A headset in its headset profile has a working microphone, and one that does not play the
/// sound (connected, but the laptop's speakers are the output) is not in the way.
#[test]
fn a_bluetooth_headset_with_its_microphone_or_not_in_use_is_no_problem() {
    let report = heard_with(
        &[
            "module-null-sink sink_name=bluez_output.00_11_22_33_44_55.1 \
             sink_properties=device.description=WH-1000XM4",
            "module-null-source source_name=bluez_input.00_11_22_33_44_55.0 \
             description=WH-1000XM4",
        ],
        |s| &s.tone,
        |pulse| pulse.pactl(&["set-default-sink", "bluez_output.00_11_22_33_44_55.1"]),
    );
    assert_eq!(status(&report, "microphone"), "pass", "{report:#}");
    let report = heard_with(
        &[
            "module-null-sink sink_name=bluez_sink.00_1B_66_AA_BB_CC.a2dp_sink \
             sink_properties=device.description=Koptelefoon",
        ],
        |s| &s.tone,
        |pulse| pulse.pactl(&["set-default-sink", "room"]),
    );
    assert_eq!(status(&report, "microphone"), "pass", "{report:#}");
}

#[test]
fn without_a_sound_server_or_card_there_is_no_microphone() {
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = crate::util::klaar(None);
    cmd.env("XDG_RUNTIME_DIR", empty.path())
        .env("HOME", empty.path())
        .env_remove("PULSE_SERVER");
    let out = crate::util::run(cmd.args([
        "check",
        "--json",
        "--lang",
        "en",
        "--only",
        "microphone,noise",
    ]));
    let report = crate::util::report(&out.stdout, &out.stderr);
    assert_eq!(status(&report, "microphone"), "fail");
    assert_eq!(item(&report, "microphone")["facts"]["present"], false);
    assert_eq!(status(&report, "noise"), "info");
    // The sound library's own complaints stay out of Klaar's output: the report says it all.
    assert!(!out.stderr.contains("ALSA"), "{}", out.stderr);
}

#[test]
fn a_sound_server_that_hangs_is_cut_off_at_the_deadline_and_the_rest_reports() {
    let pulse = Pulse::start(&["module-null-sink sink_name=room"]);
    // A frozen server accepts connections and never answers.
    unsafe { libc::kill(pulse.server.id() as i32, libc::SIGSTOP) };
    let report = pulse.check_only("power,microphone,noise");
    unsafe { libc::kill(pulse.server.id() as i32, libc::SIGCONT) };
    let microphone = item(&report, "microphone");
    assert_eq!(microphone["status"], "unknown", "{microphone:#}");
    assert_eq!(microphone["reason"]["kind"], "timed_out");
    assert_eq!(microphone["reason"]["deadline_ms"], 4500);
    assert_eq!(item(&report, "power")["status"], "pass");
}

#[test]
fn faint_speech_is_too_quiet_for_the_others() {
    let report = heard(|s| &s.faint);
    assert_eq!(status(&report, "microphone"), "warn", "{report:#}");
    assert!(detail(&report, "microphone").contains("picks up almost nothing"));
}
