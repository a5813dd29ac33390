//! Klaar with the keyboard alone, and names for screen readers.

use crate::desktop::{Desktop, Options};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::json;

async fn press(desktop: &Desktop, key: Key) {
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() });
    desktop
        .web()
        .perform_actions(actions)
        .await
        .expect("a key press");
}

/// Presses Tab until the focused element matches `css`, as a keyboard user would (at most 120
/// times: the checklist has about forty items, some with a link and a box each).
async fn tab_to(desktop: &Desktop, css: &str) {
    for _ in 0..120 {
        press(desktop, Key::Tab).await;
        let focused = desktop
            .web()
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![json!(css)],
            )
            .await
            .unwrap();
        if focused == json!(true) {
            return;
        }
    }
    panic!("Tab never reached {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_alone_runs_a_check_and_ticks_an_item() {
    let desktop = Desktop::start(Options::default()).await;
    tab_to(&desktop, "[data-testid=check]").await;
    press(&desktop, Key::Enter).await;
    desktop
        .wait_attr("[data-testid=verdict]", "data-verdict", |v| {
            v == "not_ready"
        })
        .await;

    tab_to(&desktop, "[data-id=phone_silent] [data-testid=tick]").await;
    press(&desktop, Key::Space).await;
    desktop
        .wait_attr(
            "[data-testid=item][data-id=phone_silent]",
            "data-status",
            |s| s == "pass",
        )
        .await;
    // The box stays where it was and keeps the focus: the next Tab goes on from there.
    let focused = desktop
        .web()
        .execute(
            "return document.activeElement.matches('[data-id=phone_silent] [data-testid=tick]');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, json!(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_control_has_a_name_a_screen_reader_can_read() {
    let desktop = Desktop::start(Options::default()).await;
    desktop.click("[data-testid=check]").await;
    desktop
        .wait_attr("[data-testid=verdict]", "data-verdict", |v| {
            v == "not_ready"
        })
        .await;
    let unnamed = desktop
        .web()
        .execute(
            r#"
            const name = (el) => (el.getAttribute("aria-label") || el.labels?.[0]?.textContent
                || el.textContent || "").trim();
            return [...document.querySelectorAll("button, input, select, summary")]
                .filter((el) => !el.closest("[hidden]") && name(el) === "")
                .map((el) => el.outerHTML);
            "#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(unnamed, json!([]), "controls without a name");
    // The verdict is announced when it changes.
    let verdict = desktop
        .web()
        .find(Locator::Css("[data-testid=verdict]"))
        .await
        .unwrap();
    assert_eq!(
        verdict.attr("role").await.unwrap().as_deref(),
        Some("status")
    );
    assert_eq!(
        verdict.attr("aria-live").await.unwrap().as_deref(),
        Some("polite")
    );
    // Each "again" button says which item it checks again.
    let recheck = desktop
        .web()
        .find(Locator::Css("[data-id=power] [data-testid=recheck]"))
        .await
        .unwrap();
    assert_eq!(
        recheck.attr("aria-label").await.unwrap().as_deref(),
        Some("Controleer opnieuw: Laptop aan de stroom")
    );
}
