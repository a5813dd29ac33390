//! Where a secret address is kept, and the last good copy: a real gnome-keyring-daemon on a
//! private session bus, and the file only the person can read when no keyring answers.
//! One test, because the session bus is chosen through the environment.

use crate::fetch::CALENDAR;
use klaar_calendars::test_server::{self as server, ok, status};
use klaar_calendars::{Address, Cache, FetchProblem, Fetcher, Kept, Places, Problem, Secrets};
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};

struct Bus {
    daemon: Child,
    keyring: Option<Child>,
}

impl Drop for Bus {
    fn drop(&mut self) {
        for child in [Some(&mut self.daemon), self.keyring.as_mut()]
            .into_iter()
            .flatten()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Whether the Secret Service on `bus` answers, within 10 s, that its `default` alias is a
/// path containing `expected`.
fn wait_for_alias(bus: &str, expected: &str) -> bool {
    (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        Command::new("dbus-send")
            .args([
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
            ])
            .arg("org.freedesktop.Secret.Service.ReadAlias")
            .arg("string:default")
            .env("DBUS_SESSION_BUS_ADDRESS", bus)
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(expected))
    })
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn addresses_go_to_the_keyring_or_a_private_file_and_the_last_good_copy_stays() {
    let home = tempfile::tempdir().unwrap();
    let (daemon, bus_address) = server::private_bus(home.path());
    let mut bus = Bus {
        daemon,
        keyring: None,
    };
    // SAFETY: this is the only test in this binary that reads or sets these variables.
    unsafe {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus_address);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = server::start();
    server.answer(
        "/owa/calendar/x@school.nl/9d8e7f6a5b4c3d2e1f0a/calendar.ics",
        ok(CALENDAR),
    );
    let url = server.url("/owa/calendar/x@school.nl/9d8e7f6a5b4c3d2e1f0a/calendar.ics");
    let address = Address::parse(&url).unwrap();
    let label = address.label();
    assert_eq!(label, "localhost …1f0a");

    // No keyring on this bus: a file only the person can read.
    let file = home.path().join("data/klaar/calendar-addresses.json");
    let secrets = Secrets::with_file(file.clone());
    assert_eq!(
        rt.block_on(secrets.keep(&label, &address)).unwrap(),
        Kept::File(file.clone())
    );
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    let (found, kept) = rt.block_on(secrets.find(&label)).unwrap();
    assert_eq!(
        (found.expose().as_str(), kept),
        (url.as_str(), Kept::File(file.clone()))
    );

    // A keyring started without a login keyring (desktops that do not unlock one at login,
    // WSL): only the `session` collection, forgotten at logout. The file, as above. (Its other
    // shape, a `default` alias naming a collection that is not there, is told apart in
    // `secrets.rs`'s unit test: this gnome-keyring answers "/" for it.)
    std::fs::remove_file(&file).unwrap();
    bus.keyring = Some(
        Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("bare-keyring-data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdout(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (cargo xtask test installs gnome-keyring)"),
    );
    assert!(
        wait_for_alias(&bus_address, "object path \"/\""),
        "gnome-keyring-daemon did not come up on the private bus"
    );
    assert_eq!(
        rt.block_on(secrets.keep(&label, &address)).unwrap(),
        Kept::File(file.clone())
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains(&url));
    let mut bare = bus.keyring.take().unwrap();
    let _ = bare.kill();
    let _ = bare.wait();

    // A real keyring (gnome-keyring-daemon, unlocked with a password on its input).
    let mut keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("keyring-data"))
        .env("XDG_RUNTIME_DIR", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon (cargo xtask test installs gnome-keyring)");
    {
        use std::io::Write;
        let mut input = keyring.stdin.take().unwrap();
        input.write_all(b"test-password").unwrap();
    }
    bus.keyring = Some(keyring);
    assert!(
        wait_for_alias(&bus_address, "collection/login"),
        "gnome-keyring-daemon did not come up on the private bus"
    );
    assert_eq!(
        rt.block_on(secrets.keep(&label, &address)).unwrap(),
        Kept::SecretService
    );
    // The copy in the file is not left behind once the keyring has it.
    assert!(!std::fs::read_to_string(&file).unwrap().contains("9d8e7f6a"));
    let (found, kept) = rt.block_on(secrets.find(&label)).unwrap();
    assert_eq!(
        (found.expose().as_str(), kept),
        (url.as_str(), Kept::SecretService)
    );

    // Refreshing: the copy is kept, private; a failed refresh keeps using it and says why.
    let places = Places {
        secrets: secrets.clone(),
        cache: Cache::at(home.path().join("cache/klaar/calendars")),
        fetcher: Fetcher::trusting(&[&server.cert_pem]),
    };
    let now = chrono::Utc::now();
    assert!(places.due(&label, now));
    let fresh = rt.block_on(places.load(&label, true, now));
    assert!(fresh.problem.is_none(), "{:?}", fresh.problem);
    assert!(fresh.text.as_deref().unwrap().contains("Teamoverleg"));
    assert!(!places.due(&label, now + chrono::Duration::minutes(14)));
    assert!(places.due(&label, now + chrono::Duration::minutes(15)));
    let copy = home.path().join("cache/klaar/calendars/localhost-1f0a.ics");
    assert_eq!(mode(&copy), 0o600);
    server.answer(
        "/owa/calendar/x@school.nl/9d8e7f6a5b4c3d2e1f0a/calendar.ics",
        status(401),
    );
    let later = now + chrono::Duration::minutes(15);
    let stale = rt.block_on(places.load(&label, true, later));
    assert_eq!(
        stale.problem,
        Some(Problem::Fetch(FetchProblem::Refused { status: 401 }))
    );
    assert!(stale.text.as_deref().unwrap().contains("Teamoverleg"));
    assert_eq!(stale.refreshed, Some(now));
    // Between refreshes the copy is read without fetching, and the last problem still shows.
    let between = rt.block_on(places.load(&label, false, later));
    assert!(between.text.is_some());
    assert_eq!(between.problem, stale.problem);

    // Forgetting removes it from the keyring.
    rt.block_on(secrets.forget(&label)).unwrap();
    assert_eq!(
        rt.block_on(secrets.find(&label)).unwrap_err(),
        klaar_calendars::SecretProblem::Missing
    );
    // The keyring locked (the screen was locked, say): adding asks for its password in a
    // window of the keyring's own. Here no one can answer, and Klaar says it stays locked.
    let locked = Command::new("dbus-send")
        .args([
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
        .status()
        .unwrap();
    assert!(locked.success());
    let other =
        Address::parse(&server.url("/owa/calendar/y@school.nl/0a1b2c3d4e5f/calendar.ics")).unwrap();
    let answer = rt.block_on(secrets.keep(&other.label(), &other));
    assert_eq!(answer, Err(klaar_calendars::SecretProblem::Locked));
    drop(bus);
}
