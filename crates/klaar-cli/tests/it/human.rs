//! What a person reads in the terminal.

use crate::util::{fixture, klaar, run};

#[test]
fn dutch_by_default_grouped_by_phase_with_symbols_and_the_verdict_last() {
    let out = run(klaar(Some(&fixture("laptop-on-battery"))).arg("check"));
    assert_eq!(out.code, 1);
    let text = out.stdout;
    let before = text.find("Voor het gesprek").expect("phase heading");
    let during = text.find("Tijdens het gesprek").expect("phase heading");
    assert!(before < during);
    assert!(
        text.contains("[✘ niet in orde] AVG-veilige app voor beeldbellen"),
        "{text}"
    );
    assert!(text.contains("[! let op] Laptop aan de stroom"), "{text}");
    assert!(
        text.contains("Advies: Zorg dat je laptop met stroom verbonden is"),
        "{text}"
    );
    assert!(
        text.contains(
            "Bron: CED-Groep, Beeldbellen en thuiswerken: do's en don'ts — Overige adviezen"
        ),
        "{text}"
    );
    assert!(
        text.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("Oordeel: ✘ Nog niet klaar"),
        "{text}"
    );
}

#[test]
fn english_from_the_os_locale_and_from_the_flag() {
    let out = run(klaar(Some(&fixture("laptop-charging")))
        .env("LANG", "en_GB.UTF-8")
        .arg("check"));
    assert!(
        out.stdout.contains("[✔ pass] Laptop plugged in"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Source: Autoriteit Persoonsgegevens"),
        "{}",
        out.stdout
    );
    let out = run(klaar(Some(&fixture("laptop-charging")))
        .env("LANG", "en_GB.UTF-8")
        .args(["check", "--lang", "nl"]));
    assert!(
        out.stdout.contains("Laptop aan de stroom"),
        "{}",
        out.stdout
    );
}

#[test]
fn problems_in_full_passing_items_one_line_tick_items_apart_verdict_first_and_last() {
    let out = run(klaar(Some(&fixture("laptop-on-battery"))).args(["check", "--lang", "en"]));
    let text = out.stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Verdict: ✘ Not ready"), "{text}");
    // The verdict names what blocks.
    assert!(lines[0].contains("Zoom is open"), "{text}");
    assert!(
        lines.last().unwrap().starts_with("Verdict: ✘ Not ready"),
        "{text}"
    );
    // A problem: what was found, the advice and the source.
    let zoom = lines
        .iter()
        .position(|l| l.contains("[✘ fail] GDPR-safe video-call app"))
        .expect("the failing item");
    assert!(
        lines[zoom + 2].trim_start().starts_with("Advice:"),
        "{text}"
    );
    // A passing item: one line, with what Klaar found.
    let calm: Vec<&&str> = lines.iter().filter(|l| l.contains("[✔ pass]")).collect();
    assert!(!calm.is_empty(), "{text}");
    for line in calm {
        let at = lines.iter().position(|l| l == line).unwrap();
        assert!(line.contains(": "), "{line}");
        assert!(!lines[at + 1].trim_start().starts_with("Advice:"), "{text}");
    }
    // The items in order stand under what they are about.
    let privacy = lines
        .iter()
        .position(|l| l.trim() == "· Privacy and agreements")
        .expect("a group heading");
    assert!(
        lines[privacy + 1].contains("[✔ pass] Cloud storage"),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.trim() == "· The call"), "{text}");
    // The tick items, under "Check yourself", with their phase.
    let yourself = text.find("Check yourself").expect("the tick items");
    assert!(text[yourself..].contains("☐ Phone on silent"), "{text}");
    assert!(text[..yourself].matches("☐").count() == 0, "{text}");
    // --verbose: every item in full.
    let verbose = run(klaar(Some(&fixture("laptop-on-battery"))).args([
        "check",
        "--lang",
        "en",
        "--verbose",
    ]))
    .stdout;
    assert!(
        verbose.matches("Advice:").count() > text.matches("Advice:").count(),
        "{verbose}"
    );
}
