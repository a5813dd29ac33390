//! Noticing a call start and end from what the computer shows, without the calendar's help:
//! a known call app starts or closes, or another program takes or releases the camera or the
//! microphone (a browser tab with Meet or Teams does only that). Pure: the caller looks (the
//! process list, the camera and microphone holders) and passes the wall clock.
//!
//! - A call starts when a call app starts, or the camera or microphone is taken. If no check ran
//!   in the last [`RECENT_CHECK`], Klaar offers one: at most once per call, and once per meeting
//!   when the call falls in a calendar meeting (an app restarted mid-meeting is not offered again).
//! - A call ends when a call app of the call closes; or when the camera and microphone are
//!   released after being held for [`MEDIA_CALL`] or longer; or when the meeting's end passes
//!   while a call app runs. Then Klaar reminds to clear the chat history (seed 000: "Wis
//!   naderhand je chatgeschiedenis"; seed 004: "Wis dan in ieder geval na elk gesprek de
//!   chathistorie"), once per call.

use crate::schedule::Meeting;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;

/// A check this recent makes an offer unnecessary (issue 10: 10 minutes).
pub const RECENT_CHECK: Duration = Duration::minutes(10);

/// Camera or microphone use shorter than this, without a call app, is no call (trying the
/// camera in another program); longer, its release ends a call (issue 10: "a call of more than
/// a few minutes").
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
    /// Another program records from the microphone.
    pub microphone: bool,
}

/// What Klaar should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    /// A call seems to start and no check ran recently: offer one. `app`: the call app that
    /// started, if one did; `meeting`: the calendar meeting it falls in.
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
    apps: BTreeSet<String>,
    /// When the camera or microphone was taken in this call, while held.
    media_since: Option<DateTime<Utc>>,
    /// The longest the camera or microphone was held at a stretch.
    media_held: Duration,
    meeting: Option<Meeting>,
}

/// The watch's memory between looks.
#[derive(Debug, Clone, Default)]
pub struct CallWatch {
    /// Call apps seen last time.
    running: BTreeSet<String>,
    media: bool,
    call: Option<Call>,
    /// Meetings (their keys) a check was offered for.
    offered: BTreeSet<(String, DateTime<Utc>)>,
    /// Whether the watch has looked before.
    looked: bool,
}

impl CallWatch {
    /// Looks at `seen` at `now`. `last_check`: when the last full check finished; `meetings`:
    /// the calendar's online meetings. The first look only learns what already runs: an app open
    /// before Klaar started is no call starting.
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
        let media = seen.camera || seen.microphone;
        let media_taken = media && !self.media;
        let media_released = !media && self.media;
        self.running = seen.call_apps.clone();
        self.media = media;
        if !std::mem::replace(&mut self.looked, true) {
            return said;
        }

        // An end first: an app closing and another starting in the same look are two calls.
        if let Some(call) = &mut self.call {
            if let Some(since) = call.media_since.filter(|_| media_released) {
                call.media_held = call.media_held.max(now - since);
                call.media_since = None;
            }
            let app_closed = closed.iter().find(|a| call.apps.contains(*a)).cloned();
            let meeting_over = call
                .meeting
                .as_ref()
                .is_some_and(|m| m.end <= now && !call.apps.is_empty());
            let media_call_over = media_released && call.media_held >= MEDIA_CALL;
            let media_tried = media_released && call.apps.is_empty();
            if app_closed.is_some() || meeting_over || media_call_over {
                let call = self.call.take().expect("a call");
                said.push(Say::ClearChat {
                    app: app_closed.or_else(|| call.apps.iter().next().cloned()),
                    meeting: call.meeting,
                });
            } else if media_tried {
                // The camera tried for a moment in another program: no call after all.
                self.call = None;
            }
        }

        if started.is_empty() && !media_taken {
            return said;
        }
        match &mut self.call {
            Some(call) => {
                call.apps.extend(seen.call_apps.iter().cloned());
                if media_taken {
                    call.media_since = Some(now);
                }
            }
            None => {
                let meeting = meetings
                    .iter()
                    .filter(|m| m.start - MEETING_LEAD <= now && now < m.end)
                    .min_by_key(|m| (m.start - now).num_seconds().abs())
                    .cloned();
                let recent = last_check.is_some_and(|t| now - t < RECENT_CHECK && t <= now);
                let already = meeting
                    .as_ref()
                    .is_some_and(|m| self.offered.contains(&m.key()));
                if !recent && !already {
                    if let Some(m) = &meeting {
                        self.offered.insert(m.key());
                    }
                    said.push(Say::OfferCheck {
                        app: started
                            .first()
                            .or_else(|| seen.call_apps.iter().next())
                            .cloned(),
                        meeting: meeting.clone(),
                    });
                }
                self.call = Some(Call {
                    // Also an app that was open before: a call in Teams, left open all day.
                    apps: seen.call_apps.clone(),
                    media_since: media_taken.then_some(now),
                    media_held: Duration::zero(),
                    meeting,
                });
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
            microphone,
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
        // The camera and microphone taken in the same call: no second offer.
        assert!(watch
            .observe(&seen(&["zoom"], true, true), at(2), None, &[])
            .is_empty());
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
    fn an_app_open_before_klaar_is_no_call_until_the_camera_is_taken() {
        let mut watch = CallWatch::default();
        assert!(watch
            .observe(&seen(&["teams"], false, false), at(0), None, &[])
            .is_empty());
        assert!(watch
            .observe(&seen(&["teams"], false, false), at(30), None, &[])
            .is_empty());
        let said = watch.observe(&seen(&["teams"], true, true), at(31), None, &[]);
        assert_eq!(
            said,
            [Say::OfferCheck {
                app: Some("teams".into()),
                meeting: None
            }]
        );
        // Released after 20 minutes while Teams stays open all day: the call is over.
        let said = watch.observe(&seen(&["teams"], false, false), at(51), None, &[]);
        assert_eq!(clear_chat(&said), Some(Some("teams".into())));
        // Closing Teams later is no second reminder.
        assert!(watch
            .observe(&seen(&[], false, false), at(120), None, &[])
            .is_empty());
    }

    #[test]
    fn a_browser_call_is_seen_by_the_microphone_and_a_camera_tried_briefly_is_no_call() {
        let mut watch = CallWatch::default();
        watch.observe(&seen(&[], false, false), at(0), None, &[]);
        // The camera tried for 30 seconds in another program: offered, but no chat reminder.
        assert_eq!(
            offers(&watch.observe(&seen(&[], true, false), at(1), None, &[])),
            1
        );
        let said = watch.observe(
            &seen(&[], false, false),
            at(1) + Duration::seconds(30),
            None,
            &[],
        );
        assert!(said.is_empty(), "{said:?}");
        assert!(!watch.in_call());
        // Meet in a browser tab: the microphone for 40 minutes.
        assert_eq!(
            offers(&watch.observe(&seen(&[], false, true), at(5), Some(at(1)), &[])),
            0,
            "checked 4 minutes before"
        );
        let said = watch.observe(&seen(&[], false, false), at(45), Some(at(1)), &[]);
        assert_eq!(clear_chat(&said), Some(None));
    }

    /// NoiseTorch or EasyEffects keep the physical microphone recording all day (public bug
    /// reports: noisetorch/NoiseTorch#234, wwmm/easyeffects#547): running before Klaar looked,
    /// it is no call; a Zoom call still is one, and ends when Zoom closes.
    #[test]
    fn a_noise_filter_recording_all_day_is_no_call_but_zoom_still_is() {
        let mut watch = CallWatch::default();
        assert!(watch
            .observe(&seen(&[], false, true), at(0), None, &[])
            .is_empty());
        assert!(watch
            .observe(&seen(&[], false, true), at(60), None, &[])
            .is_empty());
        assert_eq!(
            offers(&watch.observe(&seen(&["zoom"], false, true), at(61), None, &[])),
            1
        );
        let said = watch.observe(&seen(&[], false, true), at(100), None, &[]);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
    }

    #[test]
    fn one_offer_per_meeting_and_its_end_ends_the_call_while_the_app_runs() {
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
        let said = watch.observe(&seen(&["zoom"], false, false), at(41), None, &meetings);
        assert!(said.is_empty(), "{said:?}");
        // The meeting's end passes while Zoom still runs: the call is over.
        let said = watch.observe(&seen(&["zoom"], false, false), at(91), None, &meetings);
        assert_eq!(clear_chat(&said), Some(Some("zoom".into())));
        assert!(watch
            .observe(&seen(&[], false, false), at(100), None, &meetings)
            .is_empty());
    }
}
