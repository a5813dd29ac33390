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

/// What the process says of itself decides first: a browser web app's id or site, the folder of
/// an Electron app on the shared runtime. Then the executable's file name, the process name and
/// argv[0]; then a Flatpak or Snap id (from the sandbox or the path) when the binary's own name
/// is generic.
pub fn identify<'a>(process: &Process, apps: &'a [AppDef]) -> Option<&'a AppDef> {
    let exe = process.exe.as_deref();
    let argv0 = process.argv0.as_deref();
    let hints = &process.hints;
    let by_hint = apps.iter().find(|app| {
        hints
            .web_app_id
            .as_ref()
            .is_some_and(|id| app.app_ids.contains(id))
            || hints.web_host.as_deref().is_some_and(|host| {
                app.web_hosts
                    .iter()
                    .any(|h| host == h || host.ends_with(&format!(".{h}")))
            })
            || hints.asar.as_ref().is_some_and(|a| app.asar.contains(a))
    });
    let candidates = [
        exe.map(file_name),
        Some(process.name.as_str()),
        argv0.map(file_name),
    ];
    by_hint
        .or_else(|| {
            candidates
                .into_iter()
                .flatten()
                .find_map(|name| by_name(name, apps))
        })
        .or_else(|| {
            hints
                .package
                .as_deref()
                .into_iter()
                .chain([exe, argv0].into_iter().flatten().filter_map(package_id))
                .find_map(|id| by_package(id, apps))
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
            hints: Default::default(),
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

    fn hinted(exe: &str, hints: klaar_facts::AppHints) -> Option<String> {
        let catalogue = Catalogue::builtin();
        let process = Process {
            exe: Some(exe.into()),
            name: file_name(exe).chars().take(COMM_LEN).collect(),
            argv0: Some(exe.into()),
            hints,
        };
        identify(&process, &catalogue.apps).map(|a| a.key.clone())
    }

    #[test]
    fn browser_web_apps_electron_apps_and_sandboxes() {
        use klaar_facts::AppHints;
        let edge = "/opt/microsoft/msedge/msedge";
        let chrome = "/opt/google/chrome/chrome";
        let app_id = |id: &str| AppHints {
            web_app_id: Some(id.into()),
            ..AppHints::default()
        };
        let site = |host: &str| AppHints {
            web_host: Some(host.into()),
            ..AppHints::default()
        };
        // Teams installed from Edge (the old and the new domain), Meet from Chrome.
        for id in [
            "cifhbcnohmdccbgoicgdjpfamggdegmo",
            "ompifgpmddkgmclendfeacglnodjjndh",
        ] {
            assert_eq!(hinted(edge, app_id(id)).as_deref(), Some("teams"));
        }
        assert_eq!(
            hinted(chrome, app_id("kjgfgldnnfoeklkmfkjfagphfepbbdan")).as_deref(),
            Some("meet")
        );
        // `--app=` with a per-customer subdomain.
        assert_eq!(
            hinted(chrome, site("us02web.zoom.us")).as_deref(),
            Some("zoom")
        );
        assert_eq!(hinted(chrome, site("notzoom.us")), None);
        // A plain browser is no app.
        assert_eq!(hinted(chrome, AppHints::default()), None);
        // Electron apps on the system's shared runtime.
        let asar = |folder: &str| AppHints {
            asar: Some(folder.into()),
            ..AppHints::default()
        };
        assert_eq!(
            hinted("/usr/lib/electron37/electron", asar("teams-for-linux")).as_deref(),
            Some("teams")
        );
        assert_eq!(
            hinted("/usr/lib/electron37/electron", asar("signal-desktop")).as_deref(),
            Some("signal")
        );
        // A Flatpak app whose binary, seen from outside its sandbox, says nothing.
        let sandbox = AppHints {
            package: Some("us.zoom.Zoom".into()),
            ..AppHints::default()
        };
        assert_eq!(
            hinted("/app/extra/bin/launcher", sandbox).as_deref(),
            Some("zoom")
        );
    }

    #[test]
    fn app_knowledge_is_well_formed() {
        for app in Catalogue::builtin().apps {
            for id in &app.app_ids {
                assert!(
                    id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b)),
                    "{}: {id} is no Chromium app id",
                    app.key
                );
            }
            for name in app.names.iter().chain(&app.web_hosts).chain(&app.asar) {
                assert_eq!(name, &name.to_lowercase(), "{}", app.key);
                assert!(!name.ends_with(".exe"), "{}: {name}", app.key);
            }
        }
    }

    #[test]
    fn helpers_count_once() {
        let catalogue = Catalogue::builtin();
        let helper = Process {
            exe: Some("/usr/lib/slack/slack".into()),
            name: "slack".into(),
            argv0: None,
            hints: Default::default(),
        };
        let list = ProcessList {
            processes: vec![helper.clone(), helper.clone(), helper],
        };
        assert_eq!(recognise(&list, &catalogue.apps).len(), 1);
    }
}
