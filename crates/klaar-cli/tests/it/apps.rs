//! `klaar apps`: seed 000's AVG table, complete, and seed 004's consumer apps with their
//! caution, in both languages and as JSON.

use crate::util::{klaar, run};
use serde_json::Value;

fn apps_json(lang: &str) -> Value {
    let out = run(klaar(None).args(["apps", "--json", "--lang", lang]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn the_whole_table_in_the_seeds_order_with_what_the_other_side_needs_and_the_remarks() {
    let view = apps_json("en");
    let rows = view["rows"].as_array().unwrap();
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Whatsapp",
            "Facetime",
            "Skype",
            "Microsoft Teams",
            "Youtube",
            "Google G Suite (onderwijs)",
            "Zoom (Gratis)",
            "Therapieland"
        ]
    );
    let row = |label: &str| rows.iter().find(|r| r["label"] == label).unwrap().clone();
    assert_eq!(row("Whatsapp")["avg"], "no");
    assert_eq!(
        row("Whatsapp")["needs"],
        Value::Null,
        "an empty cell stays empty"
    );
    assert_eq!(row("Youtube")["avg"], "conditional");
    let meet = row("Google G Suite (onderwijs)");
    assert_eq!(meet["name"], "Google Meet");
    assert!(meet["needs"]
        .as_str()
        .unwrap()
        .contains("Does not work with Apple Safari"));
    assert!(meet["remark"]
        .as_str()
        .unwrap()
        .contains("administrator must switch Meet on"));
    assert!(row("Zoom (Gratis)")["remark"]
        .as_str()
        .unwrap()
        .contains("the CED-Groep strongly advises against"));
    let consumer: Vec<&str> = view["consumer"]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        consumer,
        [
            "Facebook Messenger",
            "Skype",
            "WhatsApp",
            "FaceTime",
            "Signal"
        ]
    );
    assert!(view["consumer"]["caution"]
        .as_str()
        .unwrap()
        .contains("rare exception"));
}

#[test]
fn in_dutch_for_people() {
    let out = run(klaar(None).args(["apps", "--lang", "nl"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for words in [
        "Whatsapp: niet AVG-proof",
        "Microsoft Teams: AVG-proof",
        "Youtube: AVG-proof onder voorwaarden",
        "Werkt niet met Apple Safari",
        "De beheerder van G Suite moet Meet inschakelen.",
        "Consumentenapps",
        "Signal (niet beoordeeld)",
        "Autoriteit Persoonsgegevens",
    ] {
        assert!(
            out.stdout.contains(words),
            "{words:?} missing:\n{}",
            out.stdout
        );
    }
}
