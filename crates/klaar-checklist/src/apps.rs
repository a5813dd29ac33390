//! Which known apps are running, from the process list and the app catalogue.

use crate::catalogue::AppDef;
use klaar_facts::{Process, ProcessList};

/// The apps among `processes`, each once (Electron apps run many helpers), in catalogue order.
pub fn recognise<'a>(processes: &ProcessList, apps: &'a [AppDef]) -> Vec<&'a AppDef> {
    let mut found: Vec<&AppDef> = processes
        .processes
        .iter()
        .filter_map(|p| identify(p, apps))
        .collect();
    found.sort_by_key(|app| apps.iter().position(|a| a.key == app.key));
    found.dedup_by_key(|app| app.key.as_str());
    found
}

/// The executable's file name decides first, then the process name, then argv[0]; a Flatpak or
/// Snap path names the package when the binary's own name is generic.
pub fn identify<'a>(process: &Process, apps: &'a [AppDef]) -> Option<&'a AppDef> {
    let exe = process.exe.as_deref();
    let argv0 = process.argv0.as_deref();
    let candidates = [
        exe.map(file_name),
        Some(process.name.as_str()),
        argv0.map(file_name),
    ];
    candidates
        .into_iter()
        .flatten()
        .find_map(|name| by_name(name, apps))
        .or_else(|| {
            [exe, argv0]
                .into_iter()
                .flatten()
                .find_map(package_id)
                .and_then(|id| by_package(id, apps))
        })
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn normalise(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    lower
        .strip_suffix(".exe")
        .map(str::to_string)
        .unwrap_or(lower)
}

/// Linux cuts process names at 15 bytes: "teams-for-linux" fits, longer names arrive truncated.
const COMM_LEN: usize = 15;

fn by_name<'a>(name: &str, apps: &'a [AppDef]) -> Option<&'a AppDef> {
    let name = normalise(name);
    if name.is_empty() {
        return None;
    }
    apps.iter().find(|app| {
        app.names.iter().any(|known| {
            *known == name
                || (name.len() == COMM_LEN && known.len() > COMM_LEN && known.starts_with(&name))
        })
    })
}

/// `/snap/NAME/…` or `…/flatpak/app/ID/…`.
fn package_id(path: &str) -> Option<&str> {
    if let Some(rest) = path.strip_prefix("/snap/") {
        return rest.split('/').next();
    }
    let (_, rest) = path.split_once("/flatpak/app/")?;
    rest.split('/').next()
}

fn by_package<'a>(id: &str, apps: &'a [AppDef]) -> Option<&'a AppDef> {
    apps.iter()
        .find(|app| app.packages.iter().any(|p| p.eq_ignore_ascii_case(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalogue;

    fn check(exe: Option<&str>, name: &str, argv0: Option<&str>, expected: Option<&str>) {
        let catalogue = Catalogue::builtin();
        let process = Process {
            exe: exe.map(String::from),
            name: name.into(),
            argv0: argv0.map(String::from),
        };
        assert_eq!(
            identify(&process, &catalogue.apps).map(|a| a.key.as_str()),
            expected,
            "{process:?}"
        );
    }

    #[test]
    fn identifies() {
        check(
            Some("/opt/zoom/zoom"),
            "zoom",
            Some("/opt/zoom/zoom"),
            Some("zoom"),
        );
        check(
            Some("/usr/share/teams-for-linux/teams-for-linux"),
            "teams-for-linux",
            None,
            Some("teams"),
        );
        check(
            Some("C:\\Program Files\\Zoom\\bin\\Zoom.exe"),
            "Zoom.exe",
            None,
            Some("zoom"),
        );
        check(Some("/app/extra/zoom/zoom"), "zoom", None, Some("zoom"));
        check(
            Some("/usr/lib/thunderbird/thunderbird-bin"),
            "thunderbird-bin",
            None,
            Some("thunderbird"),
        );
        // When the executable's name says nothing, the process name and then argv[0] decide.
        check(Some("/usr/bin/bash"), "zoom", None, Some("zoom"));
        check(
            Some("/usr/bin/python3"),
            "python3",
            Some("slack"),
            Some("slack"),
        );
        check(Some("/usr/bin/sleep"), "sleep", Some("sleep"), None);
        // Packages: a generic binary name inside a Snap or Flatpak.
        check(
            Some("/snap/zoom-client/245/zoom/ZoomLauncher"),
            "ZoomLauncher",
            None,
            Some("zoom"),
        );
        check(
            Some("/var/lib/flatpak/app/com.slack.Slack/x86_64/stable/abc/files/extra/electron"),
            "electron",
            None,
            Some("slack"),
        );
        check(None, "", None, None);
    }

    #[test]
    fn helpers_count_once() {
        let catalogue = Catalogue::builtin();
        let helper = Process {
            exe: Some("/usr/lib/slack/slack".into()),
            name: "slack".into(),
            argv0: None,
        };
        let list = ProcessList {
            processes: vec![helper.clone(), helper.clone(), helper],
        };
        assert_eq!(recognise(&list, &catalogue.apps).len(), 1);
    }
}
