//! Runs the probes concurrently and feeds each result to the engine as it arrives.

use crate::args::CheckOptions;
use crate::render;
use klaar_checklist::target::Candidates;
use klaar_checklist::{Engine, Lang, Report, Status};
use klaar_probes::{runner, Root};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub fn run(options: &CheckOptions) -> ExitCode {
    let (engine, policy) = crate::policy::tailored();
    let locale = engine.locale(options.lang);
    if options.only.iter().any(|id| id.is_empty()) {
        eprintln!(
            "klaar: {}\n{}",
            locale.get("cli.empty_item"),
            locale.get("cli.see_help")
        );
        return ExitCode::from(2);
    }
    if let Some(problem) = missing_root(&Root::from_env(), &engine, options.lang) {
        eprintln!("klaar: {problem}");
        return ExitCode::from(2);
    }
    let plan = match engine.plan(&options.only) {
        Ok(plan) => plan,
        Err(unknown) => {
            eprintln!(
                "klaar: {} {}",
                locale.fill(
                    "cli.unknown_item",
                    &[("id", unknown.id), ("ids", unknown.known.join(", "))]
                ),
                locale.get("cli.see_help")
            );
            return ExitCode::from(2);
        }
    };
    let report = match collect(
        &engine,
        &plan,
        &options.only,
        options.lang,
        Duration::from_millis(options.deadline_ms),
    ) {
        Ok(mut report) => {
            report.policy = crate::policy::note(&policy, &engine, options.lang);
            report
        }
        Err(e) => {
            eprintln!("klaar: {e}");
            return ExitCode::from(2);
        }
    };
    crate::policy::warn(&policy, &engine, options.lang);
    let text = if options.json {
        serde_json::to_string_pretty(&report).expect("a report always serialises") + "\n"
    } else {
        // The tick items, for the whole checklist: what only the person can see to.
        let yourself = if options.only.is_empty() {
            engine.manual_items(options.lang, |_| false)
        } else {
            Vec::new()
        };
        render::human(&report, &yourself, &engine, options.lang, options.verbose)
    };
    if let Err(e) = out(&text) {
        eprintln!("klaar: {e}");
        return ExitCode::from(2);
    }
    if report.items.iter().any(|i| i.status == Status::Fail) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes to standard output. A reader that stopped reading (`klaar check | head`) is no error:
/// the rest is simply not wanted, as with every command-line tool.
fn out(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn collect(
    engine: &Engine,
    plan: &klaar_checklist::Plan,
    only: &[String],
    lang: Lang,
    deadline: Duration,
) -> std::io::Result<Report> {
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()?;
    let items = runtime.block_on(async {
        let mut results = runner::spawn(&plan.probes, &root_with_target(engine, plan), deadline);
        // Marked as not applicable by the person: in the report, never probed.
        let mut items = engine.not_applicable_items(only, lang);
        while let Some(result) = results.recv().await {
            items.extend(engine.evaluate(plan, &result, lang));
        }
        items
    });
    // A probe past its deadline may still hang on a blocking thread: do not wait for it.
    runtime.shutdown_background();
    Ok(engine.report(items, started.elapsed().as_millis() as u64))
}

/// The machine to check, with the host the connection item measures: the organisation's
/// (`[connection] host`), a meeting under way or about to start, the open call app's, a later
/// meeting's (`Engine::connection_target`). Looked for only when the plan measures the
/// connection.
fn root_with_target(engine: &Engine, plan: &klaar_checklist::Plan) -> Root {
    let root = Root::from_env();
    if !plan.probes.contains(&klaar_facts::ProbeId::Connection) {
        return root;
    }
    let settings = crate::agenda::settings().settings;
    let processes = klaar_probes::processes::probe(&root).ok();
    let candidates = Candidates {
        organisation: settings.connection_host.as_deref(),
        meeting: crate::agenda::meeting_link(engine, chrono::Utc::now()),
        processes: processes.as_ref(),
    };
    root.with_target(engine.connection_target(&candidates))
}

/// A replayed root (`KLAAR_ROOT`) that is no folder: one clear sentence instead of a report in
/// which every item says the same.
fn missing_root(root: &Root, engine: &Engine, lang: Lang) -> Option<String> {
    (root.is_replay() && !root.path().is_dir()).then(|| {
        engine.locale(lang).fill(
            "cli.missing_root",
            &[("path", root.path().display().to_string())],
        )
    })
}

pub fn capture(dir: &Path, lang: Lang) -> ExitCode {
    // The policy's connection target too: the capture measures what a check would.
    let (engine, _) = crate::policy::tailored();
    if let Some(problem) = missing_root(&Root::from_env(), &engine, lang) {
        eprintln!("klaar: {problem}");
        return ExitCode::from(2);
    }
    // With the host a check would measure, so the capture replays to the same report.
    let everything = engine
        .plan(&[])
        .expect("the full plan names no unknown item");
    match klaar_probes::capture::capture(&root_with_target(&engine, &everything), dir) {
        Ok(summary) => {
            let args = [
                ("dir", dir.display().to_string()),
                ("supplies", summary.power_supplies.to_string()),
                ("interfaces", summary.interfaces.to_string()),
                ("processes", summary.processes.to_string()),
            ];
            if let Err(e) = out(&format!(
                "{}\n",
                engine.locale(lang).fill("cli.capture_done", &args)
            )) {
                eprintln!("klaar: {e}");
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("klaar: {e}");
            ExitCode::from(2)
        }
    }
}
