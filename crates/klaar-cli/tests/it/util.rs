use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

pub fn fixtures() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    all.sort();
    all
}

/// `klaar` with a clean, predictable environment: no inherited root or locale.
pub fn klaar(root: Option<&Path>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_klaar"));
    for var in [
        "KLAAR_ROOT",
        "KLAAR_FAKE_CAMERA",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "LANGUAGE",
    ] {
        cmd.env_remove(var);
    }
    if let Some(root) = root {
        cmd.env("KLAAR_ROOT", root);
    }
    // No organisation unless a test says so, whatever this machine has in /etc/klaar.
    cmd.env("KLAAR_POLICY", fixture("no-such-policy.toml"));
    // Where this machine has no PackageKit, the updates check asks apt: give it a package
    // system of its own (nothing installed), so no test's answer depends on this machine's
    // packages; and no Flatpak.
    static NO_PACKAGES: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let none = NO_PACKAGES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        apt_config(&dir, &[], &[])
    });
    cmd.env("APT_CONFIG", none)
        .env("FLATPAK_SYSTEM_DIR", none.with_file_name("flatpak-system"))
        .env("FLATPAK_USER_DIR", none.with_file_name("flatpak-user"))
        // What Klaar keeps in the cache (apt's answer) stays out of the tester's own.
        .env("XDG_CACHE_HOME", none.with_file_name("cache"));
    cmd
}

/// An archive apt has downloaded the lists of: its Release fields and its packages.
pub struct Archive<'a> {
    pub label: &'a str,
    pub suite: &'a str,
    pub version: &'a str,
    /// (package, version)
    pub packages: &'a [(&'a str, &'a str)],
}

/// A package system of apt's own under `dir`: `installed` (package, version, dpkg state such
/// as "install ok installed" or "hold ok installed") and the lists of `archives`, as `apt-get
/// update` leaves them. Returns the configuration file to name in `APT_CONFIG`.
pub fn apt_config(dir: &Path, installed: &[(&str, &str, &str)], archives: &[Archive]) -> PathBuf {
    for sub in [
        "etc/apt/apt.conf.d",
        "etc/apt/preferences.d",
        "etc/apt/sources.list.d",
        "var/lib/dpkg",
        "var/lib/apt/lists/partial",
        "var/cache/apt/archives/partial",
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let stanza = |name: &str, version: &str, extra: &str| {
        format!(
            "Package: {name}\n{extra}Priority: optional\nSection: misc\nInstalled-Size: 10\n\
             Maintainer: Klaar <klaar@example.org>\nArchitecture: amd64\nVersion: {version}\n\
             Description: {name}\n"
        )
    };
    let status: Vec<String> = installed
        .iter()
        .map(|(name, version, state)| stanza(name, version, &format!("Status: {state}\n")))
        .collect();
    std::fs::write(dir.join("var/lib/dpkg/status"), status.join("\n")).unwrap();
    let mut sources = String::new();
    for (i, archive) in archives.iter().enumerate() {
        let host = format!("archive{i}.example.org");
        sources.push_str(&format!(
            "deb [trusted=yes] http://{host}/debian {} main\n",
            archive.suite
        ));
        let lists = dir.join("var/lib/apt/lists");
        let base = format!("{host}_debian_dists_{}", archive.suite);
        std::fs::write(
            lists.join(format!("{base}_Release")),
            format!(
                "Origin: Debian\nLabel: {}\nSuite: {}\nVersion: {}\nCodename: {}\n\
                 Architectures: amd64\nComponents: main\n",
                archive.label, archive.suite, archive.version, archive.suite
            ),
        )
        .unwrap();
        let packages: Vec<String> = archive
            .packages
            .iter()
            .map(|(name, version)| {
                stanza(
                    name,
                    version,
                    &format!("Filename: pool/main/{name}_{version}_amd64.deb\nSize: 100\n"),
                )
            })
            .collect();
        std::fs::write(
            lists.join(format!("{base}_main_binary-amd64_Packages")),
            packages.join("\n"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("etc/apt/sources.list"), sources).unwrap();
    let config = dir.join("apt.conf");
    std::fs::write(
        &config,
        format!(
            "Dir \"{0}/\";\nDir::State::status \"{0}/var/lib/dpkg/status\";\n\
             APT::Architecture \"amd64\";\nAPT::Architectures {{ \"amd64\"; }};\n",
            dir.display()
        ),
    )
    .unwrap();
    config
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "klaar panicked: {}",
            run.stderr
        );
        run
    }
}

pub fn run(cmd: &mut Command) -> Run {
    cmd.output().expect("klaar runs").into()
}

/// `klaar check --json` plus extra arguments; returns the report and the exit code.
pub fn check_json(root: Option<&Path>, extra: &[&str]) -> (Value, i32) {
    check_json_with(klaar(root), extra)
}

/// `klaar check --json` with a made picture (tests/pictures) as the camera.
pub fn check_json_seeing(root: Option<&Path>, picture: &str, extra: &[&str]) -> (Value, i32) {
    let mut cmd = klaar(root);
    cmd.env("KLAAR_FAKE_CAMERA", picture_path(picture));
    check_json_with(cmd, extra)
}

pub fn picture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/pictures")
        .join(name)
}

/// `klaar check --json --lang en` with a prepared command (environment set by the caller).
pub fn check_json_with(mut cmd: Command, extra: &[&str]) -> (Value, i32) {
    let out = run(cmd.args(["check", "--json", "--lang", "en"]).args(extra));
    (report(&out.stdout, &out.stderr), out.code)
}

/// The report `klaar check --json` printed, held to `docs/report.schema.json` (every test's
/// report is, so each state a test makes is checked against the documented facts).
///
/// # Panics
/// When `stdout` is not JSON or not valid under the schema, naming each error and `stderr`.
pub fn report(stdout: &str, stderr: &str) -> Value {
    let report: Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    crate::schema::assert_valid(&report);
    report
}

/// An item's details part (the figures behind its main line), one line each, joined.
pub fn details(item: &Value) -> String {
    item["details"]
        .as_array()
        .unwrap_or_else(|| panic!("no details in {item:#}"))
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {report:#}"))
}

/// Copies a fixture tree (links stay links) into a temp dir that a test may spoil.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", fixture(name).display()))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

/// A private D-Bus daemon (`klaar_calendars::test_server::private_bus`), ended when dropped,
/// also when a test fails.
pub struct Daemon(std::process::Child);

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A private bus in `dir` and its address.
pub fn private_bus(dir: &Path) -> (Daemon, String) {
    let (daemon, address) = klaar_calendars::test_server::private_bus(dir);
    (Daemon(daemon), address)
}
