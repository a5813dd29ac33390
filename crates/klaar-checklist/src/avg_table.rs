//! Seed 000's table of video-call apps ("Beeldbellen: welke programma's zijn AVG veilig?") and
//! seed 004's list of consumer apps with its caution, from `assets/avg-table.toml`: what
//! `klaar apps` and the window's app view show.

use crate::catalogue::{Avg, SourceRef, Text};
use crate::policy::Decided;
use crate::{Engine, Lang};
use serde::{Deserialize, Serialize};

pub const BUILTIN: &str = include_str!("../../../assets/avg-table.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct AvgTable {
    pub table: TableDef,
    pub consumer: ConsumerDef,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableDef {
    pub seed: String,
    pub section: String,
    pub quote: String,
    pub advice: Text,
    pub rows: Vec<RowDef>,
}

/// One row of seed 000's table, in the seed's order.
#[derive(Debug, Clone, Deserialize)]
pub struct RowDef {
    /// The key in `apps.toml`.
    pub app: String,
    /// The seed's own name for it ("Zoom (Gratis)").
    pub label: String,
    pub avg: Avg,
    /// "Nodig voor ontvanger": what the other side needs; `None` where the cell is empty.
    #[serde(default)]
    pub needs: Option<Text>,
    /// "Opmerking"; `None` where the cell is empty.
    #[serde(default)]
    pub remark: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConsumerDef {
    pub seed: String,
    pub section: String,
    pub quote: String,
    /// Keys in `apps.toml`, in the seed's order.
    pub apps: Vec<String>,
    pub caution: Text,
}

impl AvgTable {
    /// # Panics
    /// Never for the built-in file: a test parses it and holds it to `apps.toml`.
    pub fn builtin() -> AvgTable {
        toml::from_str(BUILTIN).expect("the built-in table is checked by a test")
    }
}

/// The table in one language, for `klaar apps --json` and the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppsView {
    pub rows: Vec<Row>,
    /// The table's advice: prefer the covenant's suppliers; the table is not complete.
    pub advice: String,
    pub consumer: Consumer,
    pub sources: Vec<SourceRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub app: String,
    /// The name people know the app by ("Google Meet").
    pub name: String,
    /// The seed's own name ("Google G Suite (onderwijs)").
    pub label: String,
    pub avg: Avg,
    /// The rating in words ("niet AVG-proof").
    pub rating: String,
    pub needs: Option<String>,
    pub remark: Option<String>,
    /// What the organisation's policy says of the app, and that in words.
    pub organisation: Option<Decided>,
    pub organisation_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consumer {
    pub apps: Vec<ConsumerApp>,
    pub caution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsumerApp {
    pub app: String,
    pub name: String,
    pub avg: Avg,
    pub rating: String,
    pub organisation: Option<Decided>,
    pub organisation_text: Option<String>,
}

impl Engine {
    /// Seed 000's table and seed 004's consumer apps in `lang`.
    pub fn apps_view(&self, lang: Lang) -> AppsView {
        let table = AvgTable::builtin();
        let locale = self.locale(lang);
        let catalogue = self.catalogue();
        let rating = |avg: Avg| locale.get(avg.locale_key());
        let stance = |app: &str| self.choices().stance(app);
        let said = |app: &str| stance(app).map(|d| locale.get(d.locale_key()));
        let rows = table
            .table
            .rows
            .iter()
            .map(|r| Row {
                app: r.app.clone(),
                name: catalogue.app_name(&r.app),
                label: r.label.clone(),
                avg: r.avg,
                rating: rating(r.avg),
                needs: r.needs.as_ref().map(|t| lang.pick(t).to_string()),
                remark: r.remark.as_ref().map(|t| lang.pick(t).to_string()),
                organisation: stance(&r.app),
                organisation_text: said(&r.app),
            })
            .collect();
        let apps = table
            .consumer
            .apps
            .iter()
            .map(|key| {
                let avg = catalogue
                    .apps
                    .iter()
                    .find(|a| a.key == *key)
                    .map(|a| a.avg)
                    .unwrap_or(Avg::Unknown);
                ConsumerApp {
                    app: key.clone(),
                    name: catalogue.app_name(key),
                    avg,
                    rating: rating(avg),
                    organisation: stance(key),
                    organisation_text: said(key),
                }
            })
            .collect();
        let lead = self.choices().profile().lead_seed();
        let mut sources = vec![
            SourceRef {
                seed: table.table.seed.clone(),
                section: table.table.section.clone(),
                quote: table.table.quote.clone(),
            },
            SourceRef {
                seed: table.consumer.seed.clone(),
                section: table.consumer.section.clone(),
                quote: table.consumer.quote.clone(),
            },
        ];
        sources.sort_by_key(|s| s.seed != lead);
        AppsView {
            rows,
            advice: lang.pick(&table.table.advice).to_string(),
            consumer: Consumer {
                apps,
                caution: lang.pick(&table.consumer.caution).to_string(),
            },
            sources,
        }
    }
}
