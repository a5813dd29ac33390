//! When to remind, against the wall clock. Pure: the caller passes "now" (the wall clock, read
//! again after a wake from sleep) and the meetings; nothing here sleeps or reads a clock.
//!
//! A reminder is planned for a wall-clock instant, not as a timer: a monotonic timer stops
//! while the laptop sleeps, so a 5-minute timer across an hour of sleep would fire 65 minutes
//! late. The rules (issue 10):
//! - each meeting is reminded once, when its reminder time has come and the meeting has not
//!   ended; a laptop that slept past the reminder time is reminded on waking, once, unless the
//!   meeting has ended by then;
//! - overlapping meetings are reminded each on their own;
//! - "snooze" reminds the same meeting again at the time asked for, if it has not ended;
//! - a meeting moved to another time is a new meeting to remind; one whose title changed is not.

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// A meeting to remind of: its identity (UID and original start) and its times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub uid: String,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub remind_at: DateTime<Utc>,
}

impl Meeting {
    /// Reminded once per UID and start: an edited title keeps it, a new time makes it new.
    pub fn key(&self) -> (String, DateTime<Utc>) {
        (self.uid.clone(), self.start)
    }

    /// A meeting is over at its end; one without length at its start.
    fn over(&self, now: DateTime<Utc>) -> bool {
        now >= self.end.max(self.start)
    }
}

/// What has been reminded and what waits for a snooze. Kept by the app while it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reminders {
    done: BTreeSet<(String, DateTime<Utc>)>,
    snoozed: BTreeMap<(String, DateTime<Utc>), DateTime<Utc>>,
}

impl Reminders {
    /// The meetings to remind of at `now`, in start order; each is then marked as reminded.
    pub fn due(&mut self, meetings: &[Meeting], now: DateTime<Utc>) -> Vec<Meeting> {
        let mut due: Vec<Meeting> = meetings
            .iter()
            .filter(|m| !m.over(now))
            .filter(|m| {
                let key = m.key();
                match self.snoozed.get(&key) {
                    Some(until) => *until <= now,
                    None => m.remind_at <= now && !self.done.contains(&key),
                }
            })
            .cloned()
            .collect();
        due.sort_by_key(|m| (m.start, m.uid.clone()));
        due.dedup_by_key(|m| m.key());
        for m in &due {
            self.snoozed.remove(&m.key());
            self.done.insert(m.key());
        }
        due
    }

    /// Reminds of `meeting` again at `until`.
    pub fn snooze(&mut self, meeting: &Meeting, until: DateTime<Utc>) {
        self.snoozed.insert(meeting.key(), until);
    }

    /// When to look again after `now`: the earliest reminder or snooze still to come. `None`
    /// when nothing is planned.
    pub fn next(&self, meetings: &[Meeting], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let reminders = meetings
            .iter()
            .filter(|m| !m.over(now) && !self.done.contains(&m.key()) && m.remind_at > now)
            .map(|m| m.remind_at);
        let snoozes = self.snoozed.values().copied().filter(|t| *t > now);
        reminders.chain(snoozes).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn meeting(uid: &str, start: &str, minutes: i64) -> Meeting {
        let start = at(start);
        Meeting {
            uid: uid.into(),
            summary: uid.into(),
            start,
            end: start + Duration::minutes(minutes),
            remind_at: start - Duration::minutes(5),
        }
    }

    fn uids(due: &[Meeting]) -> Vec<&str> {
        due.iter().map(|m| m.uid.as_str()).collect()
    }

    #[test]
    fn once_at_its_time_and_never_again() {
        let meetings = [meeting("team", "2026-12-01T10:00:00+01:00", 60)];
        let mut r = Reminders::default();
        assert!(r.due(&meetings, at("2026-12-01T09:54:59+01:00")).is_empty());
        assert_eq!(
            r.next(&meetings, at("2026-12-01T09:00:00+01:00")),
            Some(at("2026-12-01T09:55:00+01:00"))
        );
        assert_eq!(
            uids(&r.due(&meetings, at("2026-12-01T09:55:00+01:00"))),
            ["team"]
        );
        assert!(r.due(&meetings, at("2026-12-01T09:56:00+01:00")).is_empty());
        assert_eq!(r.next(&meetings, at("2026-12-01T09:56:00+01:00")), None);
    }

    #[test]
    fn asleep_past_the_reminder_reminds_on_waking_unless_the_meeting_ended() {
        let meetings = [
            meeting("ended", "2026-12-01T08:00:00+01:00", 30),
            meeting("running", "2026-12-01T09:00:00+01:00", 90),
        ];
        let mut r = Reminders::default();
        // The laptop slept from 07:00 to 10:00: one reminder, for the meeting still running.
        assert_eq!(
            uids(&r.due(&meetings, at("2026-12-01T10:00:00+01:00"))),
            ["running"]
        );
        assert!(r.due(&meetings, at("2026-12-01T10:01:00+01:00")).is_empty());
    }

    #[test]
    fn overlapping_meetings_each_get_their_reminder_and_a_snooze_comes_back_once() {
        let meetings = [
            meeting("a", "2026-12-01T10:00:00+01:00", 60),
            meeting("b", "2026-12-01T10:00:00+01:00", 30),
        ];
        let mut r = Reminders::default();
        let due = r.due(&meetings, at("2026-12-01T09:55:00+01:00"));
        assert_eq!(uids(&due), ["a", "b"]);
        r.snooze(&due[0], at("2026-12-01T09:57:00+01:00"));
        assert!(r.due(&meetings, at("2026-12-01T09:56:00+01:00")).is_empty());
        assert_eq!(
            r.next(&meetings, at("2026-12-01T09:56:00+01:00")),
            Some(at("2026-12-01T09:57:00+01:00"))
        );
        assert_eq!(
            uids(&r.due(&meetings, at("2026-12-01T09:57:30+01:00"))),
            ["a"]
        );
        assert!(r.due(&meetings, at("2026-12-01T09:58:00+01:00")).is_empty());
        // A snooze past the meeting's end never fires.
        r.snooze(&meetings[1], at("2026-12-01T10:45:00+01:00"));
        assert!(r.due(&meetings, at("2026-12-01T10:46:00+01:00")).is_empty());
    }

    #[test]
    fn a_meeting_moved_is_new_and_a_title_changed_is_not() {
        let mut r = Reminders::default();
        let before = [meeting("team", "2026-12-01T10:00:00+01:00", 60)];
        assert_eq!(r.due(&before, at("2026-12-01T09:55:00+01:00")).len(), 1);
        let mut renamed = before.clone();
        renamed[0].summary = "Teamoverleg (nieuwe agenda)".into();
        assert!(r.due(&renamed, at("2026-12-01T09:56:00+01:00")).is_empty());
        let moved = [meeting("team", "2026-12-01T11:00:00+01:00", 60)];
        assert!(r.due(&moved, at("2026-12-01T09:57:00+01:00")).is_empty());
        assert_eq!(r.due(&moved, at("2026-12-01T10:55:00+01:00")).len(), 1);
    }

    #[test]
    fn across_the_dst_change_the_reminder_keeps_five_minutes() {
        // 25 October 2026, 03:00 CEST becomes 02:00 CET; a meeting at 02:30 CET.
        let m = [meeting("nacht", "2026-10-25T02:30:00+01:00", 30)];
        let mut r = Reminders::default();
        assert!(r.due(&m, at("2026-10-25T02:24:00+01:00")).is_empty());
        assert_eq!(r.due(&m, at("2026-10-25T02:25:00+01:00")).len(), 1);
    }
}
