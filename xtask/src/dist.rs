//! Packages for people: the Tauri bundler, used as a library (the `tauri-bundler` crate; no
//! `tauri-cli`, which took 41 minutes to install on a 2-core machine), makes a `.deb` and an
//! `.rpm` of the app (`/usr/bin/klaar-app`, its desktop entry and icon) and the command line
//! (`/usr/bin/klaar`), with the licence. AppImage is not made: the bundler downloads linuxdeploy
//! and its plugins from GitHub for it, which this machine cannot reach.

use crate::{project_root, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tauri_bundler::{
    AppCategory, BundleBinary, BundleSettings, DebianSettings, PackageSettings, PackageType,
    RpmSettings, SettingsBuilder,
};

/// The app and the command line, as installed in `/usr/bin`.
pub const BINARIES: [&str; 2] = ["klaar-app", "klaar"];

/// Libraries the app opens while running (`dlopen`), which `dpkg-shlibdeps` cannot see in its
/// ELF headers: the tray library of tray-icon (Ayatana, else the older libappindicator).
const DLOPENED: &[&str] = &["libayatana-appindicator3-1 | libappindicator3-1"];

/// What the packages hold and where they were written.
pub struct Packages {
    pub deb: PathBuf,
    pub rpm: Option<PathBuf>,
}

/// Bundles the binaries in `built` (the files named in [`BINARIES`]) into packages under
/// `out`. The binaries are copied and stripped first, so a debug build packs small too and the
/// built files stay as they are.
pub fn bundle(built: &Path, out: &Path, rpm: bool) -> Result<Packages> {
    let root = project_root();
    let staging = out.join("bin");
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    for name in BINARIES {
        let from = built.join(name);
        let to = staging.join(name);
        std::fs::copy(&from, &to).map_err(|e| format!("{}: {e}", from.display()))?;
        run(Command::new("strip").arg("--strip-unneeded").arg(&to))?;
    }
    let mut depends = shlibdeps(&staging)?;
    depends.extend(DLOPENED.iter().map(|d| d.to_string()));
    let desktop = root.join("assets/linux/klaar.desktop");
    let licence: HashMap<PathBuf, PathBuf> = [(
        PathBuf::from("/usr/share/doc/klaar/copyright"),
        root.join("LICENSE"),
    )]
    .into();
    let mut types = vec![PackageType::Deb];
    if rpm {
        types.push(PackageType::Rpm);
    }
    let settings = SettingsBuilder::new()
        .project_out_directory(&staging)
        .package_types(types)
        .package_settings(PackageSettings {
            product_name: "Klaar".into(),
            version: version()?,
            description: "Klaar voor je videogesprek: controleert camera, microfoon, \
                          verbinding en privacy voordat je gaat beeldbellen"
                .into(),
            homepage: None,
            authors: Some(vec!["Klaar".into()]),
            default_run: Some("klaar-app".into()),
        })
        .bundle_settings(BundleSettings {
            identifier: Some("nl.klaar.app".into()),
            publisher: Some("Klaar".into()),
            icon: Some(vec![root
                .join("assets/icons/icon.png")
                .display()
                .to_string()]),
            license: Some("EUPL-1.2".into()),
            license_file: Some(root.join("LICENSE")),
            category: Some(AppCategory::Utility),
            short_description: Some(
                "Klaar voor je videogesprek / Ready for your video call".into(),
            ),
            long_description: Some(
                "Checks power, network, VPN, open apps, camera, microphone and the device's \
                 security before a video call, against two Dutch privacy guides. Stores no \
                 picture or sound and contacts nothing but what the person or their \
                 organisation configured."
                    .into(),
            ),
            deb: DebianSettings {
                depends: Some(depends.clone()),
                files: licence.clone(),
                desktop_template: Some(desktop.clone()),
                section: Some("utils".into()),
                ..DebianSettings::default()
            },
            rpm: RpmSettings {
                // Fedora's and openSUSE's names for what dpkg-shlibdeps finds for the .deb (the
                // bundler's RPM writer does not read the binaries' needs itself).
                depends: Some(
                    [
                        "webkit2gtk4.1",
                        "gtk3",
                        "alsa-lib",
                        "openssl-libs",
                        "libayatana-appindicator-gtk3",
                    ]
                    .map(String::from)
                    .to_vec(),
                ),
                files: licence,
                desktop_template: Some(desktop),
                release: "1".into(),
                ..RpmSettings::default()
            },
            ..BundleSettings::default()
        })
        .binaries(
            BINARIES
                .iter()
                .map(|name| BundleBinary::new(name.to_string(), *name == "klaar-app"))
                .collect(),
        )
        .target(format!("{}-unknown-linux-gnu", std::env::consts::ARCH))
        // The bundler marks the main binary for Tauri's updater, which Klaar does not use.
        .binary_patching(false)
        .no_sign(true)
        .build()
        .map_err(|e| format!("bundler settings: {e}"))?;
    let bundles =
        tauri_bundler::bundle_project(&settings).map_err(|e| format!("bundler: {e:#}"))?;
    let find = |kind: PackageType| {
        bundles
            .iter()
            .filter(|b| b.package_type == kind)
            .flat_map(|b| b.bundle_paths.iter())
            .next()
            .cloned()
    };
    Ok(Packages {
        deb: find(PackageType::Deb).ok_or("the bundler made no .deb")?,
        rpm: find(PackageType::Rpm),
    })
}

/// The app's version, from `src-tauri/tauri.conf.json`.
fn version() -> Result<String> {
    let path = project_root().join("src-tauri/tauri.conf.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let key = "\"version\": \"";
    let start = text.find(key).ok_or("no version in tauri.conf.json")? + key.len();
    let end = text[start..]
        .find('"')
        .ok_or("no version in tauri.conf.json")?;
    Ok(text[start..start + end].to_string())
}

/// The Debian packages that hold the shared libraries the binaries in `dir` link to, with the
/// versions they need: `dpkg-shlibdeps`, Debian's own tool for this (so libasound2, libpulse0,
/// WebKitGTK and GTK all come from what the binaries really need).
fn shlibdeps(dir: &Path) -> Result<Vec<String>> {
    // dpkg-shlibdeps reads debian/control of a source package; a minimal one will do.
    let work = dir.parent().unwrap_or(dir).join("shlibdeps");
    std::fs::create_dir_all(work.join("debian")).map_err(|e| e.to_string())?;
    std::fs::write(
        work.join("debian/control"),
        "Source: klaar\n\nPackage: klaar\nArchitecture: any\n",
    )
    .map_err(|e| e.to_string())?;
    let mut command = Command::new("dpkg-shlibdeps");
    command.arg("-O").current_dir(&work);
    for name in BINARIES {
        command.arg(format!("-e{}", dir.join(name).display()));
    }
    let out = command
        .output()
        .map_err(|e| format!("dpkg-shlibdeps (package dpkg-dev): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "dpkg-shlibdeps: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .ok_or("dpkg-shlibdeps named no dependencies")?;
    Ok(line.split(", ").map(str::to_string).collect())
}

fn run(command: &mut Command) -> Result {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{command:?} failed: {status}"))
}

/// The size of a file in MB (10^6 bytes), with one decimal.
pub fn megabytes(path: &Path) -> String {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    format!("{:.1} MB", bytes as f64 / 1e6)
}
