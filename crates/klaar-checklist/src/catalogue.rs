//! The catalogue of checklist items and known apps, parsed from `assets/*.toml`.

use crate::policy::{Decided, Profile};
use klaar_facts::ProbeId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BUILTIN_ITEMS: &str = include_str!("../../../assets/catalogue.toml");
pub const BUILTIN_APPS: &str = include_str!("../../../assets/apps.toml");

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("the catalogue is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("item '{item}' cites seed '{seed}', which the catalogue does not describe")]
    UnknownSeed { item: String, seed: String },
    #[error("item id '{0}' appears twice")]
    DuplicateItem(String),
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Before,
    During,
    After,
}

/// What an item is about, so 40 items can be shown in three parts instead of a wall of cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// The call itself: camera, microphone, sound, phone.
    Call,
    /// Your device and network: power, connection, VPN, the device's security.
    Device,
    /// Privacy and agreements: which app, what is on screen and in the chat, who listens.
    Privacy,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::Call, Group::Device, Group::Privacy];

    /// The key of its name in the locale files (`[group]`).
    pub fn locale_key(self) -> &'static str {
        match self {
            Group::Call => "group.call",
            Group::Device => "group.device",
            Group::Privacy => "group.privacy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Automatic,
    Manual,
    Information,
}

/// Where an item comes from: a seed document and a section of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    pub seed: String,
    pub section: String,
    /// The guide's own words: the longer "why" behind the item.
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedInfo {
    pub publisher: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ItemDef {
    pub id: String,
    pub phase: Phase,
    pub group: Group,
    pub kind: ItemKind,
    pub probe: Option<ProbeId>,
    pub title: Text,
    pub advice: Text,
    pub sources: Vec<SourceRef>,
    /// The profiles the item is meant for (`profiles = ["zorg"]`); empty: every profile.
    #[serde(default)]
    pub profiles: Vec<Profile>,
    /// The message for each outcome, by the key a rule names: the main line, in plain words.
    #[serde(default)]
    pub messages: BTreeMap<String, Text>,
    /// Figures for the item's details part (dBm, dBFS, interface names, times), in order. A line
    /// shows when every `{placeholder}` in it has a value in the rule's outcome.
    #[serde(default)]
    pub details: Vec<DetailDef>,
    /// A few words naming the problem in the verdict ("geen microfoon"), by message key.
    /// `{apps}` may be used; `<key>_many` is the wording when it names more than one.
    #[serde(default)]
    pub short: BTreeMap<String, Text>,
}

/// One line of an item's details part.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DetailDef {
    pub nl: String,
    pub en: String,
    /// Only for these message keys; empty means for every message.
    #[serde(default)]
    pub when: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Avg {
    Yes,
    No,
    Conditional,
    Unknown,
}

impl Avg {
    /// The locale key of the rating's words ("niet AVG-proof").
    pub fn locale_key(self) -> &'static str {
        match self {
            Avg::Yes => "avg.yes",
            Avg::No => "avg.no",
            Avg::Conditional => "avg.conditional",
            Avg::Unknown => "avg.unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Call,
    Chat,
    Sync,
}

impl Role {
    /// The item that names a running app of this role (its rule in `rules.rs`).
    pub const fn item(self) -> &'static str {
        match self {
            Role::Call => "call_apps",
            Role::Chat => "screen_share",
            Role::Sync => "cloud_sync",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AppDef {
    pub key: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub avg: Avg,
    pub names: Vec<String>,
    #[serde(default)]
    pub packages: Vec<String>,
    /// Chromium/Edge web-app ids of the app installed from its website (`--app-id=`).
    #[serde(default)]
    pub app_ids: Vec<String>,
    /// Hosts of its web client; a subdomain matches too (`us02web.zoom.us` for `zoom.us`).
    #[serde(default)]
    pub web_hosts: Vec<String>,
    /// Folders that hold its `app.asar` when the system's shared `electron` runs it.
    #[serde(default)]
    pub asar: Vec<String>,
    /// What the organisation's policy says of it (approved, forbidden); set by the engine from
    /// its [`Choices`](crate::Choices), never read from the catalogue.
    #[serde(skip)]
    pub organisation: Option<Decided>,
}

impl AppDef {
    /// The items that fail when this app runs while the organisation forbids it: `call_apps`
    /// for an app that calls (whatever else it does), else the item of each of its roles.
    pub fn forbidden_in(&self) -> Vec<&'static str> {
        if self.roles.contains(&Role::Call) {
            vec![Role::Call.item()]
        } else {
            self.roles.iter().map(|r| r.item()).collect()
        }
    }
}

/// A tip that names several checks ("de verbinding, beeld en geluid"): each is an item of its
/// own, all citing the tip. Any other tip is carried by one item only.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SplitTip {
    pub seed: String,
    pub quote: String,
    pub items: Vec<String>,
    pub why: Text,
}

/// What a guide says that Klaar leaves out, and why (not a tip for calls or working from home).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Excluded {
    pub seed: String,
    pub section: String,
    pub quote: String,
    pub why: Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub seeds: BTreeMap<String, SeedInfo>,
    pub items: Vec<ItemDef>,
    pub apps: Vec<AppDef>,
    pub split_tips: Vec<SplitTip>,
    pub excluded: Vec<Excluded>,
}

#[derive(Deserialize)]
struct ItemsFile {
    seeds: BTreeMap<String, SeedInfo>,
    items: Vec<ItemDef>,
    #[serde(default)]
    split_tips: Vec<SplitTip>,
    #[serde(default)]
    excluded: Vec<Excluded>,
}

#[derive(Deserialize)]
struct AppsFile {
    apps: Vec<AppDef>,
}

impl Catalogue {
    pub fn builtin() -> Catalogue {
        Catalogue::parse(BUILTIN_ITEMS, BUILTIN_APPS)
            .expect("the built-in catalogue is checked by a test")
    }

    pub fn parse(items: &str, apps: &str) -> Result<Catalogue, CatalogueError> {
        let ItemsFile {
            seeds,
            items,
            split_tips,
            excluded,
        } = toml::from_str(items)?;
        let AppsFile { apps } = toml::from_str(apps)?;
        for (i, item) in items.iter().enumerate() {
            if items[..i].iter().any(|other| other.id == item.id) {
                return Err(CatalogueError::DuplicateItem(item.id.clone()));
            }
            if let Some(source) = item.sources.iter().find(|s| !seeds.contains_key(&s.seed)) {
                return Err(CatalogueError::UnknownSeed {
                    item: item.id.clone(),
                    seed: source.seed.clone(),
                });
            }
        }
        Ok(Catalogue {
            seeds,
            items,
            apps,
            split_tips,
            excluded,
        })
    }

    pub fn item(&self, id: &str) -> Option<&ItemDef> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The name people know an app by ("Microsoft Teams" for `teams`); the key itself for a
    /// service the catalogue does not list.
    pub fn app_name(&self, key: &str) -> String {
        self.apps
            .iter()
            .find(|a| a.key == key)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| key.to_string())
    }
}
