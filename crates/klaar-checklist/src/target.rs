//! Which host the `connection` probe measures: the organisation's (`[connection] host` in the
//! settings) over the next meeting's link over the running call app's service. Pure: the
//! caller reads the settings, the calendar and the processes.

use crate::apps::recognise;
use crate::catalogue::Role;
use crate::Engine;
use klaar_facts::{ConnectionTarget, ProcessList, TargetSource};

/// The port a meeting service answers on (HTTPS); the organisation may name another.
pub const DEFAULT_PORT: u16 = 443;

/// From this many minutes before its start (and while it lasts) a meeting is the call about to
/// happen, and its service goes before the call app that is open. Klaar's own choice: the
/// longest reminder time (10 minutes) and a little more to get ready.
pub const IMMINENT_MINUTES: i64 = 15;

/// An online meeting not over yet: its link's host, its service (a key of
/// `assets/meetings.toml`) and the minutes until it starts (negative once under way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingLink {
    pub host: String,
    pub service: String,
    pub minutes_until: i64,
}

/// What the caller knows of the person's call.
#[derive(Debug, Clone, Default)]
pub struct Candidates<'a> {
    /// The organisation's host, as written: `meet.school.nl`, `meet.school.nl:8443`,
    /// `[2001:db8::1]:443`.
    pub organisation: Option<&'a str>,
    /// The first online meeting not over yet.
    pub meeting: Option<MeetingLink>,
    /// The processes running now.
    pub processes: Option<&'a ProcessList>,
}

/// `host[:port]` or `[v6]:port` → host and port; `None` for an empty host or a bad port.
pub fn parse_host(text: &str) -> Option<(String, u16)> {
    let text = text.trim();
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        // `[v6]` or `[v6]:port`: only an IPv6 address goes in brackets.
        let (host, after) = rest.split_once(']')?;
        host.parse::<std::net::Ipv6Addr>().ok()?;
        match after.strip_prefix(':') {
            Some(port) => (host, port.parse().ok()?),
            None if after.is_empty() => (host, DEFAULT_PORT),
            None => return None,
        }
    } else if text.parse::<std::net::Ipv6Addr>().is_ok() {
        (text, DEFAULT_PORT)
    } else {
        match text.split_once(':') {
            Some((host, port)) => (host, port.parse().ok()?),
            None => (text, DEFAULT_PORT),
        }
    };
    let name = |h: &str| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
    };
    let fine = host.parse::<std::net::Ipv6Addr>().is_ok() || name(host);
    (fine && port != 0).then(|| (host.to_ascii_lowercase(), port))
}

impl Engine {
    /// The host to measure, or `None` when none is known (then the item says so and nothing
    /// is contacted): the organisation's; else a meeting under way or within
    /// [`IMMINENT_MINUTES`]; else the call app that is open (when the catalogue knows its web
    /// host, the first of `web_hosts`); else a later meeting.
    pub fn connection_target(&self, c: &Candidates) -> Option<ConnectionTarget> {
        // The policy's `[connection] target` before the person's `[connection] host`.
        let organisation = self.choices().policy.connection_target.as_deref();
        if let Some((host, port)) = organisation.or(c.organisation).and_then(parse_host) {
            return Some(ConnectionTarget {
                host,
                port,
                source: TargetSource::Organisation,
                service: None,
            });
        }
        let meeting = c.meeting.as_ref().and_then(|m| {
            let (host, _) = parse_host(&m.host)?;
            let target = ConnectionTarget {
                host,
                port: DEFAULT_PORT,
                source: TargetSource::Meeting,
                service: Some(self.catalogue().app_name(&m.service)),
            };
            Some((m.minutes_until <= IMMINENT_MINUTES, target))
        });
        if let Some((true, target)) = meeting {
            return Some(target);
        }
        let apps = &self.catalogue().apps;
        let app = c.processes.and_then(|processes| {
            recognise(processes, apps)
                .into_iter()
                .filter(|app| app.roles.contains(&Role::Call))
                .find_map(|app| {
                    Some(ConnectionTarget {
                        host: app.web_hosts.first()?.clone(),
                        port: DEFAULT_PORT,
                        source: TargetSource::App,
                        service: Some(app.name.clone()),
                    })
                })
        });
        app.or(meeting.map(|(_, target)| target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use klaar_facts::Process;

    #[test]
    fn hosts_as_an_organisation_writes_them() {
        assert_eq!(
            parse_host("meet.school.nl"),
            Some(("meet.school.nl".into(), 443))
        );
        assert_eq!(
            parse_host(" Meet.School.nl:8443 "),
            Some(("meet.school.nl".into(), 8443))
        );
        assert_eq!(
            parse_host("[2001:db8::1]:443"),
            Some(("2001:db8::1".into(), 443))
        );
        assert_eq!(parse_host("2001:db8::1"), Some(("2001:db8::1".into(), 443)));
        for bad in [
            "",
            ":443",
            "meet.school.nl:0",
            "meet.school.nl:http",
            "meet.school.nl:8443:1",
            "a::b::c",
            "[meet.school.nl]",
            "https://x/",
            "a b",
        ] {
            assert_eq!(parse_host(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_organisation_over_the_meeting_over_the_running_app() {
        let engine = Engine::builtin();
        let zoom = ProcessList {
            processes: vec![Process {
                name: "zoom".into(),
                ..Process::default()
            }],
        };
        let teams = |minutes_until| MeetingLink {
            host: "teams.microsoft.com".into(),
            service: "teams".into(),
            minutes_until,
        };
        let mut c = Candidates {
            organisation: Some("meet.school.nl"),
            meeting: Some(teams(10)),
            processes: Some(&zoom),
        };
        let pick = |c: &Candidates| engine.connection_target(c).map(|t| (t.host, t.source));
        assert_eq!(
            pick(&c),
            Some(("meet.school.nl".into(), TargetSource::Organisation))
        );
        c.organisation = None;
        // A meeting in 10 minutes (or under way) is the call about to happen.
        let meeting = engine.connection_target(&c).unwrap();
        assert_eq!(meeting.service.as_deref(), Some("Microsoft Teams"));
        assert_eq!(meeting.source, TargetSource::Meeting);
        c.meeting = Some(teams(-20));
        assert_eq!(pick(&c).unwrap().1, TargetSource::Meeting);
        // In a Zoom call now, with Teams at two o'clock: Zoom's service is the one in use.
        c.meeting = Some(teams(180));
        assert_eq!(pick(&c), Some(("zoom.us".into(), TargetSource::App)));
        c.processes = None;
        assert_eq!(
            pick(&c),
            Some(("teams.microsoft.com".into(), TargetSource::Meeting))
        );
        c.meeting = None;
        assert_eq!(pick(&c), None);
    }
}
