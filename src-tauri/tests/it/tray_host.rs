//! Finding the tray: a StatusNotifierWatcher this test serves on a private session bus of its
//! own (a real dbus-daemon), as KDE, Xfce or GNOME's AppIndicator extension serve it.

use std::process::{Child, Command, Stdio};

/// The watcher's one property Klaar reads.
struct Watcher {
    host: bool,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        self.host
    }
}

/// A private session bus; its address goes into this test process's environment.
struct Bus(Child);

impl Bus {
    fn start() -> Bus {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (cargo xtask test installs dbus)");
        let mut address = String::new();
        use std::io::BufRead;
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", address.trim());
        Bus(child)
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(host: bool) -> zbus::blocking::Connection {
    zbus::blocking::connection::Builder::session()
        .unwrap()
        .name("org.kde.StatusNotifierWatcher")
        .unwrap()
        .serve_at("/StatusNotifierWatcher", Watcher { host })
        .unwrap()
        .build()
        .expect("the watcher on the private bus")
}

#[test]
fn a_watcher_with_a_host_is_a_tray_and_without_one_is_none() {
    let _bus = Bus::start();
    // Nobody serves the watcher (GNOME without the extension): no tray.
    assert!(!klaar_app::tray_host::status_notifier_host());
    // A watcher but no panel registered with it: still no tray to show an icon in.
    let watcher = serve(false);
    assert!(!klaar_app::tray_host::status_notifier_host());
    drop(watcher);
    // A watcher with a host (a panel that draws the icons): a tray.
    let _watcher = serve(true);
    assert!(klaar_app::tray_host::status_notifier_host());
}
