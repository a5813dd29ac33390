//! Which host the `connection` probe measures: the organisation's (`[connection] host` in the
//! settings) over the next meeting's link over the running call app's service. Pure: the
//! caller reads the settings, the calendar and the processes.

use crate::apps::recognise;
use crate::catalogue::Role;
use crate::Engine;
use klaar_facts::{ConnectionTarget, ProcessList, TargetSource};

/// The port a meeting service answers on (HTTPS); the organisation may name another.
pub const DEFAULT_PORT: u16 = 443;

/// What the caller knows of the person's call.
#[derive(Debug, Clone, Default)]
pub struct Candidates<'a> {
    /// The organisation's host, as written: `meet.school.nl`, `meet.school.nl:8443`,
    /// `[2001:db8::1]:443`.
    pub organisation: Option<&'a str>,
    /// The next meeting's link: its host and its service's key (`assets/meetings.toml`).
    pub meeting: Option<(String, String)>,
    /// The processes running now.
    pub processes: Option<&'a ProcessList>,
}

/// `host[:port]` or `[v6]:port` → host and port; `None` for an empty host or a bad port.
pub fn parse_host(text: &str) -> Option<(String, u16)> {
    let text = text.trim();
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after.strip_prefix(':') {
            Some(port) => (host, port.parse().ok()?),
            None if after.is_empty() => (host, DEFAULT_PORT),
            None => return None,
        }
    } else {
        match text.split_once(':') {
            Some((host, port)) if !port.contains(':') => (host, port.parse().ok()?),
            Some(_) => (text, DEFAULT_PORT), // a bare IPv6 address
            None => (text, DEFAULT_PORT),
        }
    };
    let fine = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    (fine && port != 0).then(|| (host.to_ascii_lowercase(), port))
}

impl Engine {
    /// The host to measure, or `None` when none is known (then the item says so and nothing
    /// is contacted). A running call app counts when the catalogue knows its web host (the
    /// first of `web_hosts`).
    pub fn connection_target(&self, c: &Candidates) -> Option<ConnectionTarget> {
        if let Some((host, port)) = c.organisation.and_then(parse_host) {
            return Some(ConnectionTarget {
                host,
                port,
                source: TargetSource::Organisation,
                service: None,
            });
        }
        if let Some((host, service)) = &c.meeting {
            if let Some((host, _)) = parse_host(host) {
                return Some(ConnectionTarget {
                    host,
                    port: DEFAULT_PORT,
                    source: TargetSource::Meeting,
                    service: Some(self.catalogue().app_name(service)),
                });
            }
        }
        let apps = &self.catalogue().apps;
        recognise(c.processes?, apps)
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
        let mut c = Candidates {
            organisation: Some("meet.school.nl"),
            meeting: Some(("teams.microsoft.com".into(), "teams".into())),
            processes: Some(&zoom),
        };
        let pick = |c: &Candidates| engine.connection_target(c).map(|t| (t.host, t.source));
        assert_eq!(
            pick(&c),
            Some(("meet.school.nl".into(), TargetSource::Organisation))
        );
        c.organisation = None;
        let meeting = engine.connection_target(&c).unwrap();
        assert_eq!(meeting.service.as_deref(), Some("Microsoft Teams"));
        assert_eq!(meeting.source, TargetSource::Meeting);
        c.meeting = None;
        assert_eq!(pick(&c), Some(("zoom.us".into(), TargetSource::App)));
        c.processes = None;
        assert_eq!(pick(&c), None);
    }
}
