//! The organisation's policy and the person's choices for a check, and `klaar policy check
//! FILE` for an IT department about to deploy a policy file.

use klaar_checklist::{Engine, Lang, PolicyNote};
use klaar_settings::policy::{self, PolicyFile, PolicyProblem};
use std::path::Path;
use std::process::ExitCode;

/// The engine under the policy in force (`KLAAR_POLICY`, else the system-wide file) and the
/// person's profile and not-applicable items from `settings.toml`, with the policy file read.
pub fn tailored() -> (Engine, PolicyFile) {
    let engine = Engine::builtin();
    let file = policy::load(&policy::policy_path(), engine.catalogue());
    let choices = file.choices(&crate::agenda::settings().settings);
    (engine.with_choices(choices), file)
}

/// "FILE:LINE:COLUMN: what is wrong" (only "FILE: …" where there is no place).
fn located(path: &Path, problem: &PolicyProblem, engine: &Engine, lang: Lang) -> String {
    // "FILE:3:21: …", or "FILE: …" for a file that could not be read at all.
    let separator = if problem.at.is_some() { ":" } else { ": " };
    let located = problem.located(engine.locale(lang));
    format!("{}{separator}{located}", path.display())
}

/// What a report says of the policy it followed; `None` without a policy file.
pub fn note(file: &PolicyFile, engine: &Engine, lang: Lang) -> Option<PolicyNote> {
    file.found.then(|| PolicyNote {
        file: file.path.display().to_string(),
        problems: file
            .problems
            .iter()
            .map(|p| p.located(engine.locale(lang)))
            .collect(),
    })
}

/// Tells on standard error that the policy in force has mistakes, and each one.
pub fn warn(file: &PolicyFile, engine: &Engine, lang: Lang) {
    if file.problems.is_empty() {
        return;
    }
    let unusable = file.unusable();
    let said = if unusable {
        "policy.unused"
    } else {
        "policy.broken"
    };
    eprintln!("klaar: {}", engine.locale(lang).get(said));
    for problem in &file.problems {
        eprintln!("  {}", located(&file.path, problem, engine, lang));
    }
}

/// `klaar policy check FILE`: every problem with its line and column on standard output; exit
/// 0 when the file is sound, 2 when it has problems or cannot be read.
pub fn check(path: &Path, lang: Lang) -> ExitCode {
    let engine = Engine::builtin();
    let locale = engine.locale(lang);
    let shown = [("path", path.display().to_string())];
    let file = policy::load(path, engine.catalogue());
    if !file.found {
        println!("{}", locale.fill("policy.file_missing", &shown));
        return ExitCode::from(2);
    }
    if file.problems.is_empty() {
        println!("{}", locale.fill("policy.file_ok", &shown));
        return ExitCode::SUCCESS;
    }
    for problem in &file.problems {
        println!("{}", located(path, problem, &engine, lang));
    }
    let count = [
        ("path", path.display().to_string()),
        ("count", file.problems.len().to_string()),
    ];
    let unusable = file.unusable();
    let said = if unusable {
        "policy.problems_unused"
    } else {
        "policy.problems"
    };
    println!("{}", locale.fill(said, &count));
    ExitCode::from(2)
}
