//! The organisation's policy and the person's choices: what a teacher or nurse sees change.

use super::{ok, processes};
use klaar_checklist::target::Candidates;
use klaar_checklist::{
    Choices, Decided, Engine, ItemReport, Lang, Policy, Profile, Status, Verdict,
};
use klaar_facts::*;

fn engine(choices: Choices) -> Engine {
    Engine::builtin().with_choices(choices)
}

fn policy(edit: impl FnOnce(&mut Policy)) -> Choices {
    let mut policy = Policy::default();
    edit(&mut policy);
    Choices {
        policy,
        ..Choices::default()
    }
}

/// One item evaluated under `engine`'s choices.
fn item(engine: &Engine, id: &str, facts: Facts, lang: Lang) -> ItemReport {
    let plan = engine.plan(&[id.to_string()]).unwrap();
    let mut items = engine.evaluate(&plan, &ok(facts), lang);
    assert_eq!(items.len(), 1, "{id}");
    items.remove(0)
}

/// Everything a check shows: the automatic items answered by `results`, and the rest.
fn report(engine: &Engine, results: &[Facts]) -> klaar_checklist::Report {
    let plan = engine.plan(&[]).unwrap();
    let mut items: Vec<_> = results
        .iter()
        .flat_map(|f| engine.evaluate(&plan, &ok(f.clone()), Lang::Nl))
        .collect();
    items.extend(engine.not_applicable_items(&[], Lang::Nl));
    items.extend(engine.manual_items(Lang::Nl, |_| true));
    engine.report(items, 0)
}

fn no_vpn() -> Facts {
    super::wired(None)
}

#[test]
fn an_app_the_organisation_approved_passes_and_the_guides_rating_stays_in_view() {
    let zoom = engine(policy(|p| p.approved_apps = vec!["zoom".into()]));
    let nl = item(&zoom, "call_apps", processes(&["zoom"]), Lang::Nl);
    assert_eq!(nl.status, Status::Pass, "{}", nl.detail);
    assert_eq!(nl.detail, "Open en goedgekeurd door je organisatie: Zoom.");
    assert_eq!(
        nl.details,
        vec!["Beoordeling in de gids: Zoom (niet AVG-proof)"]
    );
    assert_eq!(nl.organisation, vec![Decided::Approved]);
    assert_eq!(nl.tailoring, vec!["Goedgekeurd door je organisatie"]);
    let en = item(&zoom, "call_apps", processes(&["zoom"]), Lang::En);
    assert_eq!(en.detail, "Open and approved by your organisation: Zoom.");

    // Approving Zoom says nothing of WhatsApp, which still fails on the guide's rating.
    let both = item(
        &zoom,
        "call_apps",
        processes(&["zoom", "whatsapp"]),
        Lang::Nl,
    );
    assert_eq!(both.status, Status::Fail);
    assert!(both.detail.contains("WhatsApp"), "{}", both.detail);
    assert!(!both.detail.contains("Zoom"), "{}", both.detail);

    // Without a policy, the same Zoom fails as the guide rates it.
    let plain = item(
        &Engine::builtin(),
        "call_apps",
        processes(&["zoom"]),
        Lang::Nl,
    );
    assert_eq!(plain.status, Status::Fail);
    assert!(plain.organisation.is_empty() && plain.tailoring.is_empty());
}

#[test]
fn a_forbidden_app_fails_whenever_it_runs_even_one_the_guide_calls_safe() {
    let strict = engine(policy(|p| {
        p.forbidden_apps = vec!["teams".into(), "thunderbird".into(), "dropbox".into()];
    }));
    let teams = item(
        &strict,
        "call_apps",
        processes(&["teams-for-linux"]),
        Lang::Nl,
    );
    assert_eq!(teams.status, Status::Fail);
    assert!(
        teams
            .detail
            .starts_with("Je organisatie staat Microsoft Teams niet toe"),
        "{}",
        teams.detail
    );
    assert_eq!(teams.organisation, vec![Decided::Forbidden]);
    assert_eq!(
        teams.short.as_deref(),
        Some("Microsoft Teams niet toegestaan")
    );

    let mail = item(
        &strict,
        "screen_share",
        processes(&["thunderbird"]),
        Lang::En,
    );
    assert_eq!(mail.status, Status::Fail);
    assert!(
        mail.detail.contains("does not allow Thunderbird"),
        "{}",
        mail.detail
    );
    let sync = item(&strict, "cloud_sync", processes(&["dropbox"]), Lang::Nl);
    assert_eq!(sync.status, Status::Fail);
    assert_eq!(sync.tailoring, vec!["Niet toegestaan door je organisatie"]);

    // Not running: nothing to say.
    let quiet = item(&strict, "call_apps", processes(&["bash"]), Lang::Nl);
    assert_eq!(quiet.status, Status::Pass);
    assert!(quiet.organisation.is_empty());
}

#[test]
fn approved_cloud_storage_passes_but_an_approved_mail_program_still_pops_up_while_sharing() {
    let e = engine(policy(|p| {
        p.approved_apps = vec!["onedrive".into(), "thunderbird".into()];
    }));
    let sync = item(&e, "cloud_sync", processes(&["onedrive"]), Lang::Nl);
    assert_eq!(sync.status, Status::Pass, "{}", sync.detail);
    assert!(
        sync.detail.contains("goedgekeurd door je organisatie"),
        "{}",
        sync.detail
    );
    let mixed = item(
        &e,
        "cloud_sync",
        processes(&["onedrive", "dropbox"]),
        Lang::Nl,
    );
    assert_eq!(mixed.status, Status::Warn);
    assert!(mixed.detail.contains("Dropbox") && !mixed.detail.contains("OneDrive"));
    let mail = item(&e, "screen_share", processes(&["thunderbird"]), Lang::Nl);
    assert_eq!(mail.status, Status::Warn, "sharing shows it all the same");
}

#[test]
fn a_required_item_turns_a_warning_into_a_failure_and_says_who_asked() {
    let e = engine(policy(|p| p.required = vec!["vpn".into()]));
    let vpn = item(&e, "vpn", no_vpn(), Lang::Nl);
    assert_eq!(vpn.status, Status::Fail);
    assert_eq!(vpn.organisation, vec![Decided::Required]);
    assert_eq!(vpn.tailoring, vec!["Verplicht gesteld door je organisatie"]);
    let plain = item(&Engine::builtin(), "vpn", no_vpn(), Lang::Nl);
    assert_eq!(plain.status, Status::Warn);
    // What cannot be told stays unknown: a failure would claim to know.
    let plan = e.plan(&["vpn".into()]).unwrap();
    let unknown = e.evaluate(
        &plan,
        &ProbeResult {
            probe: ProbeId::Network,
            outcome: Err(ProbeError::Unsupported),
            elapsed_ms: 0,
        },
        Lang::Nl,
    );
    assert_eq!(unknown[0].status, Status::Unknown);
    assert_eq!(unknown[0].organisation, vec![Decided::Required]);
}

#[test]
fn a_disabled_item_is_not_shown_at_all() {
    let e = engine(policy(|p| {
        p.disabled = vec!["cloud_sync".into(), "phone_silent".into()]
    }));
    let plan = e.plan(&[]).unwrap();
    assert!(!plan.items.contains(&"cloud_sync".to_string()));
    assert!(
        e.plan(&["cloud_sync".into()]).is_err(),
        "not there to ask for"
    );
    let report = report(&e, &[processes(&["dropbox"])]);
    let ids: Vec<&str> = report.items.iter().map(|i| i.id.as_str()).collect();
    assert!(!ids.contains(&"cloud_sync") && !ids.contains(&"phone_silent"));
    assert!(ids.contains(&"call_apps"), "{ids:?}");
}

#[test]
fn an_item_the_person_marks_as_not_applicable_is_info_and_no_longer_holds_the_verdict_back() {
    let mine = Choices {
        not_applicable: vec!["vpn".into(), "phone_silent".into()],
        ..Choices::default()
    };
    let e = engine(mine.clone());
    let plan = e.plan(&[]).unwrap();
    assert!(!plan.items.contains(&"vpn".to_string()), "not checked");
    let marked = report(&e, &[no_vpn()]);
    let vpn: Vec<&ItemReport> = marked.items.iter().filter(|i| i.id == "vpn").collect();
    assert_eq!(vpn.len(), 1, "shown once");
    assert_eq!(vpn[0].status, Status::Info);
    assert!(vpn[0].not_applicable);
    assert_eq!(vpn[0].tailoring, vec!["Niet van toepassing: jouw keuze"]);
    assert!(
        vpn[0].detail.contains("niet van toepassing"),
        "{}",
        vpn[0].detail
    );
    let phone = marked
        .items
        .iter()
        .find(|i| i.id == "phone_silent")
        .unwrap();
    assert_eq!((phone.status, phone.not_applicable), (Status::Info, true));
    assert!(e
        .not_applicable_items(&["power".into()], Lang::Nl)
        .is_empty());
    let json = serde_json::to_value(vpn[0]).unwrap();
    assert_eq!(json["not_applicable"], true);
    assert_eq!(marked.verdict, Verdict::Ready);
    // Without the mark the same machine gets a warning for the VPN.
    assert_eq!(report_of(&Engine::builtin()).verdict, Verdict::Attention);

    // The organisation requires it: the person's mark does not count.
    let required = engine(Choices {
        policy: Policy {
            required: vec!["vpn".into()],
            ..Policy::default()
        },
        ..mine
    });
    assert!(required
        .plan(&[])
        .unwrap()
        .items
        .contains(&"vpn".to_string()));
    let r = report(&required, &[no_vpn()]);
    let vpn = r.items.iter().find(|i| i.id == "vpn").unwrap();
    assert_eq!((vpn.status, vpn.not_applicable), (Status::Fail, false));
    assert_eq!(r.verdict, Verdict::NotReady);
}

#[test]
fn the_person_cannot_silence_an_item_that_names_an_app_the_organisation_forbids() {
    // "No cloud storage here", says the person; the organisation forbids Dropbox.
    let e = engine(Choices {
        policy: Policy {
            forbidden_apps: vec!["dropbox".into()],
            ..Policy::default()
        },
        not_applicable: vec!["cloud_sync".into(), "screen_share".into()],
        ..Choices::default()
    });
    let apps = &e.catalogue().apps;
    assert!(e.choices().is_locked("cloud_sync", apps));
    assert_eq!(
        e.choices().policy.forbidden_named_in("cloud_sync", apps),
        vec!["Dropbox"]
    );
    // Mail programs are the screen-sharing item's; none is forbidden: the mark counts there.
    assert!(!e.choices().is_locked("screen_share", apps));
    let r = report(&e, &[processes(&["dropbox"])]);
    let sync = r.items.iter().find(|i| i.id == "cloud_sync").unwrap();
    assert_eq!((sync.status, sync.not_applicable), (Status::Fail, false));
    assert_eq!(sync.organisation, vec![Decided::Forbidden]);
    let share = r.items.iter().find(|i| i.id == "screen_share").unwrap();
    assert_eq!((share.status, share.not_applicable), (Status::Info, true));
    assert_eq!(r.verdict, Verdict::NotReady);
}

/// A wired machine without a VPN, every tick item ticked.
fn report_of(e: &Engine) -> klaar_checklist::Report {
    report(e, &[no_vpn()])
}

#[test]
fn the_profile_chooses_the_items_and_the_guide_that_leads() {
    let shown = |e: &Engine| -> Vec<String> {
        e.manual_items(Lang::Nl, |_| false)
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    let school = Engine::builtin();
    assert_eq!(school.choices().profile(), Profile::Onderwijs);
    assert!(shown(&school).contains(&"privacy_covenant".to_string()));
    assert!(!shown(&school).contains(&"care_systems".to_string()));
    let care = engine(Choices {
        profile: Some(Profile::Zorg),
        ..Choices::default()
    });
    assert!(shown(&care).contains(&"care_systems".to_string()));
    assert!(!shown(&care).contains(&"privacy_covenant".to_string()));

    // vpn cites both guides: the profile's own comes first.
    let lead = |e: &Engine| item(e, "vpn", no_vpn(), Lang::Nl).sources[0].seed.clone();
    assert_eq!(lead(&school), "000");
    assert_eq!(lead(&care), "004");
    assert_eq!(report(&care, &[]).profile, Profile::Zorg);
    assert_eq!(care.apps_view(Lang::Nl).sources[0].seed, "004");

    // The organisation's profile wins over the person's.
    let org = engine(Choices {
        policy: Policy {
            profile: Some(Profile::Onderwijs),
            ..Policy::default()
        },
        profile: Some(Profile::Zorg),
        ..Choices::default()
    });
    assert_eq!(org.choices().profile(), Profile::Onderwijs);
    let json = serde_json::to_value(report(&org, &[])).unwrap();
    assert_eq!(json["profile"], "onderwijs");
}

#[test]
fn the_organisations_connection_target_comes_before_the_persons_host() {
    let e = engine(policy(|p| {
        p.connection_target = Some("teams.microsoft.com".into())
    }));
    let target = e
        .connection_target(&Candidates {
            organisation: Some("meet.school.nl"),
            meeting: None,
            processes: None,
        })
        .unwrap();
    assert_eq!(target.host, "teams.microsoft.com");
    let mine = Engine::builtin()
        .connection_target(&Candidates {
            organisation: Some("meet.school.nl"),
            meeting: None,
            processes: None,
        })
        .unwrap();
    assert_eq!(mine.host, "meet.school.nl");
}

#[test]
fn the_app_table_says_what_the_organisation_decided() {
    let e = engine(policy(|p| {
        p.approved_apps = vec!["zoom".into()];
        p.forbidden_apps = vec!["whatsapp".into()];
    }));
    let view = e.apps_view(Lang::En);
    let row = |app: &str| view.rows.iter().find(|r| r.app == app).unwrap();
    assert_eq!(row("zoom").organisation, Some(Decided::Approved));
    assert_eq!(
        row("zoom").organisation_text.as_deref(),
        Some("Approved by your organisation")
    );
    assert_eq!(
        row("zoom").rating,
        "not GDPR-proof",
        "the guide's rating stays"
    );
    assert_eq!(row("whatsapp").organisation, Some(Decided::Forbidden));
    assert_eq!(row("teams").organisation, None);
}
