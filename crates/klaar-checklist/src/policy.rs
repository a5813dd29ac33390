//! What shapes a check besides the facts: the organisation's [`Policy`] (read from
//! `/etc/klaar/policy.toml` by `klaar_settings::policy`) and the person's own choices (their
//! profile and the items they marked as not applicable, from `settings.toml`), together the
//! [`Choices`] an [`Engine`](crate::Engine) applies. Nothing the person sets overrides the policy.

use crate::catalogue::{AppDef, ItemDef};
use serde::{Deserialize, Serialize};

/// Who Klaar is set up for. A profile chooses which items show and which guide leads (its
/// citations first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Education and childcare: seed 000 (CED-Groep, written for schools) leads.
    #[default]
    Onderwijs,
    /// Healthcare: seed 004 (Autoriteit Persoonsgegevens) leads, with its section for care
    /// organisations (systems that meet the care sector's standards, patient numbers instead of
    /// names, informing the patient of a consumer app's risks and asking consent).
    Zorg,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Onderwijs, Profile::Zorg];

    /// The key in `settings.toml`, `policy.toml`, the catalogue and the JSON report.
    pub fn key(self) -> &'static str {
        match self {
            Profile::Onderwijs => "onderwijs",
            Profile::Zorg => "zorg",
        }
    }

    /// `"onderwijs"` or `"zorg"` (exactly; keys are not translated).
    pub fn parse(key: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The seed whose citations come first: `"000"` for education, `"004"` for care.
    pub fn lead_seed(self) -> &'static str {
        match self {
            Profile::Onderwijs => "000",
            Profile::Zorg => "004",
        }
    }

    /// The key of its name in the locale files (`[profile]`).
    pub fn locale_key(self) -> &'static str {
        match self {
            Profile::Onderwijs => "profile.onderwijs",
            Profile::Zorg => "profile.zorg",
        }
    }
}

/// The organisation's policy, already checked against the catalogue (unknown keys are
/// reported by its reader and left out). Empty by default: no organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `profile = "onderwijs" | "zorg"`: the person cannot choose another.
    pub profile: Option<Profile>,
    /// `[apps] approved`: keys of `assets/apps.toml` the organisation approved: a running one
    /// passes, "approved by your organisation", with the guide's rating still shown.
    pub approved_apps: Vec<String>,
    /// `[apps] forbidden`: keys of apps that fail whenever they run.
    pub forbidden_apps: Vec<String>,
    /// `[items] required`: item ids whose warning becomes a failure; the person cannot mark
    /// them as not applicable.
    pub required: Vec<String>,
    /// `[items] disabled`: item ids not shown at all. The reader never disables a required
    /// item, nor one that names a forbidden app.
    pub disabled: Vec<String>,
    /// `[connection] target`: the host (optionally `host:port`) the connection item measures.
    pub connection_target: Option<String>,
    /// `[reminders] minutes`: how long before an online meeting Klaar reminds (1–60).
    pub remind_minutes: Option<u32>,
}

impl Policy {
    /// Whether the organisation set anything at all.
    pub fn is_empty(&self) -> bool {
        self == &Policy::default()
    }

    /// The names of the apps this policy forbids that item `id` names when they run
    /// (`apps`: the catalogue's apps; see [`AppDef::forbidden_in`]).
    pub fn forbidden_named_in<'a>(&self, id: &str, apps: &'a [AppDef]) -> Vec<&'a str> {
        apps.iter()
            .filter(|a| self.forbidden_apps.contains(&a.key))
            .filter(|a| a.forbidden_in().contains(&id))
            .map(|a| a.name.as_str())
            .collect()
    }
}

/// Where the organisation decided something about an item, as the JSON report's
/// `organisation` list says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decided {
    /// The item is required: a warning became a failure.
    Required,
    /// A running app is approved by the organisation.
    Approved,
    /// A running app is forbidden by the organisation.
    Forbidden,
}

impl Decided {
    /// The key of its words in the locale files (`[organisation]`).
    pub fn locale_key(self) -> &'static str {
        match self {
            Decided::Required => "organisation.required",
            Decided::Approved => "organisation.approved",
            Decided::Forbidden => "organisation.forbidden",
        }
    }
}

/// Why the person cannot mark an item as not applicable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lock<'a> {
    /// The organisation requires the item.
    Required,
    /// The item is where these apps (their names), forbidden by the organisation, are reported.
    NamesForbidden(Vec<&'a str>),
}

/// The organisation's policy and the person's choices, as one check applies them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub policy: Policy,
    /// The person's profile (`settings.toml`); the policy's comes first.
    pub profile: Option<Profile>,
    /// Item ids the person marked as not applicable ("my school uses no VPN"); shown as `info`,
    /// they no longer count for the verdict. Ignored for locked items
    /// ([`Choices::is_locked`]).
    pub not_applicable: Vec<String>,
}

impl Choices {
    /// The profile in force: the organisation's, else the person's, else education.
    pub fn profile(&self) -> Profile {
        self.policy.profile.or(self.profile).unwrap_or_default()
    }

    /// Whether the item shows at all: not disabled by the organisation, and meant for the
    /// profile in force (an item without `profiles` is meant for every profile).
    pub fn shows(&self, item: &ItemDef) -> bool {
        !self.policy.disabled.contains(&item.id)
            && (item.profiles.is_empty() || item.profiles.contains(&self.profile()))
    }

    /// Whether the organisation requires the item.
    pub fn is_required(&self, id: &str) -> bool {
        self.policy.required.iter().any(|r| r == id)
    }

    /// Why the person cannot mark the item as not applicable, if they cannot: the
    /// organisation requires it, or it is where an app the organisation forbids is named (else
    /// that app would fail nowhere; [`Policy::forbidden_named_in`]).
    pub fn lock<'a>(&self, id: &str, apps: &'a [AppDef]) -> Option<Lock<'a>> {
        if self.is_required(id) {
            return Some(Lock::Required);
        }
        let forbidden = self.policy.forbidden_named_in(id, apps);
        (!forbidden.is_empty()).then_some(Lock::NamesForbidden(forbidden))
    }

    /// Whether the person cannot mark the item as not applicable ([`Choices::lock`]).
    pub fn is_locked(&self, id: &str, apps: &[AppDef]) -> bool {
        self.lock(id, apps).is_some()
    }

    /// Whether the person marked the item as not applicable (never a locked one).
    pub fn is_not_applicable(&self, id: &str, apps: &[AppDef]) -> bool {
        !self.is_locked(id, apps) && self.not_applicable.iter().any(|n| n == id)
    }

    /// What the organisation thinks of the app `key`: approved, forbidden, or nothing.
    pub fn stance(&self, key: &str) -> Option<Decided> {
        if self.policy.forbidden_apps.iter().any(|k| k == key) {
            Some(Decided::Forbidden)
        } else if self.policy.approved_apps.iter().any(|k| k == key) {
            Some(Decided::Approved)
        } else {
            None
        }
    }
}
