//! The sound tests a user starts from the window, heard on a real PulseAudio: the chime reaches
//! the speakers, and "hear yourself" plays back what the microphone heard.

use crate::desktop::{Desktop, Options};

fn with_sound() -> Options {
    Options {
        lang: "en_GB.UTF-8",
        sound_server: true,
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_speaker_test_plays_a_chime_on_the_default_output_and_names_it() {
    let desktop = Desktop::start(with_sound()).await;
    let speakers = desktop.listen("speakers.monitor");
    assert!(speakers.peak() < 0.01, "the speakers are silent before");
    desktop.click("[data-testid=test-speakers]").await;
    let status = desktop
        .wait_attr("[data-testid=media-status]", "data-stage", |s| {
            s == "ui.speakers_done"
        })
        .await;
    assert_eq!(status, "ui.speakers_done");
    let text = desktop
        .wait_text("[data-testid=media-status]", |t| t.contains("Luidsprekers"))
        .await;
    assert!(text.contains("That chime played on Luidsprekers"), "{text}");
    let peak = speakers.peak();
    assert!(peak > 0.2, "the chime reached the speakers (peak {peak})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hear_yourself_plays_back_what_the_microphone_heard() {
    let desktop = Desktop::start(with_sound()).await;
    let speakers = desktop.listen("speakers.monitor");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(speakers.peak() < 0.01, "the speakers are silent before");
    // WebKitWebDriver's click returns once the page is idle again, which here means after the
    // recording: the stages are checked by their texts at the end.
    desktop.click("[data-testid=hear-yourself]").await;
    let text = desktop
        .wait_text("[data-testid=media-status]", |t| t.contains("That was you"))
        .await;
    assert!(text.contains("The recording is deleted again."), "{text}");
    // The microphone heard the room's tone at 0.3; the playback carries it.
    let peak = speakers.peak();
    assert!(
        peak > 0.2,
        "the recording reached the speakers (peak {peak})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_sound_devices_the_tests_say_what_is_missing() {
    let desktop = Desktop::start(Options {
        lang: "en_GB.UTF-8",
        sound_server: false,
        ..Options::default()
    })
    .await;
    desktop.click("[data-testid=test-speakers]").await;
    let text = desktop
        .wait_text("[data-testid=media-status]", |t| {
            t.contains("Klaar finds no")
        })
        .await;
    assert!(text.contains("speakers or headphones"), "{text}");
    desktop.click("[data-testid=hear-yourself]").await;
    desktop
        .wait_text("[data-testid=media-status]", |t| {
            t.contains("no microphone")
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_level_meter_moves_with_the_microphone_while_the_window_is_open() {
    let desktop = Desktop::start(with_sound()).await;
    // The room's tone plays at 0.3 of full scale: about −10 dBFS.
    let value = desktop
        .wait_attr("[data-testid=mic-level]", "value", |v| {
            v.parse::<f64>().is_ok_and(|v| v > -20.0)
        })
        .await;
    assert!(value.parse::<f64>().unwrap() < 0.0, "{value}");
    // A word, not a figure: the tone at −10 dBFS is "good".
    let text = desktop
        .wait_text("[data-testid=mic-level-text]", |t| !t.is_empty())
        .await;
    assert_eq!(text, "good");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pickers_list_the_sound_servers_devices_and_the_choice_is_used_and_kept() {
    let desktop = Desktop::start(with_sound()).await;
    let names = |css: &'static str| {
        let desktop = &desktop;
        async move {
            let mut names = Vec::new();
            for option in desktop
                .web()
                .find_all(fantoccini::Locator::Css(css))
                .await
                .unwrap()
            {
                names.push(option.text().await.unwrap());
            }
            names
        }
    };
    desktop
        .wait_text("[data-testid=pick-speakers] option", |t| !t.is_empty())
        .await;
    let speakers = names("[data-testid=pick-speakers] option").await;
    assert_eq!(
        speakers.first().map(String::as_str),
        Some("Default: Luidsprekers"),
        "the default first: {speakers:?}"
    );
    assert!(speakers.iter().any(|n| n == "Koptelefoon"), "{speakers:?}");
    let microphones = names("[data-testid=pick-microphone] option").await;
    assert!(
        microphones.iter().any(|n| n == "Headsetmicrofoon"),
        "{microphones:?}"
    );
    assert!(
        !microphones
            .iter()
            .any(|n| n.contains("Luidsprekers") || n.contains("Koptelefoon")),
        "outputs' monitors are no microphones: {microphones:?}"
    );
    let cameras = names("[data-testid=pick-camera] option").await;
    assert_eq!(cameras, ["No camera found"], "no camera on this machine");

    // Choose the headphones: the chime plays there, not on the speakers.
    let headphones = desktop.listen("headphones.monitor");
    let speakers_heard = desktop.listen("speakers.monitor");
    desktop
        .web()
        .find(fantoccini::Locator::Css("[data-testid=pick-speakers]"))
        .await
        .unwrap()
        .select_by_label("Koptelefoon")
        .await
        .unwrap();
    let settings = desktop.home().join(".config/klaar/settings.toml");
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&settings).is_ok_and(|s| s.contains("headphones")) {
        assert!(
            start.elapsed() < crate::desktop::PATIENCE,
            "the choice was not kept"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    desktop.click("[data-testid=test-speakers]").await;
    let text = desktop
        .wait_text("[data-testid=media-status]", |t| t.contains("That chime"))
        .await;
    assert!(text.contains("That chime played on Koptelefoon"), "{text}");
    let peak = headphones.peak();
    assert!(peak > 0.2, "the chime reached the headphones (peak {peak})");
    assert!(speakers_heard.peak() < 0.01, "and not the speakers");
}
