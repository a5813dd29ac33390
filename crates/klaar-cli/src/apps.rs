//! `klaar apps`: seed 000's table of video-call apps (AVG-proof or not, what the other side
//! needs, the table's remarks) and seed 004's consumer apps with their caution.

use klaar_checklist::Lang;
use std::process::ExitCode;

pub fn run(json: bool, lang: Lang) -> ExitCode {
    let (engine, _) = crate::policy::tailored();
    let view = engine.apps_view(lang);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&view).expect("the view is plain data")
        );
        return ExitCode::SUCCESS;
    }
    let locale = engine.locale(lang);
    let line = |key: &str, value: &str| locale.fill(key, &[("value", value.to_string())]);
    println!("{}", locale.get("apps.title"));
    for row in &view.rows {
        match &row.organisation_text {
            Some(decided) => println!("  {}: {} ({decided})", row.label, row.rating),
            None => println!("  {}: {}", row.label, row.rating),
        }
        if let Some(needs) = &row.needs {
            println!("      {}", line("apps.needs", needs));
        }
        if let Some(remark) = &row.remark {
            println!("      {}", line("apps.remark", remark));
        }
    }
    println!("  {}", view.advice);
    println!();
    println!("{}", locale.get("apps.consumer_title"));
    let names: Vec<String> = view
        .consumer
        .apps
        .iter()
        .map(|a| format!("{} ({})", a.name, a.rating))
        .collect();
    println!("  {}", names.join(", "));
    println!("  {}", view.consumer.caution);
    for source in &view.sources {
        let seed = engine
            .catalogue()
            .seeds
            .get(&source.seed)
            .map(|s| format!("{}, \"{}\"", s.publisher, s.title))
            .unwrap_or_else(|| source.seed.clone());
        println!(
            "{}",
            line("apps.source", &format!("{seed}: {}", source.section))
        );
    }
    ExitCode::SUCCESS
}
