//! The report as text for people: grouped by phase, a symbol and a word for each status (never
//! colour alone), advice and source under each item, the verdict last.

use klaar_checklist::{Engine, Lang, Phase, Report, Status, Verdict};
use std::fmt::Write;

fn symbol(status: Status) -> &'static str {
    match status {
        Status::Pass => "✔",
        Status::Warn => "!",
        Status::Fail => "✘",
        Status::Unknown => "?",
        Status::Manual => "☐",
        Status::Info => "i",
    }
}

fn verdict_symbol(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Ready => "✔",
        Verdict::Attention => "!",
        Verdict::NotReady => "✘",
    }
}

pub fn human(report: &Report, engine: &Engine, lang: Lang) -> String {
    let locale = engine.locale(lang);
    let catalogue = engine.catalogue();
    let mut out = String::new();
    for phase in [Phase::Before, Phase::During, Phase::After] {
        let items: Vec<_> = report.items.iter().filter(|i| i.phase == phase).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}",
            locale.get(&format!("phase.{}", phase_key(phase)))
        );
        for item in items {
            let status = locale.get(&format!("status.{}", item.status.as_str()));
            let _ = writeln!(out, "  [{} {status}] {}", symbol(item.status), item.title);
            let _ = writeln!(out, "      {}", item.detail);
            let _ = writeln!(out, "      {}: {}", locale.get("cli.advice"), item.advice);
            for source in &item.sources {
                let publisher = catalogue
                    .seeds
                    .get(&source.seed)
                    .map(|s| s.publisher.as_str())
                    .unwrap_or("?");
                let title = catalogue
                    .seeds
                    .get(&source.seed)
                    .map(|s| s.title.as_str())
                    .unwrap_or("?");
                let _ = writeln!(
                    out,
                    "      {}: {publisher}, {title} — {}",
                    locale.get("cli.source"),
                    source.section
                );
            }
        }
        out.push('\n');
    }
    let verdict = locale.get(&format!("verdict.{}", report.verdict.as_str()));
    let _ = writeln!(
        out,
        "{}: {} {verdict}",
        locale.get("cli.verdict"),
        verdict_symbol(report.verdict)
    );
    out
}

fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Before => "before",
        Phase::During => "during",
        Phase::After => "after",
    }
}
