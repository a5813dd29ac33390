//! The report as text for people: grouped by phase, a symbol and a word for each status (never
//! colour alone), problems in full with advice and source, the items in order one line each
//! under what they are about (the call, the device and network, privacy), the verdict first and
//! last.

use klaar_checklist::{Engine, ItemKind, ItemReport, Lang, Phase, Report, Status, Verdict};
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

/// The report as text. Problems (fail, warn, unknown) in full with advice and source; items in
/// order one line each (all of them in full with `verbose`); then `yourself`, the tick items a
/// person must see to (phone on silent…), under "Zelf nagaan", and the guides' knowledge to
/// keep in mind (a count; in full with `verbose`); the verdict first and last.
pub fn human(
    report: &Report,
    yourself: &[ItemReport],
    engine: &Engine,
    lang: Lang,
    verbose: bool,
) -> String {
    let locale = engine.locale(lang);
    let catalogue = engine.catalogue();
    let mut all = report.items.clone();
    all.extend(yourself.iter().cloned());
    let verdict = format!(
        "{}: {} {}",
        locale.get("cli.verdict"),
        verdict_symbol(report.verdict),
        engine.verdict_line(&all, lang).text
    );
    let mut out = format!("{verdict}\n");
    if let Some(policy) = &report.policy {
        let from = [("path", policy.file.clone())];
        let _ = writeln!(out, "{}", locale.fill("policy.from_organisation", &from));
    }
    out.push('\n');
    // "[✘ niet goed] VPN (Verplicht gesteld door je organisatie)"
    let line = |item: &ItemReport| {
        let status = locale.get(&format!("status.{}", item.status.as_str()));
        let mut line = format!("  [{} {status}] {}", symbol(item.status), item.title);
        if !item.tailoring.is_empty() {
            let _ = write!(line, " ({})", item.tailoring.join("; "));
        }
        line
    };
    for phase in [Phase::Before, Phase::During, Phase::After] {
        // What needs doing first, as in the window; the catalogue's order within a status.
        let mut items: Vec<_> = report.items.iter().filter(|i| i.phase == phase).collect();
        items.sort_by_key(|i| match i.status {
            Status::Fail => 0,
            Status::Warn | Status::Unknown => 1,
            Status::Manual => 2,
            Status::Info => 3,
            Status::Pass => 4,
        });
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}",
            locale.get(&format!("phase.{}", phase_key(phase)))
        );
        // The items in order come one line each, under what they are about.
        let problem =
            |i: &ItemReport| matches!(i.status, Status::Fail | Status::Warn | Status::Unknown);
        let (problems, calm): (Vec<_>, Vec<_>) = items.into_iter().partition(|i| problem(i));
        let mut calm = calm;
        calm.sort_by_key(|i| i.group);
        let mut heading = None;
        for item in problems.into_iter().chain(calm) {
            if !(problem(item) || verbose) {
                if heading != Some(item.group) {
                    heading = Some(item.group);
                    let _ = writeln!(out, "  · {}", locale.get(item.group.locale_key()));
                }
                let _ = writeln!(out, "  {}: {}", line(item), item.detail);
                continue;
            }
            let _ = writeln!(out, "{}", line(item));
            let _ = writeln!(out, "      {}", item.detail);
            for figure in &item.details {
                let _ = writeln!(out, "        · {figure}");
            }
            if item.status == Status::Unknown && item.reason.is_some() {
                let _ = writeln!(out, "      {}", locale.get("cli.next_step"));
            }
            let _ = writeln!(out, "      {}: {}", locale.get("cli.advice"), item.advice);
            for source in &item.sources {
                let seed = catalogue.seeds.get(&source.seed);
                let _ = writeln!(
                    out,
                    "      {}: {}, {} — {}",
                    locale.get("cli.source"),
                    seed.map(|s| s.publisher.as_str()).unwrap_or("?"),
                    seed.map(|s| s.title.as_str()).unwrap_or("?"),
                    source.section
                );
            }
        }
        out.push('\n');
    }
    // "  ☐ Telefoon op stil (voor het gesprek)"
    let bullet = |item: &ItemReport| {
        let phase = locale.get(&format!("phase.{}", phase_key(item.phase)));
        let phase = phase.to_lowercase();
        format!("  {} {} ({phase})", symbol(item.status), item.title)
    };
    let (to_know, to_tick): (Vec<&ItemReport>, Vec<&ItemReport>) = yourself
        .iter()
        .partition(|i| i.kind == ItemKind::Information);
    if !to_tick.is_empty() {
        let _ = writeln!(out, "{}", locale.get("cli.yourself"));
        for item in to_tick {
            let _ = writeln!(out, "{}", bullet(item));
        }
        out.push('\n');
    }
    // Knowledge to keep in mind holds nothing back: a count, or all of it with `verbose`.
    if !to_know.is_empty() {
        if verbose {
            let _ = writeln!(out, "{}", locale.get("cli.to_know"));
            for item in to_know {
                let _ = writeln!(out, "{}", bullet(item));
                let _ = writeln!(out, "      {}", item.advice);
            }
        } else {
            let count = to_know.len().to_string();
            let _ = writeln!(
                out,
                "{}",
                locale.fill("cli.to_know_count", &[("count", count)])
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{verdict}");
    out
}

fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Before => "before",
        Phase::During => "during",
        Phase::After => "after",
    }
}
