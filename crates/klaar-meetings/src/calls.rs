//! Noticing a call start and end from what the computer shows, without the calendar's help:
//! a known call app starts or closes, or another program takes or releases the camera or the
//! microphone (a browser tab with Meet or Teams does only that). Pure: the caller looks (the
//! process list, the camera and microphone holders) and passes the wall clock.
//!
//! - A call starts when a call app starts; or when the camera or microphone has been taken for
//!   [`MEDIA_SETTLE`] (not for a voice note or a camera tried for a moment). If no check ran in
//!   the last [`RECENT_CHECK`], Klaar offers one: at most once per call, and once per meeting
//!   when the call falls in a calendar meeting (an app restarted mid-meeting is not offered
//!   again).
//! - A call started by an app ends when that app closes (the camera switched off for a while in
//!   between changes nothing); one started by the camera or microphone ends when they are
//!   released, if they were held for [`MEDIA_CALL`] or longer (else it was no call); and either
//!   ends when its meeting's end has passed while the camera and microphone are free (a meeting
//!   that runs over ends when they are released). Then Klaar reminds to clear the chat history
//!   (seed 000: "Wis naderhand je chatgeschiedenis"; seed 004: "Wis dan in ieder geval na elk
//!   gesprek de chathistorie"), once per call.
//! - Something that holds the microphone all day (a noise filter such as NoiseTorch or
//!   EasyEffects, seen in public bug reports) is no call; a call app starting still is one.

use crate::schedule::Meeting;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;

/// A check this recent makes an offer unnecessary (issue 10: 10 minutes).
pub const RECENT_CHECK: Duration = Duration::minutes(10);

/// How long the camera or microphone must be held, without a call app starting, before it
/// counts as a call: a voice note, dictation or a camera tried for a moment are shorter.
pub const MEDIA_SETTLE: Duration = Duration::seconds(30);

/// Camera or microphone use shorter than this is no call when they are released (issue 10: "a
/// call of more than a few minutes").
pub const MEDIA_CALL: Duration = Duration::minutes(3);

/// A meeting counts for a call from this long before its start.
pub const MEETING_LEAD: Duration = Duration::minutes(10);

/// What the computer shows at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// Keys (`assets/apps.toml`) of the call apps running.
    pub call_apps: BTreeSet<String>,
    /// Another program holds the camera.
    pub camera: bool,
    /// Another program records from the microphone; `None` when that cannot be told now
    /// (Klaar records itself): the last answer holds.
    pub microphone: Option<bool>,
}

/// What Klaar should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    /// A call seems to start and no check ran recently: offer one. `app`: the call app that
    /// started, or runs; `meeting`: the calendar meeting it falls in.
    OfferCheck {
        app: Option<String>,
        meeting: Option<Meeting>,
    },
    /// A call ended: remind to clear the chat history. `app`: the call app, if one was seen.
    ClearChat {
        app: Option<String>,
        meeting: Option<Meeting>,
    },
}

#[derive(Debug, Clone)]
struct Call {
    /// Call apps that started during the call: their closing ends it.
    started: BTreeSet<String>,
    /// Call apps that ran when it started (Teams open all day): named, but their closing ends
    /// only a call the camera or microphone started.
    running: BTreeSet<String>,
    /// Whether the camera or microphone started it (no app started).
    by_media: bool,
    meeting: Option<Meeting>,
    /// Whether a check was offered (or not needed) for it.
    offered: bool,
}

/// The watch's memory between looks.
#[derive(Debug, Clone, Default)]
pub struct CallWatch {
    /// Call apps seen last time.
    running: BTreeSet<String>,
    camera: bool,
    microphone: bool,
    /// Since when the camera or microphone has been held, while it is.
    media_since: Option<DateTime<Utc>>,
    /// Whether the media taken before Klaar looked first still holds (a noise filter): it is
    /// not counted until released once.
    media_before: bool,
    call: Option<Call>,
    /// Meetings (their keys) a check was offered for.
    offered: BTreeSet<(String, DateTime<Utc>)>,
    /// Whether the watch has looked before.
    looked: bool,
}

impl CallWatch {
    /// Looks at `seen` at `now`. `last_check`: when the last full check finished; `meetings`:
    /// the calendar's online meetings. The first look only learns what already runs: an app open
    /// or a microphone held before Klaar started is no call starting.
    pub fn observe(
        &mut self,
        seen: &Seen,
        now: DateTime<Utc>,
        last_check: Option<DateTime<Utc>>,
        meetings: &[Meeting],
    ) -> Vec<Say> {
        let mut said = Vec::new();
        let started: Vec<String> = seen.call_apps.difference(&self.running).cloned().collect();
        let closed: Vec<String> = self.running.difference(&seen.call_apps).cloned().collect();
        self.running = seen.call_apps.clone();
        self.camera = seen.camera;
        self.microphone = seen.microphone.unwrap_or(self.microphone);
        let media = self.camera || self.microphone;
        let first = !std::mem::replace(&mut self.looked, true);
        if first {
            self.media_before = media;
            return said;
        }
        if !media {
            self.media_before = false;
        }
        let media = media && !self.media_before;
        let held = self.media_since.map(|since| now - since);
        let released = !media && self.media_since.is_some();
        match (media, self.media_since) {
            (true, None) => self.media_since = Some(now),
            (false, Some(_)) => self.media_since = None,
            _ => {}
        }

        // An end first: an app closing and another starting in the same look are two calls.
        if let Some(call) = &self.call {
            let app_closed = closed
                .iter()
                .find(|a| call.started.contains(*a) || (call.by_media && call.running.contains(*a)))
                .cloned();
            let meeting_over = call.meeting.as_ref().is_some_and(|m| m.end <= now) && !media;
            let media_over = call.by_media && released;
            let long_enough = held.is_some_and(|h| h >= MEDIA_CALL);
            if app_closed.is_some() || meeting_over || (media_over && long_enough) {
                let call = self.call.take().expect("a call");
                said.push(Say::ClearChat {
                    app: app_closed
                        .or_else(|| call.started.iter().next().cloned())
                        .or_else(|| call.running.iter().next().cloned()),
                    meeting: call.meeting,
                });
            } else if media_over {
                // The camera or microphone was used for a moment: no call after all.
                self.call = None;
            }
        }

        let media_settled = self
            .media_since
            .is_some_and(|since| now - since >= MEDIA_SETTLE);
        let recent = last_check.is_some_and(|t| now - t < RECENT_CHECK && t <= now);
        if !started.is_empty() && self.call.as_ref().is_some_and(|c| c.by_media) {
            // A call app starts while the camera or microphone seemed to be a call (or a noise
            // filter holds the microphone): the app's call is its own, offered anew.
            self.call = None;
        }
        match &mut self.call {
            Some(call) => call.started.extend(started.iter().cloned()),
            None if !started.is_empty() || media_settled => {
                let meeting = meetings
                    .iter()
                    .filter(|m| m.start - MEETING_LEAD <= now && now < m.end)
                    .min_by_key(|m| (m.start - now).num_seconds().abs())
                    .cloned();
                self.call = Some(Call {
                    started: started.iter().cloned().collect(),
                    running: seen.call_apps.clone(),
                    by_media: started.is_empty(),
                    meeting,
                    offered: false,
                });
            }
            None => {}
        }
        if let Some(call) = &mut self.call {
            if !call.offered {
                call.offered = true;
                let already = call
                    .meeting
                    .as_ref()
                    .is_some_and(|m| !self.offered.insert(m.key()));
                if !recent && !already {
                    said.push(Say::OfferCheck {
                        app: started
                            .first()
                            .or_else(|| seen.call_apps.iter().next())
                            .cloned(),
                        meeting: call.meeting.clone(),
                    });
                }
            }
        }
        said
    }

    /// Whether a call is going on, as far as the watch can tell.
    pub fn in_call(&self) -> bool {
        self.call.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(minute)
    }

    fn seen(apps: &[&str], camera: bool, microphone: bool) -> Seen {
        Seen {
            call_apps: apps.iter().map(|a| a.to_string()).collect(),
            camera,
            microphone: Some(microphone),
        }
    }

    fn offers(said: &[Say]) -> usize {
        said.iter()
            .filter(|s| matches!(s, Say::OfferCheck { .. }))
            .count()
    }

    fn clear_chat(said: &[Say]) -> Option<Option<String>> {
        said.iter().find_map(|s| match s {
            Say::ClearChat { app, .. } => Some(app.clone()),
            _ => None,
        })
    }

    /// Looks at each (minute, seen) in turn; all that was said.
    fn story(watch: &mut CallWatch, looks: &[(i64, Seen)], last_check: Option<i64>) -> Vec<Say> {
        looks
            .iter()
            .flat_map(|(minute, s)| watch.observe(s, at(*minute), last_check.map(at), &[]))
            .collect()
    }

    #[test]
    fn an_app_starting_offers_a_check_once_and_its_closing_reminds_to_clear_the_chat() {
        let mut watch = CallWatch::default();
        assert!(watch
            .observe(&seen(&[], false, false), at(0), None, &[])
            .is_empty());
        let said = watch.observe(&seen(&["zoom"], false, false), at(1), None, &[]);
        assert_eq!(
            said,
            [Say::OfferCheck {
                app: Some("zoom".into()),
                meeting: None
            }]
        );
        // Camera and microphone on, off for five minutes, on again: still the same call.
        let middle = story(
            &mut watch,
            &[
                (2, seen(&["zoom"], true, true)),
                (10, seen(&["zoom"], false, false)),
                (15, seen(&["zoom"], true, true)),
            ],
            None,
        );
        assert!(middle.is_empty(), "{middle:?}");
        let said = watch.observe(&seen(&[], false, false), at(40), None, &[]);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
        assert!(!watch.in_call());
    }

    #[test]
    fn a_recent_check_needs_no_offer_but_the_chat_is_still_reminded() {
        let mut watch = CallWatch::default();
        watch.observe(&seen(&[], false, false), at(0), None, &[]);
        let said = watch.observe(&seen(&["teams"], false, false), at(12), Some(at(3)), &[]);
        assert!(said.is_empty(), "checked 9 minutes ago: {said:?}");
        let said = watch.observe(&seen(&[], false, false), at(50), Some(at(3)), &[]);
        assert_eq!(clear_chat(&said), Some(Some("teams".into())));
        // A check 11 minutes before is not recent; one "in the future" (clock set back) neither.
        let said = watch.observe(&seen(&["teams"], false, false), at(61), Some(at(50)), &[]);
        assert_eq!(offers(&said), 1);
        let mut watch = CallWatch::default();
        watch.observe(&seen(&[], false, false), at(0), None, &[]);
        let said = watch.observe(&seen(&["teams"], false, false), at(1), Some(at(30)), &[]);
        assert_eq!(offers(&said), 1);
    }

    #[test]
    fn teams_open_all_day_a_moment_of_camera_is_nothing_and_a_call_in_it_is_a_call() {
        let mut watch = CallWatch::default();
        let teams = |camera| seen(&["teams"], camera, camera);
        let said = story(
            &mut watch,
            &[(0, teams(false)), (30, teams(false)), (31, teams(true))],
            None,
        );
        assert!(
            said.is_empty(),
            "open before Klaar; the camera not settled yet: {said:?}"
        );
        // Ten seconds of camera in another program: no call, and no call left hanging.
        let said = watch.observe(&teams(false), at(31) + Duration::seconds(10), None, &[]);
        assert!(said.is_empty() && !watch.in_call(), "{said:?}");
        // A real call in Teams: offered once the camera settled, over when it is let go.
        let said = story(&mut watch, &[(40, teams(true)), (41, teams(true))], None);
        assert_eq!(
            said,
            [Say::OfferCheck {
                app: Some("teams".into()),
                meeting: None
            }]
        );
        let said = watch.observe(&teams(false), at(70), None, &[]);
        assert_eq!(clear_chat(&said), Some(Some("teams".into())));
        // Closing Teams in the evening is no second reminder.
        assert!(watch
            .observe(&seen(&[], false, false), at(600), None, &[])
            .is_empty());
    }

    #[test]
    fn a_browser_call_is_seen_by_the_microphone_and_a_voice_note_is_no_call() {
        let mut watch = CallWatch::default();
        watch.observe(&seen(&[], false, false), at(0), None, &[]);
        // A voice note of twenty seconds: nothing.
        let said = story(&mut watch, &[(1, seen(&[], false, true))], None);
        let said2 = watch.observe(
            &seen(&[], false, false),
            at(1) + Duration::seconds(20),
            None,
            &[],
        );
        assert!(said.is_empty() && said2.is_empty() && !watch.in_call());
        // Meet in a browser tab: the microphone for 40 minutes; checked 4 minutes before.
        let said = story(
            &mut watch,
            &[(5, seen(&[], false, true)), (6, seen(&[], false, true))],
            Some(1),
        );
        assert_eq!(offers(&said), 0, "checked 4 minutes before");
        assert!(watch.in_call());
        let said = watch.observe(&seen(&[], false, false), at(45), Some(at(1)), &[]);
        assert_eq!(clear_chat(&said), Some(None));
    }

    #[test]
    fn klaars_own_recording_hides_the_microphone_without_ending_the_call() {
        let mut watch = CallWatch::default();
        watch.observe(&seen(&[], false, false), at(0), None, &[]);
        story(
            &mut watch,
            &[(1, seen(&[], false, true)), (2, seen(&[], false, true))],
            None,
        );
        assert!(watch.in_call());
        // "Check now" records a second: the sound server cannot tell others apart meanwhile.
        let unknown = Seen {
            microphone: None,
            ..seen(&[], false, false)
        };
        assert!(watch.observe(&unknown, at(3), None, &[]).is_empty());
        assert!(watch.in_call());
        let said = watch.observe(&seen(&[], false, false), at(30), None, &[]);
        assert_eq!(clear_chat(&said), Some(None));
    }

    /// NoiseTorch or EasyEffects keep the physical microphone recording all day (public bug
    /// reports: noisetorch/NoiseTorch#234, wwmm/easyeffects#547).
    #[test]
    fn a_noise_filter_recording_all_day_does_not_hide_a_zoom_call() {
        // Running before Klaar looked: no call at all.
        let mut watch = CallWatch::default();
        let said = story(
            &mut watch,
            &[(0, seen(&[], false, true)), (60, seen(&[], false, true))],
            None,
        );
        assert!(said.is_empty() && !watch.in_call());
        let said = watch.observe(&seen(&["zoom"], false, true), at(61), None, &[]);
        assert_eq!(offers(&said), 1);
        let said = watch.observe(&seen(&[], false, true), at(100), None, &[]);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
        // Started after Klaar (at login): one offer it should not have made, but a Zoom call
        // later is offered and reminded all the same.
        let mut watch = CallWatch::default();
        let said = story(
            &mut watch,
            &[
                (0, seen(&[], false, false)),
                (1, seen(&[], false, true)),
                (2, seen(&[], false, true)),
            ],
            None,
        );
        assert_eq!(offers(&said), 1);
        let said = watch.observe(&seen(&["zoom"], false, true), at(120), None, &[]);
        assert_eq!(offers(&said), 1);
        let said = watch.observe(&seen(&[], false, true), at(160), None, &[]);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
    }

    #[test]
    fn one_offer_per_meeting_and_its_end_ends_the_call_once_camera_and_microphone_are_free() {
        let meeting = Meeting {
            uid: "team-1".into(),
            summary: "Teamoverleg".into(),
            start: at(30),
            end: at(90),
            remind_at: at(25),
        };
        let meetings = [meeting.clone()];
        let mut watch = CallWatch::default();
        watch.observe(&seen(&[], false, false), at(0), None, &meetings);
        let said = watch.observe(&seen(&["zoom"], false, false), at(28), None, &meetings);
        assert_eq!(
            said,
            [Say::OfferCheck {
                app: Some("zoom".into()),
                meeting: Some(meeting.clone())
            }]
        );
        // Zoom crashes and is started again in the same meeting: no second offer.
        let said = watch.observe(&seen(&[], false, false), at(40), None, &meetings);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
        let said = watch.observe(&seen(&["zoom"], true, true), at(41), None, &meetings);
        assert!(said.is_empty(), "{said:?}");
        // The meeting runs over: its end passes while the camera is on; nothing yet.
        let said = watch.observe(&seen(&["zoom"], true, true), at(91), None, &meetings);
        assert!(said.is_empty(), "{said:?}");
        // The camera and microphone are let go while Zoom stays open: the call is over.
        let said = watch.observe(&seen(&["zoom"], false, false), at(95), None, &meetings);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
        assert!(watch
            .observe(&seen(&[], false, false), at(100), None, &meetings)
            .is_empty());
    }
}
