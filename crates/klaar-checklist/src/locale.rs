//! Languages and the texts around the items (status words, reasons, CLI phrases).

use crate::catalogue::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Dutch first: Klaar's users are Dutch.
    #[default]
    Nl,
    En,
}

impl Lang {
    /// From a locale tag such as `en_GB.UTF-8`, `en-US` or `nl_NL`. Anything but English is Dutch.
    pub fn from_locale(tag: &str) -> Lang {
        let lower = tag.to_ascii_lowercase();
        if lower == "en"
            || lower.starts_with("en_")
            || lower.starts_with("en-")
            || lower.starts_with("en.")
        {
            Lang::En
        } else {
            Lang::Nl
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn pick(self, text: &Text) -> &str {
        match self {
            Lang::Nl => &text.nl,
            Lang::En => &text.en,
        }
    }
}

const NL: &str = include_str!("../../../assets/locales/nl.toml");
const EN: &str = include_str!("../../../assets/locales/en.toml");

/// Flat `section.key` → text map of one language.
#[derive(Debug, Clone)]
pub struct Locale {
    texts: BTreeMap<String, String>,
}

impl Locale {
    pub fn builtin(lang: Lang) -> Locale {
        Locale::parse(match lang {
            Lang::Nl => NL,
            Lang::En => EN,
        })
        .expect("built-in locale files are checked by a test")
    }

    pub fn parse(text: &str) -> Result<Locale, toml::de::Error> {
        let table: BTreeMap<String, BTreeMap<String, String>> = toml::from_str(text)?;
        let texts = table
            .into_iter()
            .flat_map(|(section, keys)| {
                keys.into_iter()
                    .map(move |(k, v)| (format!("{section}.{k}"), v))
            })
            .collect();
        Ok(Locale { texts })
    }

    /// The text for `key`; the key itself when missing, so a gap shows instead of crashing.
    pub fn get(&self, key: &str) -> String {
        self.texts
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Every text of the given sections, keyed `section.key`.
    pub fn sections(&self, names: &[&str]) -> BTreeMap<String, String> {
        self.texts
            .iter()
            .filter(|(key, _)| {
                key.split_once('.')
                    .is_some_and(|(section, _)| names.contains(&section))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    pub fn fill(&self, key: &str, args: &[(&str, String)]) -> String {
        fill(&self.get(key), args)
    }
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    args.iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags() {
        assert_eq!(Lang::from_locale("en_GB.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("nl_NL.UTF-8"), Lang::Nl);
        assert_eq!(Lang::from_locale("C"), Lang::Nl);
        assert_eq!(Lang::from_locale("eng"), Lang::Nl);
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let nl: Vec<_> = Locale::builtin(Lang::Nl).keys().map(String::from).collect();
        let en: Vec<_> = Locale::builtin(Lang::En).keys().map(String::from).collect();
        assert_eq!(nl, en);
    }
}
