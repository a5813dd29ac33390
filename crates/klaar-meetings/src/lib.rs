//! Calendars and online meetings.
//!
//! Pure by design, like the checklist engine: no I/O, no clock. The text of a calendar comes in,
//! the window of time and the user's time zone come in, and the events in that window come out,
//! each with the online meeting it links to and that service's AVG rating.
//!
//! - [`calendar`]: parsing and expanding an iCalendar file with `calcard` (recurrence rules,
//!   RDATE, EXDATE, moved and cancelled occurrences, VTIMEZONE and Windows zone names,
//!   floating times, all-day events, DURATION).
//! - [`online`]: which service a meeting link belongs to (`assets/meetings.toml`), Outlook's
//!   SafeLinks unwrapped first.
//! - [`agenda`]: the listing `klaar agenda` prints: events sorted by start, with `remind_at`.
//! - [`schedule`]: which meetings to remind of now, against the wall clock (once each; after a
//!   sleep only if the meeting has not ended; snooze).
//! - [`calls`]: a call starting (offer a check) and ending (clear the chat), from the call apps
//!   running and the camera and microphone holders the caller saw.

pub mod agenda;
pub mod calendar;
pub mod calls;
pub mod online;
pub mod schedule;

pub use agenda::{Agenda, AgendaEvent, AgendaProblem, Online, Options};
pub use calendar::{Calendar, CalendarProblem, Occurrence, ProblemKind, When};
