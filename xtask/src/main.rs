//! Klaar's automation: `cargo xtask setup | run | test | bench | dist`.
//!
//! Everything a fresh Debian or Ubuntu machine needs is installed from here, so the README's two
//! commands work with nothing done by hand.

mod dist;
mod packages;

use std::process::{Command, ExitCode, Stdio};

const HELP: &str = "usage: cargo xtask <command>
  setup   install the system packages Klaar's tests need (apt-get; sudo when not root)
  run     build and start the Klaar app (under Xvfb when there is no display);
          `run --cli ARGS` runs `klaar ARGS` instead, e.g. `run --cli check --json`
  test    setup, then cargo fmt --check, clippy -D warnings and every test
  bench   release build: probe and engine timings; the app's cold start, click to first
          item and memory on a virtual screen (installs what `test` installs); then `dist`,
          for the sizes of the app and the packages
  package-test
          the debug build (`cargo build --workspace` first) as a .deb, installed, the
          package tests run against it, and removed; part of `test`
  dist    release build, packaged for people: a .deb and an .rpm in target/dist/ (the Tauri
          bundler as a library), with the sizes of the app and the packages";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => {
            packages::ensure(&packages::test()).and_then(|_| packages::ensure_tauri_driver())
        }
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench(),
        Some("dist") => dist(),
        Some("package-test") => package_test().map(|counts| println!("package: {counts}")),
        _ => {
            eprintln!("{HELP}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn cargo(args: &[&str]) -> Result {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(project_root())
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

fn run(extra: &[String]) -> Result {
    packages::ensure(packages::RUN)?;
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if extra.first().map(String::as_str) == Some("--cli") {
        let mut args = vec!["run", "--quiet", "-p", "klaar-cli", "--bin", "klaar", "--"];
        args.extend(extra[1..].iter().map(String::as_str));
        // `klaar check` exits 1 when an item fails: that is an answer, not an xtask failure.
        let status = Command::new(cargo_bin)
            .args(&args)
            .current_dir(project_root())
            .status()
            .map_err(|e| e.to_string())?;
        return match status.code() {
            Some(0 | 1) => Ok(()),
            _ => Err("klaar failed".into()),
        };
    }
    cargo(&["build", "-p", "klaar-app"])?;
    let app = project_root().join("target/debug/klaar-app");
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    let mut command = if has_display {
        Command::new(&app)
    } else {
        eprintln!(
            "xtask: no display (DISPLAY and WAYLAND_DISPLAY are empty): starting Klaar on a \
             virtual screen with xvfb-run. It runs, but you cannot see it; stop it with Ctrl+C."
        );
        let mut c = Command::new("xvfb-run");
        c.args(["-a", "-s", "-screen 0 1280x900x24"]).arg(&app);
        c
    };
    command.args(extra);
    eprintln!("xtask: starting {}", app.display());
    let status = command.status().map_err(|e| e.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("Klaar ended with {status}"))
}

fn test() -> Result {
    packages::ensure(&packages::test())?;
    packages::ensure_nextest()?;
    packages::ensure_tauri_driver()?;
    cargo(&["fmt", "--all", "--", "--check"])
        .map_err(|_| "formatting differs: run `cargo fmt --all`".to_string())?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ])?;
    let (ok, counts) = nextest(&["--workspace", "--no-fail-fast"])?;
    println!("xtask test: cargo fmt --check ok, cargo clippy -D warnings ok");
    // The installed package, only after the rest passed (it installs onto this machine).
    let package = match ok {
        true => package_test().map(|c| format!("package: {c}")),
        false => Err("not tried: tests failed".into()),
    };
    // The closing lines in the form CI tools read: "test: N passed, N failed, N skipped".
    println!("test: {counts}");
    match package {
        Ok(line) => {
            println!("{line}");
            Ok(())
        }
        Err(e) if ok => Err(e),
        Err(_) => Err("tests failed".into()),
    }
}

/// `cargo nextest run ARGS`, its output passed through; whether it passed, and its counts.
fn nextest(args: &[&str]) -> Result<(bool, String)> {
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo_bin)
        .args(["nextest", "run", "--color", "never"])
        .args(args)
        .current_dir(project_root())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // Pass nextest's output through and keep its summary for our last line.
    let mut summary = None;
    let stderr = child.stderr.take().unwrap();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(|l| l.ok()) {
        eprintln!("{line}");
        if line.trim_start().starts_with("Summary") {
            summary = Some(line);
        }
    }
    let ok = child.wait().map_err(|e| e.to_string())?.success();
    if let Some(n) = summary.as_deref().map(flaky_count).filter(|n| *n > 0) {
        println!("xtask: {n} test(s) passed only on their retry: look for FLAKY above");
    }
    Ok((
        ok,
        summary.as_deref().map(summary_counts).unwrap_or_default(),
    ))
}

/// "Summary [ 1.2s] 60 tests run: 58 passed, 2 failed, 0 skipped" -> "58 passed, 2 failed, 0
/// skipped"; a test that passed only on its retry ("60 passed (1 flaky)") counts as passed,
/// and [`flaky_count`] says how many did.
fn summary_counts(line: &str) -> String {
    let number_before = |word: &str| {
        line.split(',')
            .flat_map(|part| part.split(':'))
            // "58 passed (1 flaky)": the note in brackets is `flaky_count`'s.
            .map(|part| part.split('(').next().unwrap_or(part).trim())
            .find_map(|part| {
                part.strip_suffix(word)
                    .and_then(|n| n.trim().parse::<u32>().ok())
            })
            .unwrap_or(0)
    };
    let failed = number_before("failed") + number_before("timed out");
    format!(
        "{} passed, {failed} failed, {} skipped",
        number_before("passed"),
        number_before("skipped")
    )
}

/// How many tests of nextest's summary line passed only on their retry.
fn flaky_count(line: &str) -> u32 {
    line.split(['(', ')'])
        .find_map(|part| part.trim().strip_suffix("flaky"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

fn bench() -> Result {
    packages::ensure(&packages::test())?;
    packages::ensure_tauri_driver()?;
    cargo(&["bench", "-p", "klaar-cli", "--bench", "check"])?;
    cargo(&["bench", "-p", "klaar-app", "--bench", "desktop"])?;
    // The sizes people download and install (issue 12: the app binary at most 12 MB).
    dist()
}

fn dist() -> Result {
    packages::ensure(packages::RUN)?;
    let started = std::time::Instant::now();
    // The release profile (Cargo.toml) is made for size: strip, LTO, one codegen unit.
    cargo(&["build", "--release", "-p", "klaar-app", "-p", "klaar-cli"])?;
    let built = started.elapsed();
    let root = project_root();
    let release = root.join("target/release");
    let out = root.join("target/dist");
    let packages = dist::bundle(&release, &out, true)?;
    println!(
        "xtask dist: built in {} s, packaged in {} s",
        built.as_secs(),
        (started.elapsed() - built).as_secs()
    );
    println!(
        "  app binary target/release/klaar-app: {} (goal ≤ 12 MB)",
        dist::megabytes(&release.join("klaar-app"))
    );
    println!(
        "  command line target/release/klaar: {}",
        dist::megabytes(&release.join("klaar"))
    );
    // Named as Debian and RPM name packages: lower case, as `apt install ./…` expects.
    for made in std::iter::once(&packages.deb).chain(packages.rpm.as_ref()) {
        let name = made
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replacen("Klaar", "klaar", 1);
        let at = out.join(name);
        std::fs::copy(made, &at).map_err(|e| format!("{}: {e}", at.display()))?;
        println!("  {}: {}", at.display(), dist::megabytes(&at));
    }
    Ok(())
}

/// The package test: this debug build bundled into a .deb the way `dist` bundles a release,
/// installed with apt-get (which must find every dependency it names), the `package::` tests
/// run against the installed files, and the package removed again. Returns nextest's counts.
fn package_test() -> Result<String> {
    let root = project_root();
    let packages = dist::bundle(
        &root.join("target/debug"),
        &root.join("target/package-test"),
        false,
    )?;
    packages::apt_get(&[
        "install",
        "-y",
        "--no-install-recommends",
        &packages.deb.display().to_string(),
    ])?;
    let result = nextest(&[
        "-p",
        "klaar-app",
        "--test",
        "it",
        "--run-ignored",
        "only",
        "-E",
        "test(/^package::/)",
    ]);
    let removed = packages::apt_get(&["remove", "-y", "klaar"]);
    let (ok, counts) = result?;
    removed?;
    if ok {
        Ok(counts)
    } else {
        Err(format!("package tests failed: {counts}"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nextests_summary_becomes_the_line_ci_reads() {
        let plain = "     Summary [ 211.501s] 383 tests run: 382 passed, 1 failed, 3 skipped";
        assert_eq!(
            super::summary_counts(plain),
            "382 passed, 1 failed, 3 skipped"
        );
        let flaky = "     Summary [ 230.1s] 388 tests run: 388 passed (1 flaky), 3 skipped";
        assert_eq!(
            super::summary_counts(flaky),
            "388 passed, 0 failed, 3 skipped"
        );
        assert_eq!(
            (super::flaky_count(flaky), super::flaky_count(plain)),
            (1, 0)
        );
    }
}
