//! Ties catalogue, rules and texts together: which probes a check needs, and how each probe
//! result becomes report items in the user's language.

use crate::catalogue::{Avg, Catalogue, ItemDef, ItemKind};
use crate::locale::{fill, Lang, Locale};
use crate::report::{ItemReport, Report, Status, Verdict};
use crate::rules::{self, Arg, Policy};
use klaar_facts::{ProbeError, ProbeId, ProbeResult};

pub struct Engine {
    catalogue: Catalogue,
    policy: Policy,
    nl: Locale,
    en: Locale,
}

/// What one check covers: the items, in catalogue order, and the probes they need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub items: Vec<String>,
    pub probes: Vec<ProbeId>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown item '{id}'; known items: {}", known.join(", "))]
pub struct UnknownItem {
    pub id: String,
    pub known: Vec<String>,
}

impl Engine {
    pub fn new(catalogue: Catalogue, policy: Policy) -> Engine {
        Engine {
            catalogue,
            policy,
            nl: Locale::builtin(Lang::Nl),
            en: Locale::builtin(Lang::En),
        }
    }

    pub fn builtin() -> Engine {
        Engine::new(Catalogue::builtin(), Policy::default())
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    pub fn locale(&self, lang: Lang) -> &Locale {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// The items a probe can answer. `only` empty means all of them.
    pub fn plan(&self, only: &[String]) -> Result<Plan, UnknownItem> {
        let automatic: Vec<&ItemDef> = self
            .catalogue
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Automatic && i.probe.is_some())
            .collect();
        if let Some(id) = only
            .iter()
            .find(|id| !automatic.iter().any(|i| &i.id == *id))
        {
            return Err(UnknownItem {
                id: id.clone(),
                known: automatic.iter().map(|i| i.id.clone()).collect(),
            });
        }
        let chosen: Vec<&ItemDef> = automatic
            .into_iter()
            .filter(|i| only.is_empty() || only.contains(&i.id))
            .collect();
        let mut probes: Vec<ProbeId> = chosen.iter().filter_map(|i| i.probe).collect();
        probes.sort();
        probes.dedup();
        Ok(Plan {
            items: chosen.iter().map(|i| i.id.clone()).collect(),
            probes,
        })
    }

    /// The report items that `result` answers within `plan`.
    pub fn evaluate(&self, plan: &Plan, result: &ProbeResult, lang: Lang) -> Vec<ItemReport> {
        plan.items
            .iter()
            .filter_map(|id| self.catalogue.item(id))
            .filter(|item| item.probe == Some(result.probe))
            .map(|item| self.evaluate_item(item, result, lang))
            .collect()
    }

    fn evaluate_item(&self, item: &ItemDef, result: &ProbeResult, lang: Lang) -> ItemReport {
        let locale = self.locale(lang);
        let base = |status, detail, facts, reason| ItemReport {
            id: item.id.clone(),
            phase: item.phase,
            kind: item.kind,
            status,
            title: lang.pick(&item.title).to_string(),
            detail,
            advice: lang.pick(&item.advice).to_string(),
            sources: item.sources.clone(),
            facts,
            reason,
            elapsed_ms: result.elapsed_ms,
        };
        let empty = serde_json::Value::Object(Default::default());
        match &result.outcome {
            Err(error) => base(
                Status::Unknown,
                explain(error, locale),
                empty,
                Some(error.clone()),
            ),
            Ok(facts) => match rules::evaluate(&item.id, facts, &self.catalogue.apps, &self.policy)
            {
                Some(o) => base(
                    o.status,
                    self.message(item, o.message, &o.args, lang),
                    o.facts,
                    None,
                ),
                None => {
                    let error = ProbeError::Crashed {
                        message: format!("{} gave no facts for {}", result.probe, item.id),
                    };
                    base(Status::Unknown, explain(&error, locale), empty, Some(error))
                }
            },
        }
    }

    fn message(&self, item: &ItemDef, key: &str, args: &[(&str, Arg)], lang: Lang) -> String {
        let template = item.messages.get(key).map(|t| lang.pick(t)).unwrap_or(key);
        let rendered: Vec<(&str, String)> = args
            .iter()
            .map(|(name, arg)| (*name, self.render(item, arg, lang)))
            .collect();
        fill(template, &rendered)
    }

    fn render(&self, item: &ItemDef, arg: &Arg, lang: Lang) -> String {
        match arg {
            Arg::Text(text) => text.clone(),
            Arg::Message(key, args) => self.message(item, key, args, lang),
            Arg::Names(names) => names.join(", "),
            Arg::Apps(apps) => apps
                .iter()
                .map(|(name, avg)| format!("{name} ({})", self.locale(lang).get(avg_key(*avg))))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The items a person ticks, `pass` when ticked and `manual` while open.
    pub fn manual_items(&self, lang: Lang, is_ticked: impl Fn(&str) -> bool) -> Vec<ItemReport> {
        let locale = self.locale(lang);
        self.catalogue
            .items
            .iter()
            .filter(|item| item.kind == ItemKind::Manual)
            .map(|item| {
                let ticked = is_ticked(&item.id);
                ItemReport {
                    id: item.id.clone(),
                    phase: item.phase,
                    kind: item.kind,
                    status: if ticked { Status::Pass } else { Status::Manual },
                    title: lang.pick(&item.title).to_string(),
                    detail: locale.get(if ticked {
                        "manual.ticked"
                    } else {
                        "manual.open"
                    }),
                    advice: lang.pick(&item.advice).to_string(),
                    sources: item.sources.clone(),
                    facts: serde_json::json!({ "ticked": ticked }),
                    reason: None,
                    elapsed_ms: 0,
                }
            })
            .collect()
    }

    /// Whether `id` names an item a person ticks.
    pub fn is_manual(&self, id: &str) -> bool {
        self.catalogue
            .item(id)
            .is_some_and(|item| item.kind == ItemKind::Manual)
    }

    /// Puts items in catalogue order and adds the verdict.
    pub fn report(&self, mut items: Vec<ItemReport>, elapsed_ms: u64) -> Report {
        items.sort_by_key(|item| self.catalogue.items.iter().position(|i| i.id == item.id));
        Report {
            schema: 1,
            verdict: Verdict::of_items(&items),
            elapsed_ms,
            items,
        }
    }
}

fn avg_key(avg: Avg) -> &'static str {
    match avg {
        Avg::Yes => "avg.yes",
        Avg::No => "avg.no",
        Avg::Conditional => "avg.conditional",
        Avg::Unknown => "avg.unknown",
    }
}

/// Why a probe could not tell, and what to do, in the user's language.
pub fn explain(error: &ProbeError, locale: &Locale) -> String {
    let reason = match error {
        ProbeError::Unsupported => locale.get("reason.unsupported"),
        ProbeError::Missing { path } => locale.fill("reason.missing", &[("path", path.clone())]),
        ProbeError::Denied { path } => locale.fill("reason.denied", &[("path", path.clone())]),
        ProbeError::Unreadable { path, reason } => locale.fill(
            "reason.unreadable",
            &[("path", path.clone()), ("reason", reason.clone())],
        ),
        ProbeError::Garbage { path, value } => locale.fill(
            "reason.garbage",
            &[("path", path.clone()), ("value", value.clone())],
        ),
        ProbeError::TimedOut { deadline_ms } => locale.fill(
            "reason.timed_out",
            &[("seconds", seconds(*deadline_ms, locale))],
        ),
        ProbeError::Crashed { message } => {
            locale.fill("reason.crashed", &[("message", message.clone())])
        }
    };
    if matches!(error, ProbeError::Unsupported) {
        reason
    } else {
        format!("{reason} {}", locale.get("reason.next_step"))
    }
}

/// Seconds with one decimal where needed, with the language's decimal mark ("0,3" in Dutch).
fn seconds(ms: u64, locale: &Locale) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{:.1}", ms as f64 / 1000.0).replace('.', &locale.get("format.decimal_mark"))
    }
}
