//! What the window shows between checks: the latest result of each probe, which probes are still
//! running, and which manual items the user ticked. Results are kept as facts, not texts, so a
//! change of language re-renders everything without running the probes again.

use crate::catalogue::Phase;
use crate::engine::{Engine, Plan};
use crate::locale::Lang;
use crate::report::{ItemReport, Verdict};
use klaar_facts::{ProbeId, ProbeResult};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default, Clone)]
pub struct Session {
    results: BTreeMap<ProbeId, ProbeResult>,
    /// Items whose probe is running, in catalogue order.
    pending: Vec<String>,
    ticked: BTreeSet<String>,
}

/// The whole checklist as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionView {
    /// `None` until the first check has finished.
    pub verdict: Option<Verdict>,
    pub items: Vec<ItemReport>,
    /// Items whose probe has not answered yet.
    pub pending: Vec<PendingItem>,
}

/// An item still being checked: enough to hold its place in the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingItem {
    pub id: String,
    pub phase: Phase,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not an item you can tick")]
pub struct NotManual(pub String);

impl Session {
    /// A check of `plan` has started: its items wait for their probes.
    pub fn begin(&mut self, plan: &Plan) {
        for id in &plan.items {
            if !self.pending.contains(id) {
                self.pending.push(id.clone());
            }
        }
    }

    /// Stores a probe's answer; returns the items it answers, in `lang`.
    pub fn record(
        &mut self,
        engine: &Engine,
        plan: &Plan,
        result: ProbeResult,
        lang: Lang,
    ) -> Vec<ItemReport> {
        let items = engine.evaluate(plan, &result, lang);
        self.pending.retain(|id| !items.iter().any(|i| &i.id == id));
        self.results.insert(result.probe, result);
        items
    }

    /// A check ended without an answer for these items (the app is shutting down, say).
    pub fn abandon(&mut self, plan: &Plan) {
        self.pending.retain(|id| !plan.items.contains(id));
    }

    pub fn tick(&mut self, engine: &Engine, id: &str, ticked: bool) -> Result<(), NotManual> {
        if !engine.is_manual(id) {
            return Err(NotManual(id.to_string()));
        }
        if ticked {
            self.ticked.insert(id.to_string());
        } else {
            self.ticked.remove(id);
        }
        Ok(())
    }

    /// A new call: the ticks of the last one no longer hold.
    pub fn new_call(&mut self) {
        self.ticked.clear();
    }

    /// Whether some item still waits for its probe.
    pub fn is_checking(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn has_results(&self) -> bool {
        !self.results.is_empty()
    }

    /// Every item in `lang`: those a probe answered, and the manual ones.
    pub fn view(&self, engine: &Engine, lang: Lang) -> SessionView {
        {
            let full = engine
                .plan(&[])
                .expect("the full plan names no unknown item");
            let mut items: Vec<ItemReport> = self
                .results
                .values()
                .flat_map(|result| engine.evaluate(&full, result, lang))
                .filter(|item| !self.pending.contains(&item.id))
                .collect();
            items.extend(engine.not_applicable_items(&[], lang));
            items.extend(engine.manual_items(lang, |id| self.ticked.contains(id)));
            let report = engine.report(items, 0);
            SessionView {
                verdict: (self.has_results() && !self.is_checking()).then_some(report.verdict),
                items: report.items,
                pending: self
                    .pending
                    .iter()
                    .filter_map(|id| engine.catalogue().item(id))
                    .map(|item| PendingItem {
                        id: item.id.clone(),
                        phase: item.phase,
                        title: lang.pick(&item.title).to_string(),
                    })
                    .collect(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use klaar_facts::{Facts, PowerFacts, ProbeError};

    fn power(on_battery: bool) -> ProbeResult {
        ProbeResult {
            probe: ProbeId::Power,
            outcome: Ok(Facts::Power(PowerFacts {
                on_battery: Some(on_battery),
                battery_percent: Some(80),
                minutes_left: None,
            })),
            elapsed_ms: 1,
        }
    }

    fn status(view: &SessionView, id: &str) -> Option<Status> {
        view.items.iter().find(|i| i.id == id).map(|i| i.status)
    }

    #[test]
    fn items_wait_for_their_probe_and_the_verdict_for_all_of_them() {
        let engine = Engine::builtin();
        let mut session = Session::default();
        let before = session.view(&engine, Lang::En);
        assert_eq!(before.verdict, None, "not checked yet");
        assert_eq!(status(&before, "phone_silent"), Some(Status::Manual));

        let plan = engine.plan(&[]).unwrap();
        session.begin(&plan);
        let items = session.record(&engine, &plan, power(false), Lang::En);
        assert_eq!(items.len(), 1);
        let view = session.view(&engine, Lang::En);
        assert_eq!(status(&view, "power"), Some(Status::Pass));
        assert!(view.pending.iter().any(|p| p.id == "network"));
        assert_eq!(view.verdict, None, "still checking");

        let lost = ProbeResult {
            probe: ProbeId::Network,
            outcome: Err(ProbeError::TimedOut { deadline_ms: 2000 }),
            elapsed_ms: 2000,
        };
        session.record(&engine, &plan, lost, Lang::En);
        let processes = ProbeResult {
            probe: ProbeId::Processes,
            outcome: Ok(Facts::Processes(Default::default())),
            elapsed_ms: 1,
        };
        session.record(&engine, &plan, processes, Lang::En);
        assert!(
            !session.view(&engine, Lang::En).pending.is_empty(),
            "the camera"
        );
        let camera = ProbeResult {
            probe: ProbeId::Camera,
            outcome: Ok(Facts::Camera(Default::default())),
            elapsed_ms: 1,
        };
        session.record(&engine, &plan, camera, Lang::En);
        let microphone = ProbeResult {
            probe: ProbeId::Microphone,
            outcome: Ok(Facts::Microphone(Default::default())),
            elapsed_ms: 1,
        };
        session.record(&engine, &plan, microphone, Lang::En);
        let answered = [
            ProbeId::Power,
            ProbeId::Network,
            ProbeId::Processes,
            ProbeId::Camera,
            ProbeId::Microphone,
        ];
        for &probe in ProbeId::ALL.iter().filter(|p| !answered.contains(p)) {
            assert!(!session.view(&engine, Lang::En).pending.is_empty());
            let unsupported = ProbeResult {
                probe,
                outcome: Err(ProbeError::Unsupported),
                elapsed_ms: 1,
            };
            session.record(&engine, &plan, unsupported, Lang::En);
        }
        let view = session.view(&engine, Lang::En);
        assert!(view.pending.is_empty());
        assert_eq!(status(&view, "vpn"), Some(Status::Unknown));
        assert_eq!(status(&view, "camera"), Some(Status::Fail), "no camera");
        assert_eq!(view.verdict, Some(Verdict::NotReady));
    }

    #[test]
    fn unticked_manual_items_before_the_call_hold_the_verdict_back() {
        let engine = Engine::builtin();
        let mut session = Session::default();
        let plan = engine.plan(&["power".into()]).unwrap();
        session.begin(&plan);
        session.record(&engine, &plan, power(false), Lang::Nl);
        assert_eq!(
            session.view(&engine, Lang::Nl).verdict,
            Some(Verdict::Attention)
        );
        for id in ["phone_silent", "tidy_background", "agreements"] {
            session.tick(&engine, id, true).unwrap();
        }
        // Items for during and after the call cannot be done yet and do not count.
        assert_eq!(
            session.view(&engine, Lang::Nl).verdict,
            Some(Verdict::Ready)
        );
        session.tick(&engine, "agreements", false).unwrap();
        assert_eq!(
            session.view(&engine, Lang::Nl).verdict,
            Some(Verdict::Attention)
        );
        session.new_call();
        assert_eq!(
            status(&session.view(&engine, Lang::Nl), "phone_silent"),
            Some(Status::Manual)
        );
    }

    #[test]
    fn only_manual_items_can_be_ticked() {
        let engine = Engine::builtin();
        let mut session = Session::default();
        assert_eq!(
            session.tick(&engine, "power", true),
            Err(NotManual("power".into()))
        );
        assert!(session.tick(&engine, "nonsense", true).is_err());
    }

    #[test]
    fn a_new_language_re_renders_the_stored_facts() {
        let engine = Engine::builtin();
        let mut session = Session::default();
        let plan = engine.plan(&["power".into()]).unwrap();
        session.begin(&plan);
        session.record(&engine, &plan, power(true), Lang::Nl);
        let title = |lang| {
            session
                .view(&engine, lang)
                .items
                .into_iter()
                .find(|i| i.id == "power")
                .unwrap()
                .title
        };
        assert_eq!(title(Lang::Nl), "Laptop aan de stroom");
        assert_eq!(title(Lang::En), "Laptop plugged in");
    }

    #[test]
    fn a_recheck_hides_only_the_item_being_rechecked() {
        let engine = Engine::builtin();
        let mut session = Session::default();
        let all = engine.plan(&[]).unwrap();
        session.begin(&all);
        session.record(&engine, &all, power(false), Lang::En);
        let one = engine.plan(&["power".into()]).unwrap();
        session.begin(&one);
        let view = session.view(&engine, Lang::En);
        assert_eq!(status(&view, "power"), None);
        let power = view.pending.iter().find(|p| p.id == "power").unwrap();
        assert_eq!(power.title, "Laptop plugged in");
    }
}
