//! Which online-meeting service an event links to. The link forms are data
//! (`assets/meetings.toml`), keyed like `assets/apps.toml`, so the seed table's AVG rating
//! follows from the key.

use regex::Regex;
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../../assets/meetings.toml");

/// A service and the link forms that start one of its meetings.
#[derive(Debug, Clone)]
pub struct Service {
    pub key: String,
    links: Vec<Regex>,
}

#[derive(Deserialize)]
struct File {
    services: Vec<ServiceDef>,
}

#[derive(Deserialize)]
struct ServiceDef {
    key: String,
    links: Vec<String>,
}

/// The services of `assets/meetings.toml`, patterns compiled case-insensitively.
///
/// Panics only if the built-in file is broken, which a test rules out.
pub fn builtin() -> Vec<Service> {
    let file: File = toml::from_str(BUILTIN).expect("assets/meetings.toml is checked by a test");
    file.services
        .into_iter()
        .map(|s| Service {
            links: s
                .links
                .iter()
                .map(|p| Regex::new(&format!("(?i){p}")).expect("checked by a test"))
                .collect(),
            key: s.key,
        })
        .collect()
}

/// The first meeting link in `fields` (best source first), with its service's key. Within one
/// field the earliest link wins; Outlook's SafeLinks are unwrapped before matching.
pub fn recognise(services: &[Service], fields: &[(String, String)]) -> Option<(String, String)> {
    fields.iter().find_map(|(_, text)| {
        let text = unwrap_safelinks(text);
        services
            .iter()
            .flat_map(|s| {
                s.links
                    .iter()
                    .filter_map(|re| re.find(&text))
                    .map(move |m| (m.start(), s.key.clone(), m.as_str().to_string()))
            })
            .min_by_key(|(start, ..)| *start)
            .map(|(_, key, url)| (key, url.trim_end_matches(['.', ',', ')', '>']).to_string()))
    })
}

/// Outlook wraps links as `https://*.safelinks.protection.outlook.com/?url=<percent-encoded>&…`.
/// Each such link becomes the link it wraps (repeatedly, for links wrapped twice).
pub fn unwrap_safelinks(text: &str) -> String {
    static WRAPPED: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(
            r#"(?i)https?://[a-z0-9.-]*safelinks\.protection\.outlook\.com/?\?[^\s<>"]*?url=([^&\s<>"]+)[^\s<>"]*"#,
        )
        .expect("a valid pattern")
    });
    let wrapped = &*WRAPPED;
    if !text.to_ascii_lowercase().contains("safelinks") {
        return text.to_string();
    }
    let mut text = text.to_string();
    for _ in 0..8 {
        let next = wrapped
            .replace_all(&text, |c: &regex::Captures| {
                percent_encoding::percent_decode_str(&c[1])
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .into_owned();
        if next == text {
            break;
        }
        text = next;
    }
    text
}
