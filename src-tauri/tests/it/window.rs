//! The window as a user meets it: check, watch the items arrive, tick, switch language.

use crate::desktop::{fixture, Desktop, Options, WELL_LIT_CAMERA};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_fills_in_the_checklist_and_gives_a_verdict() {
    let desktop = Desktop::start(Options::default()).await;
    let verdict = "[data-testid=verdict]";
    desktop
        .wait_text(verdict, |t| t.contains("Nog niet gecontroleerd"))
        .await;
    assert_eq!(
        desktop.wait_text("[data-testid=check]", |_| true).await,
        "Controleer voor je gesprek"
    );

    desktop.click("[data-testid=check]").await;
    // laptop-on-battery: Zoom is open, which is not GDPR-proof, so Klaar is not ready.
    desktop
        .wait_attr(verdict, "data-verdict", |v| v == "not_ready")
        .await;
    let text = desktop.wait_text(verdict, |_| true).await;
    assert!(text.contains("Nog niet klaar"), "{text}");
    let apps = "[data-testid=item][data-id=call_apps]";
    assert_eq!(
        desktop.wait_attr(apps, "data-status", |_| true).await,
        "fail"
    );
    let apps_text = desktop.wait_text(apps, |_| true).await.to_lowercase();
    assert!(
        apps_text.contains("niet in orde"),
        "a word, not only a colour: {apps_text}"
    );
    assert!(apps_text.contains("zoom"), "{apps_text}");
    assert!(
        apps_text.contains("autoriteit persoonsgegevens, veilig thuiswerken"),
        "the source is shown: {apps_text}"
    );
    let power = "[data-testid=item][data-id=power]";
    assert_eq!(
        desktop.wait_attr(power, "data-status", |_| true).await,
        "warn"
    );
    for id in ["network", "vpn", "screen_share", "cloud_sync"] {
        let css = format!("[data-testid=item][data-id={id}]");
        desktop
            .wait_attr(&css, "data-status", |s| !s.is_empty())
            .await;
    }
    assert!(
        desktop
            .web()
            .find_all(Locator::Css("[data-testid=pending]"))
            .await
            .unwrap()
            .is_empty(),
        "nothing is left waiting"
    );
    desktop.screenshot("window-nl.png").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticks_count_towards_the_verdict_and_the_language_can_change() {
    let desktop = Desktop::start(Options {
        root: Some(fixture("laptop-charging")),
        env: WELL_LIT_CAMERA,
        sound_server: true,
        ..Options::default()
    })
    .await;
    desktop.click("[data-testid=check]").await;
    let verdict = "[data-testid=verdict]";
    desktop
        .wait_attr(verdict, "data-verdict", |v| v == "attention")
        .await;

    // The sound server's tone: a working microphone in a noisy room.
    let microphone = "[data-testid=item][data-id=microphone]";
    assert_eq!(
        desktop.wait_attr(microphone, "data-status", |_| true).await,
        "pass"
    );
    let noise = "[data-testid=item][data-id=noise]";
    assert_eq!(
        desktop.wait_attr(noise, "data-status", |_| true).await,
        "warn"
    );
    let phone = "[data-testid=item][data-id=phone_silent]";
    assert_eq!(
        desktop.wait_attr(phone, "data-status", |_| true).await,
        "manual"
    );
    desktop.click(&format!("{phone} [data-testid=tick]")).await;
    desktop
        .wait_attr(phone, "data-status", |s| s == "pass")
        .await;

    desktop
        .web()
        .find(Locator::Css("[data-testid=language] option[value=en]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    desktop
        .wait_text("[data-testid=check]", |t| t == "Check again")
        .await;
    let phone_text = desktop.wait_text(phone, |_| true).await;
    assert!(phone_text.contains("Phone on silent"), "{phone_text}");
    assert_eq!(
        desktop.wait_attr(phone, "data-status", |_| true).await,
        "pass",
        "the tick survives the change of language"
    );
    desktop.screenshot("window-en.png").await;

    // A new call starts with no ticks.
    desktop.click("[data-testid=new-call]").await;
    desktop
        .wait_attr(phone, "data-status", |s| s == "manual")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checking_one_item_again_picks_up_what_changed() {
    // A copy of a charging laptop whose charger the test will pull out.
    let root = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(crate::desktop::fixture("laptop-charging"))
        .arg(root.path().join("laptop"))
        .status()
        .unwrap();
    assert!(status.success());
    let laptop = root.path().join("laptop");
    let desktop = Desktop::start(Options {
        lang: "en_GB.UTF-8",
        root: Some(laptop.clone()),
        ..Options::default()
    })
    .await;
    desktop.click("[data-testid=check]").await;
    let power = "[data-testid=item][data-id=power]";
    desktop
        .wait_attr(power, "data-status", |s| s == "pass")
        .await;

    let supply = laptop.join("sys/class/power_supply");
    std::fs::write(supply.join("ADP1/online"), "0\n").unwrap();
    std::fs::write(supply.join("BAT1/status"), "Discharging\n").unwrap();
    std::fs::write(supply.join("BAT1/capacity"), "12\n").unwrap();
    let full: u64 = std::fs::read_to_string(supply.join("BAT1/charge_full"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    std::fs::write(
        supply.join("BAT1/charge_now"),
        format!("{}\n", full * 12 / 100),
    )
    .unwrap();
    desktop
        .click(&format!("{power} [data-testid=recheck]"))
        .await;

    desktop
        .wait_attr(power, "data-status", |s| s == "fail")
        .await;
    let text = desktop.wait_text(power, |t| t.contains("12%")).await;
    assert!(text.contains("nearly empty"), "{text}");
    assert_eq!(
        desktop
            .wait_attr("[data-testid=verdict]", "data-verdict", |v| v != "checking")
            .await,
        "not_ready"
    );
    assert_eq!(
        desktop
            .wait_attr("[data-testid=item][data-id=network]", "data-status", |_| {
                true
            })
            .await,
        "pass",
        "the other items keep their answer"
    );
}

/// The page's background as the user sees it: 0 is black, 255 is white.
async fn background_brightness(desktop: &Desktop) -> u64 {
    let rgb = desktop
        .web()
        .execute(
            "return getComputedStyle(document.body).backgroundColor;",
            vec![],
        )
        .await
        .unwrap();
    let numbers: Vec<u64> = rgb
        .as_str()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers[..3].iter().sum::<u64>() / 3
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn light_and_dark_follow_the_desktop_theme() {
    let light = Desktop::start(Options::default()).await;
    assert!(
        background_brightness(&light).await > 200,
        "light by default"
    );
    drop(light);
    let dark = Desktop::start(Options {
        env: &[("GTK_THEME", "Adwaita:dark")],
        ..Options::default()
    })
    .await;
    assert!(
        background_brightness(&dark).await < 60,
        "dark with a dark theme"
    );
    dark.screenshot("window-dark.png").await;
}
