//! Runs a check: every probe at once, each result shown as soon as it arrives.

use crate::error::Result;
use crate::models::Snapshot;
use crate::publish::publish;
use crate::state::AppState;
use klaar_checklist::target::Candidates;
use klaar_checklist::Plan;
use klaar_facts::ProbeId;
use klaar_probes::{runner, Root};
use tauri::{AppHandle, Manager, Runtime};

/// Starts a check of `only` (everything when empty) and returns at once; results follow as
/// snapshot events.
pub fn start<R: Runtime>(app: &AppHandle<R>, only: &[String]) -> Result<Snapshot> {
    let state = app.state::<AppState>();
    let plan = state.engine().plan(only)?;
    state.begin(&plan);
    let snapshot = publish(app);
    // The tray's "check now for '…'" has done its job.
    crate::tray::refresh_menu(app);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // Reading the process table takes a few milliseconds: not on the caller's thread.
        let for_target = (app.clone(), plan.clone());
        let root = tauri::async_runtime::spawn_blocking(move || {
            let (app, plan) = for_target;
            root_with_target(&app.state::<AppState>(), &plan)
        })
        .await
        .unwrap_or_else(|_| Root::from_env());
        let mut results = runner::spawn(&plan.probes, &root, runner::DEFAULT_DEADLINE);
        while let Some(result) = results.recv().await {
            app.state::<AppState>()
                .record(&plan, result, crate::clock::now_hh_mm);
            publish(&app);
        }
    });
    Ok(snapshot)
}

/// The machine to check, with the host the connection item measures: the organisation's, a
/// meeting under way or about to start, the open call app's, a later meeting's
/// (`Engine::connection_target`). The processes are looked at only when the plan measures the
/// connection.
pub fn root_with_target(state: &AppState, plan: &Plan) -> Root {
    let root = Root::from_env();
    if !plan.probes.contains(&ProbeId::Connection) {
        return root;
    }
    let processes = klaar_probes::processes::probe(&root).ok();
    let organisation = state.settings().connection_host;
    let candidates = Candidates {
        organisation: organisation.as_deref(),
        meeting: klaar_meetings::agenda::meeting_link(&state.meeting_events(), chrono::Utc::now()),
        processes: processes.as_ref(),
    };
    root.with_target(state.engine().connection_target(&candidates))
}

/// Starts a full check when the last one is too old (see `state::FRESH_FOR`) and none runs:
/// the window asks when it opens and when it comes back into view, so it never shows an old
/// verdict as if it were current.
pub fn freshen<R: Runtime>(app: &AppHandle<R>) -> Result<Snapshot> {
    if app.state::<AppState>().wants_fresh_check() {
        start(app, &[])
    } else {
        Ok(app.state::<AppState>().snapshot())
    }
}
