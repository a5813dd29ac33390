//! A throwaway desktop for one test: Xvfb, a private session D-Bus, optionally a tray host and a
//! notification service, and tauri-driver starting the real Klaar app. Everything lives in a temp
//! dir (HOME and XDG dirs included) and is killed when the test ends.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A working camera in a well-lit room (a made picture through `KLAAR_FAKE_CAMERA`).
pub const WELL_LIT_CAMERA: &[(&str, &str)] = &[(
    "KLAAR_FAKE_CAMERA",
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/pictures/well-lit.png"
    ),
)];

/// Long enough for a debug build of the app on a busy 2-core machine; only a hang reaches it.
pub const PATIENCE: Duration = Duration::from_secs(40);

pub struct Options {
    pub lang: &'static str,
    /// Whether the session bus can start a notification service (dunst).
    pub notifications: bool,
    pub tray_host: bool,
    /// A tree in /sys and /proc layout to replay instead of this machine (`KLAAR_ROOT`).
    pub root: Option<PathBuf>,
    /// Start the app through tauri-driver, to drive its page; otherwise start it directly, as a
    /// user does, and watch it from outside (X windows, processes).
    pub webdriver: bool,
    /// Arguments for the app when started directly.
    pub args: &'static [&'static str],
    /// A PulseAudio sound server whose default input hears a steady 440 Hz tone (a working
    /// microphone, in a room the checklist calls noisy). Without one the microphone item fails.
    pub sound_server: bool,
    /// With `sound_server`: the room's tone is soft (a voice at about −48 dBFS in a quiet room),
    /// so the microphone and the background-noise items both pass.
    pub quiet_room: bool,
    /// A settings file (`~/.config/klaar/settings.toml`) to start with.
    pub settings: Option<&'static str>,
    /// The organisation's policy file (`KLAAR_POLICY`); none by default, whatever this machine
    /// has in /etc/klaar.
    pub policy: Option<&'static str>,
    /// More environment for the session and the app, such as a GTK theme.
    pub env: &'static [(&'static str, &'static str)],
    /// `false`: the desktop starts empty and the caller starts the app (`command(app_binary())`).
    pub start_app: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            lang: "nl_NL.UTF-8",
            notifications: true,
            tray_host: false,
            root: Some(fixture("laptop-on-battery")),
            webdriver: true,
            args: &[],
            start_app: true,
            env: &[],
            sound_server: false,
            quiet_room: false,
            settings: None,
            policy: None,
        }
    }
}

pub struct Desktop {
    pub dir: tempfile::TempDir,
    session: Child,
    pub display: String,
    pub xauthority: String,
    pub bus: String,
    client: Option<Client>,
}

pub fn app_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_klaar-app"))
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// Where screenshots go: `artifacts/` at the project root (CI keeps it).
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn bus_config(dir: &Path, notifications: bool) -> PathBuf {
    let services = dir.join("dbus-services");
    std::fs::create_dir_all(&services).unwrap();
    let standard = if notifications {
        "<standard_session_servicedirs/>"
    } else {
        ""
    };
    let config = format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  {standard}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        tmp = dir.display(),
        services = services.display(),
    );
    let path = dir.join("session.conf");
    std::fs::write(&path, config).unwrap();
    path
}

impl Desktop {
    pub async fn start(options: Options) -> Desktop {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let runtime = dir.path().join("run");
        for d in [&home, &runtime] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        if let Some(settings) = options.settings {
            let file = home.join(".config/klaar/settings.toml");
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, settings).unwrap();
        }
        let policy = dir.path().join("policy.toml");
        if let Some(text) = options.policy {
            std::fs::write(&policy, text).unwrap();
        }
        let env_file = dir.path().join("session.env");
        let port = free_port();
        let native_port = free_port();
        let tray = if options.tray_host {
            "trayer --edge top --align right --widthtype pixel --width 200 --height 32 \
             --transparent false --SetDockType true & sleep 0.5; "
        } else {
            ""
        };
        // A null sink whose monitor is the default input, fed a steady tone; a listener keeps
        // the virtual source running as a real microphone does (see the microphone tests).
        // Besides: a second output ("Koptelefoon") and a second input ("Headsetmicrofoon", a
        // virtual source on the same room), for the device pickers.
        let volume = if options.quiet_room { "0.0056" } else { "0.3" };
        let sound = if options.sound_server {
            format!(
                "pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --log-target=stderr \
                 -L module-native-protocol-unix -L 'module-null-sink sink_name=room' \
                 -L 'module-null-sink sink_name=speakers sink_properties=device.description=Luidsprekers' \
                 -L 'module-null-sink sink_name=headphones sink_properties=device.description=Koptelefoon' \
                 -L 'module-remap-source master=room.monitor source_name=headset_mic source_properties=device.description=Headsetmicrofoon' & \
                 for i in $(seq 100); do [ -S \"$XDG_RUNTIME_DIR/pulse/native\" ] && break; sleep 0.05; done; \
                 pactl set-default-source room.monitor; pactl set-default-sink speakers; \
                 (sox -n -r 48000 -c 1 -t raw -e signed -b 16 - synth 600 sine 440 vol {volume} 2>/dev/null \
                  | pacat --device=room --rate=48000 --channels=1 --format=s16le &); \
                 (parec --latency-msec=20 -d room.monitor 2>/dev/null >/dev/null &); "
            )
        } else {
            String::new()
        };
        let start = if !options.start_app {
            "exec sleep infinity".to_string()
        } else if options.webdriver {
            format!("exec tauri-driver --port {port} --native-port {native_port}")
        } else {
            format!("exec {} {}", app_binary().display(), options.args.join(" "))
        };
        let script = format!(
            "echo \"$DISPLAY\" > {env}.tmp; echo \"$XAUTHORITY\" >> {env}.tmp; \
             echo \"$DBUS_SESSION_BUS_ADDRESS\" >> {env}.tmp; mv {env}.tmp {env}; {sound}{tray}{start}",
            env = env_file.display(),
        );
        let mut command = Command::new("xvfb-run");
        command
            .args(["-a", "-s", "-screen 0 1280x900x24", "dbus-run-session"])
            .arg(format!(
                "--config-file={}",
                bus_config(dir.path(), options.notifications).display()
            ))
            .args(["--", "sh", "-c", &script])
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .env("LANG", options.lang)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANGUAGE")
            .env_remove("KLAAR_ROOT")
            .env_remove("KLAAR_FAKE_CAMERA")
            // Without PackageKit the updates check asks apt: an apt of the session's own with
            // nothing installed, so no window test depends on (or waits for) this machine's.
            .env("APT_CONFIG", empty_apt(&home))
            .env("FLATPAK_SYSTEM_DIR", home.join("flatpak-system"))
            .env("KLAAR_POLICY", &policy)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("session.log")).unwrap())
            .process_group(0);
        command.envs(options.env.iter().copied());
        if let Some(root) = options.root {
            command.env("KLAAR_ROOT", root);
        }
        let session = command
            .spawn()
            .expect("xvfb-run (cargo xtask test installs it)");
        wait_for("the session to start", || env_file.exists());
        let env = std::fs::read_to_string(&env_file).unwrap();
        let mut lines = env.lines();
        let display = lines.next().unwrap_or_default().to_string();
        let xauthority = lines.next().unwrap_or_default().to_string();
        let bus = lines.next().unwrap_or_default().to_string();
        let mut desktop = Desktop {
            dir,
            session,
            display,
            xauthority,
            bus,
            client: None,
        };
        if !options.webdriver || !options.start_app {
            return desktop;
        }
        for p in [port, native_port] {
            wait_for("tauri-driver and WebKitWebDriver", || {
                TcpStream::connect(("127.0.0.1", p)).is_ok()
            });
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_binary() }),
        );
        desktop.client = Some(
            ClientBuilder::native()
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .expect("a WebDriver session with the Klaar app"),
        );
        desktop
            .wait_text("[data-testid=check]", |t| !t.is_empty())
            .await;
        desktop
    }

    /// The WebDriver session with the app's page.
    pub fn web(&self) -> &Client {
        self.client
            .as_ref()
            .expect("this desktop was started with webdriver: true")
    }

    /// A command that talks to this desktop's screen and session bus.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display)
            .env("XAUTHORITY", &self.xauthority)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"));
        c
    }

    /// Waits until the element's text satisfies `ok`; returns that text.
    pub async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < PATIENCE {
            if let Ok(el) = self.web().find(Locator::Css(css)).await {
                if let Ok(text) = el.text().await {
                    if ok(&text) {
                        return text;
                    }
                    last = text;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{css} never showed the expected text; last seen: {last:?}\n{}\n{}",
            self.page_state().await,
            self.log_tail()
        );
    }

    /// Waits until `attribute` of the element satisfies `ok`; returns its value.
    pub async fn wait_attr(&self, css: &str, attribute: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = None;
        while start.elapsed() < PATIENCE {
            if let Ok(el) = self.web().find(Locator::Css(css)).await {
                if let Ok(Some(value)) = el.attr(attribute).await {
                    if ok(&value) {
                        return value;
                    }
                    last = Some(value);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{css} never had the expected {attribute}; last seen: {last:?}\n{}\n{}",
            self.page_state().await,
            self.log_tail()
        );
    }

    /// What the page showed when a wait gave up, for the failure message: the error line,
    /// the verdict, and a screenshot (`artifacts/last-failure.png`).
    async fn page_state(&self) -> String {
        if let Ok(png) = self.web().screenshot().await {
            let _ = std::fs::write(artifacts().join("last-failure.png"), png);
        }
        let seen = self
            .web()
            .execute(
                "const t = (id) => { const e = document.querySelector(`[data-testid=${id}]`); \
                 return e ? (e.hidden ? '(hidden) ' : '') + e.textContent.trim() : '(none)'; }; \
                 return `error: ${t('error')} | verdict: ${t('verdict')} | scrollY: ${window.scrollY}`;",
                vec![],
            )
            .await;
        format!(
            "--- page ---\n{}",
            seen.map(|v| v.to_string()).unwrap_or_default()
        )
    }

    /// Scrolls the element to the middle of the window, as a person would before clicking it,
    /// then clicks it.
    /// Opens the `<details>` at `css` from the keyboard (its summary focused, Enter), as a
    /// keyboard user does (WebKitWebDriver's click does not toggle it), and waits until it is open.
    pub async fn open_fold(&self, css: &str) {
        use fantoccini::actions::InputSource;
        self.web()
            .execute(
                "document.querySelector(arguments[0] + ' > summary').focus();",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
        let enter = fantoccini::actions::KeyActions::new("keyboard".into())
            .then(fantoccini::actions::KeyAction::Down {
                value: fantoccini::key::Key::Enter.into(),
            })
            .then(fantoccini::actions::KeyAction::Up {
                value: fantoccini::key::Key::Enter.into(),
            });
        self.web().perform_actions(enter).await.unwrap();
        self.wait_attr(css, "open", |o| o == "true").await;
    }

    pub async fn click(&self, css: &str) {
        let element = self
            .web()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        let _ = self
            .web()
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&element).unwrap()],
            )
            .await;
        // WebDriver clicks where the element was: wait until the page stops moving (a check
        // filling in the verdict above it shifts everything down) and nothing covers the
        // element's middle, as a person's eye would.
        const WHERE: &str = "const e = arguments[0]; const r = e.getBoundingClientRect(); \
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
            const label = hit && hit.closest('label'); \
            return [r.x, r.y, r.width, r.height, \
                !!hit && (e.contains(hit) || (!!label && label.contains(e)))];";
        let mut last = serde_json::Value::Null;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            let seen = self
                .web()
                .execute(WHERE, vec![serde_json::to_value(&element).unwrap()])
                .await
                .unwrap_or_default();
            if seen == last && seen[4] == true {
                break;
            }
            last = seen;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.web().screenshot().await.expect("a screenshot");
        std::fs::write(artifacts().join(name), png).unwrap();
    }

    /// Records what a sound device's monitor hears (`speakers.monitor`), as 16-bit mono at
    /// 48 kHz, until the returned listener is read.
    pub fn listen(&self, monitor: &str) -> Listener {
        use std::io::Read;
        let mut child = self
            .command("parec")
            .args([
                "--latency-msec=20",
                "--format=s16le",
                "--channels=1",
                "--rate=48000",
                "-d",
            ])
            .arg(monitor)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("parec (pulseaudio-utils)");
        let mut stdout = child.stdout.take().unwrap();
        let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
        let sink = heard.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        Listener { child, heard }
    }

    /// Ids of the visible top-level windows titled "Klaar".
    pub fn klaar_windows(&self) -> Vec<u32> {
        let out = self
            .command("xdotool")
            .args(["search", "--onlyvisible", "--name", "^Klaar$"])
            .output()
            .expect("xdotool (cargo xtask test installs it)");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    pub fn wait_for_window(&self) -> u32 {
        let mut found = Vec::new();
        wait_for("the Klaar window", || {
            found = self.klaar_windows();
            !found.is_empty()
        });
        found[0]
    }

    /// What the close button of a window manager does: ask the window to close
    /// (WM_DELETE_WINDOW), leaving the decision to the app.
    pub fn close_window(&self, window: u32) {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
        std::env::set_var("XAUTHORITY", &self.xauthority);
        let (conn, _) = x11rb::connect(Some(&self.display)).expect("connect to Xvfb");
        let atom = |name: &str| {
            conn.intern_atom(false, name.as_bytes())
                .unwrap()
                .reply()
                .unwrap()
                .atom
        };
        let protocols = atom("WM_PROTOCOLS");
        let delete = atom("WM_DELETE_WINDOW");
        let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
        conn.send_event(false, window, EventMask::NO_EVENT, event)
            .unwrap();
        conn.flush().unwrap();
    }

    /// Klaar as started at login: in the tray (a real tray host), no window, with a
    /// notification daemon; `root` and `settings` as in [`Options`].
    pub fn in_tray(root: Option<PathBuf>, settings: Option<&'static str>) -> Desktop {
        let desktop = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(Desktop::start(Options {
                webdriver: false,
                tray_host: true,
                notifications: true,
                args: &[klaar_app::HIDDEN_ARG],
                root,
                settings,
                ..Options::default()
            }));
        desktop.tray_icon();
        desktop
    }

    /// Waits (up to a minute) for dunst to show a notification, then invokes its default
    /// action, as a click on it does.
    pub fn click_notification(&self) {
        let start = Instant::now();
        loop {
            let shown = self
                .command("dunstctl")
                .args(["count", "displayed"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default();
            if shown != "0" && !shown.is_empty() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no notification came"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
        let acted = self
            .command("dunstctl")
            .args(["action", "0"])
            .status()
            .expect("dunstctl (cargo xtask test installs dunst)");
        assert!(acted.success());
    }

    /// dunst's history (JSON) once it holds `text`, or after a minute.
    pub fn notification_history(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let out = self
                .command("dunstctl")
                .arg("history")
                .output()
                .expect("dunstctl (cargo xtask test installs dunst)");
            let history = String::from_utf8_lossy(&out.stdout).to_string();
            if history.contains(text) || start.elapsed() > Duration::from_secs(60) {
                return history;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// The tray icon's window inside the tray host.
    pub fn tray_icon(&self) -> u32 {
        let mut found = None;
        wait_for("Klaar's tray icon", || {
            let out = self
                .command("xdotool")
                .args(["search", "--class", "tray-icon tray app klaar"])
                .output()
                .unwrap();
            found = String::from_utf8_lossy(&out.stdout)
                .lines()
                .find_map(|l| l.trim().parse().ok());
            found.is_some()
        });
        found.unwrap()
    }

    /// The tray icon's pixels as RGB.
    pub fn tray_pixels(&self) -> Vec<[u8; 3]> {
        let out = self
            .command("import")
            .args([
                "-window",
                &self.tray_icon().to_string(),
                "-depth",
                "8",
                "rgb:-",
            ])
            .output()
            .expect("import (imagemagick)");
        out.stdout
            .chunks_exact(3)
            .map(|p| [p[0], p[1], p[2]])
            .collect()
    }

    /// Opens the tray menu and picks the entry `steps` down from the top.
    pub fn choose_from_tray_menu(&self, steps: usize) {
        let icon = self.tray_icon().to_string();
        let status = self
            .command("xdotool")
            .args(["mousemove", "--window", &icon, "16", "15", "click", "1"])
            .status()
            .unwrap();
        assert!(status.success());
        std::thread::sleep(Duration::from_millis(700));
        let mut keys = vec!["key", "--delay", "80"];
        keys.extend(std::iter::repeat_n("Down", steps));
        keys.push("Return");
        assert!(self
            .command("xdotool")
            .args(&keys)
            .status()
            .unwrap()
            .success());
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Klaar's processes: the app and the WebKit helpers it started.
    pub fn app_pids(&self) -> Vec<(u32, String)> {
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return found;
        };
        let app = app_binary();
        let mut app_pids = Vec::new();
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| exe == app) {
                let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
                let home = format!("HOME={}", self.dir.path().join("home").display());
                if environ.split(|b| *b == 0).any(|v| v == home.as_bytes()) {
                    app_pids.push(pid);
                    found.push((pid, "klaar-app".to_string()));
                }
            }
        }
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let ppid = stat
                .rsplit(')')
                .next()
                .and_then(|rest| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid.is_some_and(|p| app_pids.contains(&p)) {
                let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
                found.push((pid, comm.trim().to_string()));
            }
        }
        found
    }

    /// The end of what the session (bus, driver, app) printed: for failure messages.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("session.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!("--- session log (last 30 lines) ---\n{tail}")
    }
}

/// What a monitor heard so far.
pub struct Listener {
    child: Child,
    heard: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Listener {
    /// The loudest sample heard, 0.0–1.0.
    pub fn peak(&self) -> f32 {
        self.heard
            .lock()
            .unwrap()
            .chunks_exact(2)
            .map(|b| (i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0).abs())
            .fold(0.0, f32::max)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // The whole process group: xvfb-run, Xvfb, the bus, tauri-driver, the app, its helpers.
        // TERM first so Xvfb removes its lock file; KILL whatever is left.
        let group = -(self.session.id() as i32);
        unsafe { libc::kill(group, libc::SIGTERM) };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.session.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        unsafe { libc::kill(group, libc::SIGKILL) };
        let _ = self.session.wait();
    }
}

/// An apt configuration under `home` with nothing installed and no package lists.
fn empty_apt(home: &Path) -> PathBuf {
    let dir = home.join("apt");
    for sub in [
        "etc/apt",
        "var/lib/dpkg",
        "var/lib/apt/lists/partial",
        "var/cache/apt/archives/partial",
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    std::fs::write(dir.join("var/lib/dpkg/status"), "").unwrap();
    let config = dir.join("apt.conf");
    std::fs::write(
        &config,
        format!(
            "Dir \"{0}/\";\nDir::State::status \"{0}/var/lib/dpkg/status\";\n",
            dir.display()
        ),
    )
    .unwrap();
    config
}
