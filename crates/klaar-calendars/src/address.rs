//! A calendar's secret address: the private https link Outlook / Microsoft 365 and Google
//! Calendar give for a calendar. It is a password (whoever has it reads the calendar), so it is
//! shown only as its host and last characters ([`Address::label`]) and never printed whole.

use reqwest::Url;

/// How many characters of the address's secret part a label shows.
pub const SHOWN_CHARS: usize = 4;

/// A checked secret address. `Debug` and `Display` show the label, never the address.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    url: Url,
}

/// Why a text is not a calendar address Klaar fetches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressProblem {
    /// Not an address at all (no scheme, no host).
    #[error("not an internet address")]
    NotAnAddress,
    /// `http://`: the secret would travel readable by anyone on the way.
    #[error("http:// sends the secret address unencrypted")]
    Unencrypted,
    /// Another scheme (`ftp:`, `file:`, …).
    #[error("only https:// and webcal:// addresses are fetched")]
    Scheme,
}

impl AddressProblem {
    /// The locale key of Klaar's words for it (`[agenda]` in the locale files).
    pub fn locale_key(&self) -> &'static str {
        match self {
            AddressProblem::NotAnAddress => "agenda.address_invalid",
            AddressProblem::Unencrypted => "agenda.address_http",
            AddressProblem::Scheme => "agenda.address_scheme",
        }
    }
}

/// True when `text` is meant as an internet address, not a file name: it has a scheme
/// (`https://`, `webcal://`, …), or it was pasted without one (`calendar.google.com/…`: a
/// first part with a dot, then a path, and no such file).
pub fn looks_like_address(text: &str) -> bool {
    let text = text.trim();
    let lower = text.to_ascii_lowercase();
    let scheme = lower
        .split_once("://")
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains('/'));
    scheme || without_scheme(text)
}

/// `calendar.google.com/calendar/ical/…`: a host and a path, no scheme, and no such file.
fn without_scheme(text: &str) -> bool {
    let Some((host, _)) = text.split_once('/') else {
        return false;
    };
    !host.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.starts_with('~')
        && !host.contains(char::is_whitespace)
        && !std::path::Path::new(text).exists()
}

/// The host an address names, for naming a bad one (`?` when there is none); never more.
pub fn host_of(text: &str) -> String {
    Url::parse(text.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "?".into())
}

impl Address {
    /// Reads an address as a person pastes it: surrounding spaces are dropped; `webcal://`
    /// and `webcals://` mean https (RFC-less convention of Apple, Google and Outlook).
    ///
    /// # Errors
    /// [`AddressProblem`]: not an address, plain `http://`, or another scheme.
    pub fn parse(text: &str) -> Result<Address, AddressProblem> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let rest = ["webcals://", "webcal://"]
            .iter()
            .find(|s| lower.starts_with(*s))
            .map(|s| &text[s.len()..]);
        let text = match rest {
            Some(rest) => format!("https://{rest}"),
            None if without_scheme(text) => format!("https://{text}"),
            None => text.to_string(),
        };
        let url = Url::parse(&text).map_err(|_| AddressProblem::NotAnAddress)?;
        match url.scheme() {
            "https" => {}
            "http" => return Err(AddressProblem::Unencrypted),
            _ => return Err(AddressProblem::Scheme),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(AddressProblem::NotAnAddress);
        }
        Ok(Address { url })
    }

    /// The whole address, for fetching and for the secret store only.
    pub fn expose(&self) -> &Url {
        &self.url
    }

    /// The host, e.g. `calendar.google.com`.
    pub fn host(&self) -> String {
        self.url.host_str().unwrap_or_default().to_string()
    }

    /// What Klaar shows and keeps in `settings.toml`: the host and the last [`SHOWN_CHARS`]
    /// characters of the secret part, e.g. `calendar.google.com …3f9a`. The secret part is
    /// Google's `private-<32 hex>` segment; else the segment before a file name (Outlook's
    /// token before `calendar.ics`; not the calendar's own id, `<id>@school.nl`, which every
    /// calendar of a school shares the end of); else the longest segment or the query.
    pub fn label(&self) -> String {
        let chars: Vec<char> = self.secret_part().chars().collect();
        let shown = if chars.len() <= SHOWN_CHARS * 2 {
            // Too short to be a secret worth hiding much of; still show only its tail.
            2
        } else {
            SHOWN_CHARS
        };
        let tail: String = chars[chars.len().saturating_sub(shown)..].iter().collect();
        format!("{} …{tail}", self.host())
    }

    fn secret_part(&self) -> &str {
        let segments: Vec<&str> = self
            .url
            .path_segments()
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(private) = segments.iter().find(|s| s.starts_with("private-")) {
            return private;
        }
        match segments.as_slice() {
            [.., token, file] if file.contains('.') && token.len() >= 8 => token,
            _ => segments
                .iter()
                .copied()
                .chain(self.url.query())
                .max_by_key(|s| s.len())
                .unwrap_or_default(),
        }
    }
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Address({})", self.label())
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_and_outlook_addresses_show_host_and_token_tail_only() {
        let google = Address::parse(
            " https://calendar.google.com/calendar/ical/juf%40school.nl/private-0123456789abcdef0123456789ab3f9a/basic.ics ",
        )
        .unwrap();
        assert_eq!(google.label(), "calendar.google.com …3f9a");
        assert!(!format!("{google:?}{google}").contains("0123456789"));
        let outlook = Address::parse(
            "webcal://outlook.office365.com/owa/calendar/0a1b2c@school.nl/9d8e7f6a5b4c3d2e1f0a/calendar.ics",
        )
        .unwrap();
        assert_eq!(outlook.expose().scheme(), "https");
        assert_eq!(outlook.label(), "outlook.office365.com …1f0a");
    }

    #[test]
    fn calendars_of_one_school_get_labels_of_their_own() {
        let group = Address::parse(
            "https://calendar.google.com/calendar/ical/c_0a1b2c3d4e5f%40group.calendar.google.com/private-aaaa1111bbbb2222cccc3333dddd4444/basic.ics",
        )
        .unwrap();
        assert_eq!(group.label(), "calendar.google.com …4444");
        let first = Address::parse(
            "https://outlook.office365.com/owa/calendar/0a1b2c3d@een-lange-schoolnaam.nl/AbCdEf0123456789xyz1/calendar.ics",
        )
        .unwrap();
        let second = Address::parse(
            "https://outlook.office365.com/owa/calendar/9f8e7d6c@een-lange-schoolnaam.nl/ZyXwVu9876543210abc2/calendar.ics",
        )
        .unwrap();
        assert_eq!(first.label(), "outlook.office365.com …xyz1");
        assert_ne!(first.label(), second.label());
    }

    #[test]
    fn an_address_pasted_without_its_scheme_is_still_an_address() {
        let pasted = "calendar.google.com/calendar/ical/juf%40school.nl/private-0123456789abcdef0123456789ab3f9a/basic.ics";
        assert!(looks_like_address(pasted));
        assert_eq!(
            Address::parse(pasted).unwrap().label(),
            "calendar.google.com …3f9a"
        );
        assert!(!looks_like_address("agenda.ics"));
        assert!(!looks_like_address("./mijn.map/agenda.ics"));
        assert!(!looks_like_address("~/Documenten/agenda.ics"));
    }

    #[test]
    fn http_and_other_schemes_are_refused() {
        assert_eq!(
            Address::parse("http://example.org/a.ics"),
            Err(AddressProblem::Unencrypted)
        );
        assert_eq!(
            Address::parse("ftp://example.org/a.ics"),
            Err(AddressProblem::Scheme)
        );
        assert_eq!(
            Address::parse("https://"),
            Err(AddressProblem::NotAnAddress)
        );
        assert!(looks_like_address("WEBCAL://x"));
        assert!(!looks_like_address("/home/juf/agenda.ics"));
        assert!(!looks_like_address("agenda.ics"));
    }
}
