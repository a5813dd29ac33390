//! Which app a browser or a shared runtime runs, from its arguments and sandbox: Chromium and
//! Edge web apps (`--app-id=`, `--app=URL`, `--app-url=URL`), Electron apps started by the
//! system's `electron` with their `app.asar`, and the Flatpak or Snap scope a process runs in.
//! Only these parts are kept; every other argument stays private.

use klaar_facts::AppHints;

/// The hints in `args` (argv[1..], or every word of a command line rewritten with spaces).
pub fn from_args<'a>(args: impl IntoIterator<Item = &'a str>) -> AppHints {
    let mut hints = AppHints::default();
    for arg in args {
        if let Some(id) = arg.strip_prefix("--app-id=") {
            let id = id.trim();
            // Chromium app ids are 32 letters a–p.
            if id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
                hints.web_app_id.get_or_insert_with(|| id.to_string());
            }
        } else if let Some(url) = arg
            .strip_prefix("--app=")
            .or_else(|| arg.strip_prefix("--app-url="))
        {
            if let Some(host) = host_of(url) {
                hints.web_host.get_or_insert(host);
            }
        } else if let Some(folder) = asar_folder(arg) {
            hints.asar.get_or_insert(folder);
        }
    }
    hints
}

/// The host of an http(s) URL, in lower case; nothing of its path (a meeting link's path names
/// the meeting).
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
    .then(|| host.to_ascii_lowercase())
}

/// `/usr/lib/element/app.asar` → `element`; `/opt/teams-for-linux/resources/app.asar` →
/// `teams-for-linux` (Electron's own `resources` folder is skipped).
fn asar_folder(arg: &str) -> Option<String> {
    let path = arg.trim_end_matches('/');
    let parent = path.strip_suffix(".asar")?.rsplit_once('/')?.0;
    let mut folders = parent.rsplit('/').filter(|f| !f.is_empty());
    let mut folder = folders.next()?;
    if folder == "resources" {
        folder = folders.next()?;
    }
    Some(folder.to_string())
}

/// The Flatpak id or Snap name from `/proc/PID/cgroup`: systemd puts a Flatpak app in
/// `app-flatpak-<ID>-<N>.scope` (Flatpak before 1.8, as on Ubuntu 20.04:
/// `flatpak-<ID>-<N>.scope`, flatpak#1216) and a Snap in `snap.<NAME>.<APP>-<UUID>.scope`.
pub fn package_from_cgroup(cgroup: &str) -> Option<String> {
    cgroup.lines().find_map(|line| {
        let unit = line.rsplit('/').next()?.strip_suffix(".scope")?;
        let flatpak = unit
            .strip_prefix("app-flatpak-")
            .or_else(|| unit.strip_prefix("flatpak-"));
        if let Some(rest) = flatpak {
            let (id, n) = rest.rsplit_once('-')?;
            return n
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| id.to_string());
        }
        let rest = unit.strip_prefix("snap.")?;
        rest.split('.').next().map(str::to_string)
    })
}

/// The one line of a cgroup file that names the app's scope, as a capture keeps it
/// (`0::/app-flatpak-us.zoom.Zoom-12345.scope`); `None` when there is no such scope.
pub fn cgroup_scope_line(cgroup: &str) -> Option<String> {
    cgroup.lines().find_map(|line| {
        let unit = line.rsplit('/').next()?;
        package_from_cgroup(unit).map(|_| format!("0::/{unit}\n"))
    })
}

/// The arguments a capture keeps: those that give hints, with a URL cut down to its host.
pub fn kept_args<'a>(args: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    args.into_iter()
        .filter_map(|arg| {
            let hints = from_args([arg]);
            if let Some(id) = hints.web_app_id {
                Some(format!("--app-id={id}"))
            } else if let Some(host) = hints.web_host {
                Some(format!("--app=https://{host}/"))
            } else {
                hints.asar.map(|folder| format!("/{folder}/app.asar"))
            }
        })
        .collect()
}

/// The arguments of `pppd` that say what the PPP link runs over: a serial device (a modem), a
/// PPPoE plugin (DSL over the cable), or a pseudo-terminal or L2TP/PPTP/SSTP plugin (a VPN).
/// User names, passwords files and addresses are not kept.
pub fn ppp_args<'a>(args: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    // The value after these options is a name or a secret, whatever it contains.
    const VALUED: &[&str] = &["user", "password", "remotename", "name", "ipparam"];
    let mut after_option = false;
    args.into_iter()
        .filter(|a| {
            let value = std::mem::replace(&mut after_option, VALUED.contains(a));
            !value
        })
        .filter(|a| {
            let a = a.to_ascii_lowercase();
            a.starts_with("/dev/tty")
                || a.starts_with("tty")
                || a == "pty"
                || ["pppoe", "pppol2tp", "pptp", "sstp"]
                    .iter()
                    .any(|w| a.contains(w))
        })
        .map(|a| a.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn web_apps_and_electron_apps() {
        let edge = from_args([
            "--profile-directory=Default",
            "--app-id=cifhbcnohmdccbgoicgdjpfamggdegmo",
        ]);
        assert_eq!(
            edge.web_app_id.as_deref(),
            Some("cifhbcnohmdccbgoicgdjpfamggdegmo")
        );
        let site = from_args(["--app=https://Teams.Microsoft.com/v2/?meetingId=123#x"]);
        assert_eq!(site.web_host.as_deref(), Some("teams.microsoft.com"));
        let url = from_args(["--app-url=https://us02web.zoom.us:443/j/123"]);
        assert_eq!(url.web_host.as_deref(), Some("us02web.zoom.us"));
        assert_eq!(
            from_args(["--enable-features=X", "/usr/lib/element/app.asar"])
                .asar
                .as_deref(),
            Some("element")
        );
        assert_eq!(
            from_args(["/opt/teams-for-linux/resources/app.asar"])
                .asar
                .as_deref(),
            Some("teams-for-linux")
        );
        // Not an app id (wrong letters or length), not a web URL, not an asar.
        assert_eq!(
            from_args(["--app-id=XYZ", "--app=file:///etc/passwd", "app.asar"]),
            AppHints::default()
        );
    }

    #[test]
    fn sandbox_scopes() {
        let flatpak = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-flatpak-us.zoom.Zoom-12345.scope\n";
        assert_eq!(
            package_from_cgroup(flatpak).as_deref(),
            Some("us.zoom.Zoom")
        );
        assert_eq!(
            cgroup_scope_line(flatpak).as_deref(),
            Some("0::/app-flatpak-us.zoom.Zoom-12345.scope\n")
        );
        let snap = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/snap.zoom-client.zoom-client-0f3a.scope";
        assert_eq!(package_from_cgroup(snap).as_deref(), Some("zoom-client"));
        let old_flatpak =
            "0::/user.slice/user-1000.slice/user@1000.service/flatpak-us.zoom.Zoom-4242.scope\n";
        assert_eq!(
            package_from_cgroup(old_flatpak).as_deref(),
            Some("us.zoom.Zoom")
        );
        assert_eq!(
            cgroup_scope_line(old_flatpak).as_deref(),
            Some("0::/flatpak-us.zoom.Zoom-4242.scope\n")
        );
        assert_eq!(package_from_cgroup("0::/user.slice/session-2.scope"), None);
        assert_eq!(cgroup_scope_line("0::/init.scope"), None);
    }

    #[test]
    fn a_capture_keeps_only_what_identifies_the_app() {
        let kept = kept_args([
            "--user-data-dir=/home/juf/.config/secret",
            "--app-id=cifhbcnohmdccbgoicgdjpfamggdegmo",
            "--app=https://meet.google.com/abc-defg-hij",
            "/home/juf/apps/element/app.asar",
        ]);
        assert_eq!(
            kept,
            [
                "--app-id=cifhbcnohmdccbgoicgdjpfamggdegmo",
                "--app=https://meet.google.com/",
                "/element/app.asar",
            ]
        );
        // What a capture keeps gives the same hints as the original.
        let original = from_args([
            "--app-id=cifhbcnohmdccbgoicgdjpfamggdegmo",
            "--app=https://meet.google.com/abc-defg-hij",
            "/home/juf/apps/element/app.asar",
        ]);
        assert_eq!(from_args(kept.iter().map(String::as_str)), original);
    }

    #[test]
    fn pppd_keeps_what_its_link_runs_over() {
        assert_eq!(
            ppp_args(["/dev/ttyUSB0", "460800", "user", "juf", "nodetach"]),
            ["/dev/ttyUSB0"]
        );
        assert_eq!(
            ppp_args(["plugin", "rp-pppoe.so", "enp3s0", "user", "x@pppoe.isp"]),
            ["rp-pppoe.so"]
        );
        assert_eq!(ppp_args(["pty", "openfortivpn --some"]), ["pty"]);
    }

    proptest! {
        #[test]
        fn never_panics(args in proptest::collection::vec("\\PC*", 0..4)) {
            let _ = from_args(args.iter().map(String::as_str));
            let _ = kept_args(args.iter().map(String::as_str));
            for a in &args {
                let _ = package_from_cgroup(a);
            }
        }
    }
}
