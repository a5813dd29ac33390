//! `cargo xtask bench`: all non-media probes together on this machine (with a fake
//! NetworkManager and PackageKit on a private bus, as a desktop has them), the whole check with
//! media, and the engine alone. Prints median and 90th percentile; the goal for all non-media
//! probes is ≤ 30 ms (median; issues 8 and 11), and the whole check ≤ 1.1 × its slowest probe.

use klaar_checklist::{Engine, Lang};
use klaar_facts::*;
use klaar_probes::{runner, Root};
use std::os::unix::process::CommandExt;
use std::time::{Duration, Instant};

#[path = "../tests/it/fakes.rs"]
mod fakes;

/// The system services the device-security probes ask, as a real machine has them: a private
/// D-Bus daemon as the system bus with a fake NetworkManager and PackageKit, and GSettings in a
/// keyfile for a GNOME session. Set up before any other thread exists (environment variables).
struct Services {
    _dir: tempfile::TempDir,
    _daemon: std::process::Child,
    _served: Vec<zbus::blocking::Connection>,
}

impl Services {
    fn start() -> Services {
        let dir = tempfile::tempdir().unwrap();
        let (daemon, address) = klaar_calendars::test_server::private_bus(dir.path());
        let served = vec![
            fakes::serve_nm(&address, fakes::home_wifi()),
            fakes::serve_packagekit(&address, fakes::Answer::Batched),
        ];
        std::env::set_var("DBUS_SYSTEM_BUS_ADDRESS", &address);
        std::env::set_var("XDG_CURRENT_DESKTOP", "GNOME");
        std::env::set_var("GSETTINGS_BACKEND", "keyfile");
        std::env::set_var("XDG_CONFIG_HOME", dir.path());
        // A cache of its own, so apt's first answer is a first answer (it is kept on disk).
        std::env::set_var("XDG_CACHE_HOME", dir.path());
        Services {
            _dir: dir,
            _daemon: daemon,
            _served: served,
        }
    }
}

impl Services {
    /// Takes the fake PackageKit off the bus, as on a system without it.
    fn stop_packagekit(&mut self) {
        self._served.truncate(1);
    }
}

/// The `updates` probe where PackageKit is not installed: apt plans a full upgrade of what its
/// lists already hold (nothing is fetched). The app keeps that answer while apt's state is
/// unchanged (`updates::apt`, in memory and on disk), so only the first check after a change
/// pays. Skipped where apt-get is missing.
fn updates_without_packagekit(services: &mut Services, root: &Root) {
    if !std::path::Path::new("/usr/bin/apt-get").exists() {
        println!("updates without PackageKit: apt-get not found, skipped");
        return;
    }
    services.stop_packagekit();
    let start = Instant::now();
    let first = klaar_probes::probe(ProbeId::Updates, root);
    println!(
        "probe updates alone, no PackageKit, apt's plan, first check: {} ms ({})",
        start.elapsed().as_millis(),
        match &first {
            Ok(klaar_facts::Facts::Updates(u)) => format!("{:?} pending", u.pending),
            other => format!("{other:?}"),
        }
    );
    measure(
        "probe updates alone, no PackageKit, later checks (apt's state unchanged)",
        50,
        || {
            std::hint::black_box(klaar_probes::probe(ProbeId::Updates, root).ok());
        },
    );
}

impl Drop for Services {
    fn drop(&mut self) {
        let _ = self._daemon.kill();
        let _ = self._daemon.wait();
    }
}

/// Runs `f` `runs` times after a warm-up; prints and returns the median.
fn measure(label: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm-up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{label:<44} median {:>9.3} ms   p90 {:>9.3} ms   ({runs} runs)",
        ms(at(0.5)),
        ms(at(0.9))
    );
    at(0.5)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A private PulseAudio whose default input hears a steady tone, for the media timings. `None`
/// when pulseaudio is not installed (`cargo xtask bench` installs it).
struct Sound {
    _dir: tempfile::TempDir,
    children: Vec<std::process::Child>,
}

impl Sound {
    fn start() -> Option<Sound> {
        use std::process::{Command, Stdio};
        let dir = tempfile::tempdir().ok()?;
        let runtime = dir.path().join("run");
        std::fs::create_dir(&runtime).ok()?;
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .ok()?;
        // Set before any other thread exists: the probes find the server through these.
        std::env::set_var("XDG_RUNTIME_DIR", &runtime);
        std::env::set_var("HOME", dir.path());
        std::env::remove_var("PULSE_SERVER");
        let script = "pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit \
            -L module-native-protocol-unix -L 'module-null-sink sink_name=room' & \
            for i in $(seq 100); do [ -S \"$XDG_RUNTIME_DIR/pulse/native\" ] && break; sleep 0.05; done; \
            pactl set-default-source room.monitor; \
            (sox -n -r 48000 -c 1 -t raw -e signed -b 16 - synth 600 sine 440 vol 0.3 \
              | pacat --device=room --rate=48000 --channels=1 --format=s16le &); \
            parec --latency-msec=20 -d room.monitor >/dev/null";
        let shell = Command::new("sh")
            .args(["-c", script])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .ok()?;
        std::thread::sleep(Duration::from_secs(2));
        Some(Sound {
            _dir: dir,
            children: vec![shell],
        })
    }
}

impl Drop for Sound {
    fn drop(&mut self) {
        for child in &mut self.children {
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
        }
    }
}

/// A school calendar: 450 single events over a year and 50 weekly series that started years
/// ago, some with a Teams link.
fn school_calendar() -> String {
    let mut ics = String::from("BEGIN:VCALENDAR\nVERSION:2.0\n");
    for i in 0..450 {
        ics.push_str(&format!(
            "BEGIN:VEVENT\nUID:single-{i}\nSUMMARY:Afspraak {i}\nDTSTART;TZID=Europe/Amsterdam:2026{:02}{:02}T{:02}0000\nDURATION:PT30M\nEND:VEVENT\n",
            1 + i % 12,
            1 + i % 28,
            8 + i % 9
        ));
    }
    for i in 0..50 {
        ics.push_str(&format!(
            "BEGIN:VEVENT\nUID:series-{i}\nSUMMARY:Overleg {i}\nDTSTART;TZID=W. Europe Standard Time:20{:02}0105T{:02}0000\nDTEND;TZID=W. Europe Standard Time:20{:02}0105T{:02}3000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE\nX-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/19%3ameeting_{i}\nEND:VEVENT\n",
            16 + i % 10,
            8 + i % 9,
            16 + i % 10,
            8 + i % 9
        ));
    }
    ics.push_str("END:VCALENDAR\n");
    ics
}

/// One look of the app's call watch (every 2 s, `klaar_probes::media_use::Signals`): the process
/// list, the call apps in it and the camera holders; on this machine, and on a made desktop of
/// 400 processes with 60 open files each and a camera: once as a watch looks when nothing
/// changed, once as the first look (every process read, every process's files scanned).
fn call_watch(apps: &[klaar_checklist::AppDef]) {
    let look = |signals: &mut klaar_probes::media_use::Signals, root: &Root| {
        let seen = signals.look(root);
        let found = klaar_checklist::apps::recognise(&seen.processes, apps).len();
        std::hint::black_box((found, seen.camera));
    };
    let mut signals = klaar_probes::media_use::Signals::new();
    measure("call watch: one look, this machine", 50, || {
        look(&mut signals, &Root::live())
    });
    let tree = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tree.path().join("sys/class/video4linux/video0")).unwrap();
    std::fs::create_dir_all(tree.path().join("dev")).unwrap();
    std::fs::write(tree.path().join("dev/video0"), "").unwrap();
    for pid in 1000..1400 {
        let dir = tree.path().join(format!("proc/{pid}"));
        std::fs::create_dir_all(dir.join("fd")).unwrap();
        std::fs::write(dir.join("comm"), format!("app{pid}\n")).unwrap();
        std::fs::write(dir.join("cmdline"), format!("/usr/bin/app{pid}\0--flag\0")).unwrap();
        for fd in 0..60 {
            std::os::unix::fs::symlink(format!("/tmp/file-{fd}"), dir.join(format!("fd/{fd}")))
                .unwrap();
        }
    }
    let made = Root::replay(tree.path());
    let mut signals = klaar_probes::media_use::Signals::new();
    measure("call watch: a look, 400 processes, a camera", 50, || {
        look(&mut signals, &made)
    });
    measure(
        "call watch: first look, 400 processes, a camera",
        10,
        || look(&mut klaar_probes::media_use::Signals::new(), &made),
    );
}

fn main() {
    // Calendars first: no probe threads yet.
    let ics = school_calendar();
    let services = klaar_meetings::online::builtin();
    let apps = klaar_checklist::Catalogue::builtin().apps;
    let from = chrono::DateTime::parse_from_rfc3339("2026-12-01T00:00:00+01:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    measure("agenda: parsing those 500 events alone", 30, || {
        std::hint::black_box(klaar_meetings::calendar::parse("school.ics", &ics).unwrap());
    });
    measure(
        "agenda: 500 events, 50 series, next 7 days (goal ≤ 20 ms)",
        30,
        || {
            let cal = klaar_meetings::calendar::parse("school.ics", &ics).unwrap();
            let listing = klaar_meetings::agenda::list(
                &[cal],
                &klaar_meetings::Options {
                    from,
                    to: from + chrono::Duration::days(7),
                    zone: chrono_tz::Europe::Amsterdam,
                    all: false,
                    remind_minutes: 5,
                    apps: &apps,
                    services: &services,
                },
                Vec::new(),
                |_| String::new(),
            );
            assert!(!listing.events.is_empty());
            std::hint::black_box(listing);
        },
    );
    call_watch(&apps);
    let mut services = Services::start();
    let sound = Sound::start();
    std::env::set_var(
        "KLAAR_FAKE_CAMERA",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/pictures/well-lit.png"
        ),
    );
    let engine = Engine::builtin();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    // The connection item measures a server on this machine: a real handshake, no network.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root = Root::live().with_target(Some(klaar_facts::ConnectionTarget {
        host: "127.0.0.1".into(),
        port: listener.local_addr().unwrap().port(),
        source: klaar_facts::TargetSource::Organisation,
        service: None,
    }));
    let full_plan = engine.plan(&[]).unwrap();
    if sound.is_some() {
        let run_all = |plan: &klaar_checklist::Plan| {
            runtime.block_on(async {
                let mut rx = runner::spawn(&plan.probes, &root, runner::DEFAULT_DEADLINE);
                let mut items = Vec::new();
                while let Some(result) = rx.recv().await {
                    items.extend(engine.evaluate(plan, &result, Lang::Nl));
                }
                std::hint::black_box(engine.report(items, 0));
            })
        };
        println!(
            "media: a PulseAudio null-sink monitor hearing a tone; KLAAR_FAKE_CAMERA well-lit.png"
        );
        let whole = measure("whole check, media included (goal ≤ 1500 ms)", 5, || {
            run_all(&full_plan)
        });
        let slowest = [ProbeId::Camera, ProbeId::Microphone, ProbeId::Connection]
            .iter()
            .map(|&probe| {
                measure(&format!("probe {probe} alone"), 5, || {
                    std::hint::black_box(klaar_probes::probe(probe, &root).ok());
                })
            })
            .max()
            .unwrap_or_default();
        println!(
            "whole check / slowest probe: {:.2} (goal ≤ 1.1)",
            whole.as_secs_f64() / slowest.as_secs_f64().max(f64::EPSILON)
        );
    } else {
        println!("media: pulseaudio not found, media timings skipped");
    }
    // Every probe but the camera and the microphone (and the connection test, which waits on
    // the network by design), with the services above answering.
    let non_media: Vec<String> = engine
        .catalogue()
        .items
        .iter()
        .filter(|i| {
            i.probe.is_some_and(|p| {
                !matches!(
                    p,
                    ProbeId::Camera | ProbeId::Microphone | ProbeId::Connection
                )
            })
        })
        .map(|i| i.id.clone())
        .collect();
    let plan = engine.plan(&non_media).unwrap();
    println!(
        "non-media probes: {} (fake NetworkManager and PackageKit on a private bus, GSettings keyfile)",
        plan.probes
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    measure(
        "all non-media probes together (goal ≤ 30 ms)",
        200,
        || {
            runtime.block_on(async {
                let mut rx = runner::spawn(&plan.probes, &root, runner::DEFAULT_DEADLINE);
                let mut items = Vec::new();
                while let Some(result) = rx.recv().await {
                    items.extend(engine.evaluate(&plan, &result, Lang::Nl));
                }
                std::hint::black_box(engine.report(items, 0));
            })
        },
    );
    for &probe in &plan.probes {
        measure(&format!("probe {probe} alone"), 100, || {
            std::hint::black_box(klaar_probes::probe(probe, &root).ok());
        });
    }
    updates_without_packagekit(&mut services, &root);
    let results: Vec<ProbeResult> = plan
        .probes
        .iter()
        .map(|&probe| ProbeResult {
            probe,
            outcome: klaar_probes::probe(probe, &root),
            elapsed_ms: 0,
        })
        .collect();
    // A 1280×720 frame with a face-like middle and a bright border (goal ≤ 5 ms).
    let (w, h) = (1280, 720);
    let frame = klaar_probes::camera::picture::LumaFrame {
        width: w,
        height: h,
        luma: (0..w * h)
            .map(|i| {
                if (i % w) / 400 == 1 {
                    60
                } else {
                    200 + (i % 50) as u8
                }
            })
            .collect(),
    };
    measure("picture analysis, 1280x720 frame", 500, || {
        std::hint::black_box(klaar_probes::camera::picture::measure(&frame));
    });
    measure("engine alone (facts -> report)", 5000, || {
        let items = results
            .iter()
            .flat_map(|r| engine.evaluate(&plan, r, Lang::Nl))
            .collect();
        std::hint::black_box(engine.report(items, 0));
    });
    drop(services);
}
