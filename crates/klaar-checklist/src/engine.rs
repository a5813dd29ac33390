//! Ties catalogue, rules and texts together: which probes a check needs, and how each probe
//! result becomes report items in the user's language.

use crate::catalogue::{AppDef, Catalogue, ItemDef, ItemKind, SourceRef};
use crate::locale::{fill, Lang, Locale};
use crate::policy::{Choices, Decided};
use crate::report::{Blocker, ItemReport, Report, Status, Verdict, VerdictLine};
use crate::rules::{self, Arg, Thresholds};
use klaar_facts::{ProbeError, ProbeId, ProbeResult};

pub struct Engine {
    catalogue: Catalogue,
    thresholds: Thresholds,
    choices: Choices,
    /// The catalogue's apps with what the organisation's policy says of each.
    apps: Vec<AppDef>,
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
    pub fn new(catalogue: Catalogue, thresholds: Thresholds) -> Engine {
        Engine {
            apps: catalogue.apps.clone(),
            catalogue,
            thresholds,
            choices: Choices::default(),
            nl: Locale::builtin(Lang::Nl),
            en: Locale::builtin(Lang::En),
        }
    }

    pub fn builtin() -> Engine {
        Engine::new(Catalogue::builtin(), Thresholds::default())
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The same engine under the organisation's policy and the person's choices.
    pub fn with_choices(mut self, choices: Choices) -> Engine {
        self.set_choices(choices);
        self
    }

    /// Applies the organisation's policy and the person's choices to every later report.
    pub fn set_choices(&mut self, choices: Choices) {
        self.apps = self
            .catalogue
            .apps
            .iter()
            .map(|app| AppDef {
                organisation: choices.stance(&app.key),
                ..app.clone()
            })
            .collect();
        self.choices = choices;
    }

    pub fn choices(&self) -> &Choices {
        &self.choices
    }

    /// The item's citations, the guide that leads for the profile in force first.
    fn sources(&self, item: &ItemDef) -> Vec<SourceRef> {
        let lead = self.choices.profile().lead_seed();
        let mut sources = item.sources.clone();
        sources.sort_by_key(|s| s.seed != lead);
        sources
    }

    /// What the organisation decided and the person chose about an item, in words.
    fn tailoring(&self, decided: &[Decided], not_applicable: bool, lang: Lang) -> Vec<String> {
        let locale = self.locale(lang);
        let mut words: Vec<String> = decided.iter().map(|d| locale.get(d.locale_key())).collect();
        if not_applicable {
            words.push(locale.get("organisation.not_applicable"));
        }
        words
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
            .filter(|i| self.choices.shows(i))
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
            // Marked as not applicable: reported by `not_applicable_items`, never probed.
            .filter(|i| !self.choices.is_not_applicable(&i.id, &self.catalogue.apps))
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
        let required = self.choices.is_required(&item.id);
        let base = |status, said: Said, facts, reason, mut organisation: Vec<Decided>| {
            // Required by the organisation: a warning becomes a failure.
            let status = match status {
                Status::Warn if required => Status::Fail,
                status => status,
            };
            if required {
                organisation.insert(0, Decided::Required);
            }
            ItemReport {
                id: item.id.clone(),
                phase: item.phase,
                group: item.group,
                kind: item.kind,
                status,
                title: lang.pick(&item.title).to_string(),
                detail: said.main,
                details: said.details,
                advice: lang.pick(&item.advice).to_string(),
                sources: self.sources(item),
                facts,
                reason,
                elapsed_ms: result.elapsed_ms,
                short: said.short,
                tailoring: self.tailoring(&organisation, false, lang),
                organisation,
                not_applicable: false,
            }
        };
        let empty = serde_json::Value::Object(Default::default());
        // "stroom niet na te gaan": the item's own words when it has them.
        let unknown = |error: &ProbeError| {
            let (main, details) = explain(error, locale);
            let short = item
                .short
                .get("unknown")
                .map(|t| lang.pick(t).to_string())
                .unwrap_or_else(|| {
                    locale.fill(
                        "verdict.unknown_item",
                        &[("title", lang.pick(&item.title).to_string())],
                    )
                });
            Said {
                main,
                details,
                short: Some(short),
            }
        };
        match &result.outcome {
            Err(error) => base(
                Status::Unknown,
                unknown(error),
                empty,
                Some(error.clone()),
                vec![],
            ),
            Ok(facts) => match rules::evaluate(&item.id, facts, &self.apps, &self.thresholds) {
                Some(o) => {
                    let mut said = self.say(item, o.message, &o.args, lang);
                    if o.status == Status::Unknown && said.short.is_none() {
                        said.short = unknown(&ProbeError::Unsupported).short;
                    }
                    base(o.status, said, o.facts, None, o.organisation)
                }
                None => {
                    let error = ProbeError::Crashed {
                        message: format!("{} gave no facts for {}", result.probe, item.id),
                    };
                    base(Status::Unknown, unknown(&error), empty, Some(error), vec![])
                }
            },
        }
    }

    /// The main line, the details and the short name of one outcome.
    fn say(&self, item: &ItemDef, key: &str, args: &[(&str, Arg)], lang: Lang) -> Said {
        let mut values = Vec::new();
        self.values(item, args, lang, &mut values);
        let details = item
            .details
            .iter()
            .filter(|d| d.when.is_empty() || d.when.iter().any(|w| w == key))
            .map(|d| if lang == Lang::Nl { &d.nl } else { &d.en })
            .filter(|template| {
                placeholders(template).all(|name| {
                    values
                        .iter()
                        .any(|(n, v): &(&str, String)| *n == name && !v.is_empty())
                })
            })
            .map(|template| fill(template, &values))
            .collect();
        let many = args.iter().any(|(_, arg)| match arg {
            Arg::Apps(a) => a.len() > 1,
            Arg::Names(n) => n.len() > 1,
            _ => false,
        });
        let short = many
            .then(|| item.short.get(&format!("{key}_many")))
            .flatten()
            .or_else(|| item.short.get(key))
            .map(|t| {
                let names: Vec<(&str, String)> = args
                    .iter()
                    .map(|(name, arg)| (*name, self.short_value(item, arg, lang)))
                    .collect();
                fill(lang.pick(t), &names)
            });
        Said {
            main: self.message(item, key, args, lang),
            details,
            short,
        }
    }

    /// Every placeholder value of an outcome, those of nested messages included.
    fn values<'a>(
        &self,
        item: &ItemDef,
        args: &'a [(&'a str, Arg)],
        lang: Lang,
        out: &mut Vec<(&'a str, String)>,
    ) {
        for (name, arg) in args {
            if let Arg::Message(_, inner) = arg {
                self.values(item, inner, lang, out);
            }
            out.push((name, self.render(item, arg, lang)));
        }
    }

    /// Names without ratings, for the verdict: "Zoom en WhatsApp".
    fn short_value(&self, item: &ItemDef, arg: &Arg, lang: Lang) -> String {
        let join = |names: Vec<&str>| match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!(
                "{}{}{last}",
                rest.join(", "),
                self.locale(lang).get("cli.join")
            ),
            _ => names.concat(),
        };
        match arg {
            Arg::Apps(apps) => join(apps.iter().map(|(n, _)| n.as_str()).collect()),
            Arg::Names(names) => join(names.iter().map(String::as_str).collect()),
            other => self.render(item, other, lang),
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
                .map(|(name, avg)| format!("{name} ({})", self.locale(lang).get(avg.locale_key())))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The items that read no probe: those a person ticks (`pass` when ticked, `manual` while
    /// open) and the information items (`info`); one the person marked as not applicable is
    /// `info`, "niet van toepassing, jouw keuze". Items the organisation disabled or meant for
    /// another profile are left out.
    pub fn manual_items(&self, lang: Lang, is_ticked: impl Fn(&str) -> bool) -> Vec<ItemReport> {
        let locale = self.locale(lang);
        self.catalogue
            .items
            .iter()
            .filter(|item| self.choices.shows(item))
            .filter(|item| item.kind != ItemKind::Automatic)
            .map(|item| {
                if self
                    .choices
                    .is_not_applicable(&item.id, &self.catalogue.apps)
                {
                    return self.not_applicable_item(item, lang);
                }
                if item.kind == ItemKind::Information {
                    return self.information_item(item, lang);
                }
                let ticked = is_ticked(&item.id);
                let organisation = match self.choices.is_required(&item.id) {
                    true => vec![Decided::Required],
                    false => vec![],
                };
                ItemReport {
                    id: item.id.clone(),
                    phase: item.phase,
                    group: item.group,
                    kind: item.kind,
                    status: if ticked { Status::Pass } else { Status::Manual },
                    title: lang.pick(&item.title).to_string(),
                    detail: locale.get(if ticked {
                        "manual.ticked"
                    } else {
                        "manual.open"
                    }),
                    details: Vec::new(),
                    advice: lang.pick(&item.advice).to_string(),
                    sources: self.sources(item),
                    facts: serde_json::json!({ "ticked": ticked }),
                    reason: None,
                    elapsed_ms: 0,
                    short: None,
                    tailoring: self.tailoring(&organisation, false, lang),
                    organisation,
                    not_applicable: false,
                }
            })
            .collect()
    }

    /// An information item: knowledge to keep in mind, its advice as the main line; it holds
    /// no verdict back.
    fn information_item(&self, item: &ItemDef, lang: Lang) -> ItemReport {
        ItemReport {
            id: item.id.clone(),
            phase: item.phase,
            group: item.group,
            kind: item.kind,
            status: Status::Info,
            title: lang.pick(&item.title).to_string(),
            detail: lang.pick(&item.advice).to_string(),
            details: Vec::new(),
            advice: lang.pick(&item.advice).to_string(),
            sources: self.sources(item),
            facts: serde_json::json!({}),
            reason: None,
            elapsed_ms: 0,
            short: None,
            organisation: vec![],
            not_applicable: false,
            tailoring: vec![],
        }
    }

    /// The automatic items of `only` (all when empty) that the person marked as not
    /// applicable: `info`, saying so, never probed (the plan leaves them out). They belong in
    /// the report beside the checked items.
    pub fn not_applicable_items(&self, only: &[String], lang: Lang) -> Vec<ItemReport> {
        self.catalogue
            .items
            .iter()
            .filter(|item| item.kind == ItemKind::Automatic && self.choices.shows(item))
            .filter(|item| only.is_empty() || only.contains(&item.id))
            .filter(|item| {
                self.choices
                    .is_not_applicable(&item.id, &self.catalogue.apps)
            })
            .map(|item| self.not_applicable_item(item, lang))
            .collect()
    }

    /// An item the person marked as not applicable: `info`, saying so; never probed.
    fn not_applicable_item(&self, item: &ItemDef, lang: Lang) -> ItemReport {
        ItemReport {
            status: Status::Info,
            detail: self.locale(lang).get("organisation.not_applicable_detail"),
            details: Vec::new(),
            facts: serde_json::json!({}),
            not_applicable: true,
            tailoring: self.tailoring(&[], true, lang),
            ..self.information_item(item, lang)
        }
    }

    /// Whether `id` names an item a person ticks.
    pub fn is_manual(&self, id: &str) -> bool {
        self.catalogue
            .item(id)
            .is_some_and(|item| item.kind == ItemKind::Manual)
    }

    /// The verdict in words. Not ready: the failing items. Attention: the items that warn or are
    /// unknown, and how many tick items before the call are still open (only those: "Vink nog 3
    /// punten af"). Items during and after the call never count, as in [`Verdict::of_items`].
    pub fn verdict_line(&self, items: &[ItemReport], lang: Lang) -> VerdictLine {
        let locale = self.locale(lang);
        let verdict = Verdict::of_items(items);
        let counts = |i: &&ItemReport| i.holds_the_verdict();
        let named = |statuses: &[Status]| -> Vec<Blocker> {
            items
                .iter()
                .filter(counts)
                .filter(|i| statuses.contains(&i.status))
                .map(|i| Blocker {
                    id: i.id.clone(),
                    label: i.short.clone().unwrap_or_else(|| i.title.clone()),
                })
                .collect()
        };
        let open = items
            .iter()
            .filter(counts)
            .filter(|i| i.status == Status::Manual)
            .count();
        let ticks = |key: &str| {
            let key = if open == 1 {
                format!("{key}_one")
            } else {
                key.to_string()
            };
            locale.fill(&key, &[("n", open.to_string())])
        };
        let (lead, blockers, tail) = match verdict {
            Verdict::Ready => (locale.get("verdict.ready"), vec![], None),
            Verdict::NotReady => (
                locale.get("verdict.not_ready"),
                named(&[Status::Fail]),
                None,
            ),
            Verdict::Attention => {
                let blockers = named(&[Status::Warn, Status::Unknown]);
                if blockers.is_empty() {
                    (ticks("verdict.only_ticks"), blockers, None)
                } else {
                    let tail = (open > 0).then(|| ticks("verdict.ticks_left"));
                    (locale.get("verdict.attention"), blockers, tail)
                }
            }
        };
        let mut parts: Vec<&str> = blockers.iter().map(|b| b.label.as_str()).collect();
        parts.extend(tail.as_deref());
        let text = if parts.is_empty() {
            lead.clone()
        } else {
            format!("{lead} {}", parts.join(" · "))
        };
        VerdictLine {
            verdict,
            lead,
            blockers,
            tail,
            text,
        }
    }

    /// Puts items in catalogue order and adds the verdict.
    pub fn report(&self, mut items: Vec<ItemReport>, elapsed_ms: u64) -> Report {
        items.sort_by_key(|item| self.catalogue.items.iter().position(|i| i.id == item.id));
        Report {
            schema: 1,
            verdict: Verdict::of_items(&items),
            profile: self.choices.profile(),
            policy: None,
            elapsed_ms,
            items,
        }
    }
}

/// What an item says for one outcome.
struct Said {
    main: String,
    details: Vec<String>,
    short: Option<String>,
}

/// The `{names}` in a template.
fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

/// Why a probe could not tell and what to do, in the user's language: the main line in plain
/// words, and the figures (a path, a value, a deadline) for the details part.
pub fn explain(error: &ProbeError, locale: &Locale) -> (String, Vec<String>) {
    let detail = |key: &str, value: String| locale.fill(key, &[("value", value)]);
    // A probe's `path` is a file ("/sys/…", "C:\\…", "~/.config/kscreenlockerrc") or a service
    // asked over D-Bus ("NetworkManager").
    let source = |path: &String| match path.contains(['/', '\\']) {
        true => detail("reason.path", path.clone()),
        false => detail("reason.service", printable(path)),
    };
    // A service's failure comes as a fixed code (`timeout`), worded here; an OS message as is.
    let message = |reason: &String| {
        let key = format!("unanswered.{reason}");
        match locale.keys().any(|k| k == key) {
            true => locale.get(&key),
            false => detail("reason.error", printable(reason)),
        }
    };
    let (reason, details) = match error {
        ProbeError::Unsupported => (locale.get("reason.unsupported"), vec![]),
        ProbeError::Missing { path } => (locale.get("reason.missing"), vec![source(path)]),
        ProbeError::Denied { path } => (locale.get("reason.denied"), vec![source(path)]),
        ProbeError::Unreadable { path, reason } => (
            locale.get("reason.unreadable"),
            vec![source(path), message(reason)],
        ),
        ProbeError::Garbage { path, value } => (
            locale.get("reason.garbage"),
            vec![source(path), detail("reason.value", printable(value))],
        ),
        ProbeError::Busy { what } => (
            locale.get("reason.busy"),
            vec![detail("reason.device", printable(what))],
        ),
        ProbeError::Unavailable { what } => (
            locale.get("reason.unavailable"),
            vec![detail("reason.device", printable(what))],
        ),
        ProbeError::TimedOut { deadline_ms } => (
            locale.get("reason.timed_out"),
            vec![detail(
                if *deadline_ms == 1000 {
                    "reason.deadline_one"
                } else {
                    "reason.deadline"
                },
                seconds(*deadline_ms, locale),
            )],
        ),
        ProbeError::Crashed { message } => (
            locale.get("reason.crashed"),
            vec![detail("reason.error", printable(message))],
        ),
    };
    let main = if matches!(error, ProbeError::Unsupported) {
        reason
    } else {
        format!("{reason} {}", locale.get("reason.next_step"))
    };
    (main, details)
}

/// At most 60 characters, control characters and other unprintable ones shown as `�`, so a
/// broken file's bytes never reach the screen raw.
fn printable(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(60)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Seconds with one decimal where needed, with the language's decimal mark ("0,3" in Dutch).
fn seconds(ms: u64, locale: &Locale) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{:.1}", ms as f64 / 1000.0).replace('.', &locale.get("format.decimal_mark"))
    }
}
