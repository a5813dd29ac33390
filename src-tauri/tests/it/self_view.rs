//! The live self-view: the camera's picture in the window, with the lighting verdict beside it,
//! for as long as the window asks for it.

use crate::desktop::{Desktop, Options};

fn seeing(picture: &'static [(&'static str, &'static str)]) -> Options {
    Options {
        lang: "en_GB.UTF-8",
        env: picture,
        ..Options::default()
    }
}

const BACKLIT: &[(&str, &str)] = &[(
    "KLAAR_FAKE_CAMERA",
    concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/pictures/backlit.png"),
)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_view_shows_the_picture_and_says_how_it_is_lit() {
    let desktop = Desktop::start(seeing_backlit()).await;
    let toggle = "[data-testid=self-view-toggle]";
    assert_eq!(
        desktop.wait_text(toggle, |_| true).await,
        "Show my camera picture"
    );
    desktop.click(toggle).await;
    desktop
        .wait_attr(toggle, "aria-pressed", |p| p == "true")
        .await;
    let src = desktop
        .wait_attr("[data-testid=self-view]", "src", |s| {
            s.starts_with("data:image/jpeg")
        })
        .await;
    assert!(src.len() > 1000, "a real picture: {} bytes", src.len());
    let light = desktop
        .wait_text("[data-testid=self-view-light]", |t| t.contains("backlit"))
        .await;
    assert!(light.contains("Turn towards the window"), "{light}");
    assert_eq!(
        desktop
            .wait_attr("[data-testid=self-view-light]", "data-status", |_| true)
            .await,
        "warn"
    );
    desktop.screenshot("self-view.png").await;
    desktop.click(toggle).await;
    desktop
        .wait_attr(toggle, "aria-pressed", |p| p == "false")
        .await;
}

fn seeing_backlit() -> Options {
    seeing(BACKLIT)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_camera_the_self_view_and_the_checklist_both_say_so() {
    // The replayed laptop has no camera, and no picture stands in for one.
    let desktop = Desktop::start(seeing(&[])).await;
    desktop.click("[data-testid=self-view-toggle]").await;
    let light = desktop
        .wait_text("[data-testid=self-view-light]", |t| t.contains("no camera"))
        .await;
    assert_eq!(light, "Klaar finds no camera.");
    let camera = "[data-testid=item][data-id=camera]";
    assert_eq!(
        desktop.wait_attr(camera, "data-status", |_| true).await,
        "fail"
    );
    let item = desktop.wait_text(camera, |_| true).await;
    assert!(item.contains("Klaar finds no camera"), "{item}");
    assert_eq!(
        desktop
            .wait_text("[data-testid=pick-camera] option", |_| true)
            .await,
        "No camera found"
    );
}
