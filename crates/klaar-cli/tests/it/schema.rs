//! Real output validates against the documented schema (docs/report.schema.json).

use crate::util::{check_json, check_json_seeing, fixture, fixtures};
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("a valid schema")
}

/// Panics, naming each error, when `report` does not match the schema.
pub fn assert_valid(report: &serde_json::Value) {
    let errors: Vec<String> = validator()
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
}

#[test]
fn every_report_matches_the_schema() {
    let validator = validator();
    let mut reports = vec![check_json(None, &[]).0];
    reports.extend(fixtures().iter().map(|root| check_json(Some(root), &[]).0));
    // A root without /sys or /proc: every item unknown, with its reason.
    let empty = tempfile::tempdir().unwrap();
    reports.push(check_json(Some(empty.path()), &[]).0);
    // The camera items with a picture, each kind of lighting, and a broken picture.
    for picture in [
        "well-lit.png",
        "backlit.png",
        "dim-room.png",
        "lens-cap.png",
        "overexposed.png",
        "broken.png",
    ] {
        reports.push(check_json_seeing(Some(&fixture("laptop-camera-busy")), picture, &[]).0);
    }
    for report in reports {
        assert_valid(&report);
    }
    // The schema is strict enough to catch a wrong status word.
    let mut broken = check_json(None, &[]).0;
    broken["items"][0]["status"] = "ok".into();
    assert!(!validator.is_valid(&broken));
}

/// Every item a probe answers has its facts described in the schema (`facts_by_id`), so a new
/// probe's facts cannot go undocumented: an item missing there would pass validation with any
/// facts at all.
#[test]
fn every_checked_item_has_its_facts_in_the_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut described: Vec<&str> = Vec::new();
    for case in schema["$defs"]["facts_by_id"]["allOf"].as_array().unwrap() {
        let id = &case["if"]["properties"]["id"];
        match id["const"].as_str() {
            Some(one) => described.push(one),
            None => described.extend(
                id["enum"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|v| v.as_str()),
            ),
        }
    }
    let (report, _) = check_json(None, &[]);
    let checked: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["kind"] == "automatic")
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert!(checked.len() >= 17, "{checked:?}");
    let missing: Vec<&&str> = checked
        .iter()
        .filter(|id| !described.contains(id))
        .collect();
    assert!(missing.is_empty(), "no facts in the schema for {missing:?}");
}
