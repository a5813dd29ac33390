//! The organisation's policy file, as an IT department deploys it:
//!
//! ```toml
//! profile = "onderwijs"          # or "zorg"
//! [apps]
//! approved = ["zoom"]            # keys of assets/apps.toml
//! forbidden = ["whatsapp"]
//! [items]
//! required = ["vpn", "disk_encryption"]
//! disabled = ["cloud_sync"]
//! [connection]
//! target = "teams.microsoft.com"
//! [reminders]
//! minutes = 5
//! ```
//!
//! Read only, never written. Every problem is reported with its line and column; what is
//! wrong is left out and the rest of the file is used (a file that is not TOML at all gives
//! the defaults: no policy).

use klaar_checklist::{Catalogue, Locale, Policy, Profile};
use std::path::{Path, PathBuf};
use toml_edit::{Item, TableLike};

/// Where the policy is read from: `$KLAAR_POLICY` when set (tests, an admin trying a file),
/// else the system-wide place: `/etc/klaar/policy.toml`; on macOS
/// `/Library/Application Support/Klaar/policy.toml`; on Windows
/// `%ProgramData%\Klaar\policy.toml`.
pub fn policy_path() -> PathBuf {
    if let Some(path) = std::env::var_os("KLAAR_POLICY").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Klaar/policy.toml")
    } else if cfg!(windows) {
        let data = std::env::var_os("ProgramData").unwrap_or_else(|| "C:\\ProgramData".into());
        PathBuf::from(data).join("Klaar").join("policy.toml")
    } else {
        PathBuf::from("/etc/klaar/policy.toml")
    }
}

/// The policy as read from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyFile {
    pub path: PathBuf,
    /// Whether there is a file (no file: no organisation, and no problem).
    pub found: bool,
    /// What could be used.
    pub policy: Policy,
    /// Everything wrong, in the order of the file.
    pub problems: Vec<PolicyProblem>,
}

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// `None` when the file could not be read at all.
    pub at: Option<Position>,
    pub trouble: PolicyTrouble,
}

/// What is wrong, so it can be said in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyTrouble {
    /// The file could not be read (the system's message).
    Unreadable(String),
    /// Not valid TOML (the parser's message, in English).
    Syntax(String),
    /// Not text in UTF-8 (saved in another encoding).
    NotUtf8,
    /// A key Klaar does not know, and the keys it knows there.
    UnknownKey {
        key: String,
        known: Vec<&'static str>,
    },
    /// A value of the wrong kind, and the kind it must be.
    WrongType { key: String, expected: Expected },
    /// `profile` is not "onderwijs" or "zorg".
    Profile(String),
    /// Not a key of Klaar's apps (`assets/apps.toml`).
    UnknownApp(String),
    /// Not an item of Klaar's checklist.
    UnknownItem(String),
    /// The same key in two lists that exclude each other; the first (`kept`) holds.
    Both {
        key: String,
        kept: &'static str,
        dropped: &'static str,
    },
    /// `[items] disabled` names the item where forbidden `apps` (their names) are reported:
    /// it stays shown, else they would fail nowhere.
    NamesForbidden { item: String, apps: Vec<String> },
    /// `[connection] target` is not a host name with an optional port.
    Target(String),
    /// `[reminders] minutes` is not a whole number from 1 to 60.
    Minutes(String),
}

/// The kind of value a key needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Text,
    Texts,
    Table,
    Number,
}

/// The longest reminder an organisation can set, in minutes.
pub const MAX_REMIND_MINUTES: u32 = 60;

impl PolicyTrouble {
    /// Whether nothing of the file can be used (it cannot be read, or is not TOML).
    pub fn unusable(&self) -> bool {
        matches!(
            self,
            PolicyTrouble::Unreadable(_) | PolicyTrouble::Syntax(_) | PolicyTrouble::NotUtf8
        )
    }

    /// The problem in `locale`'s language (the `[policy]` texts).
    pub fn words(&self, locale: &Locale) -> String {
        let fill = |key: &str, args: &[(&str, String)]| locale.fill(key, args);
        match self {
            PolicyTrouble::Unreadable(m) => fill("policy.unreadable", &[("message", m.clone())]),
            PolicyTrouble::Syntax(m) => fill("policy.syntax", &[("message", m.clone())]),
            PolicyTrouble::NotUtf8 => locale.get("policy.not_utf8"),
            PolicyTrouble::UnknownKey { key, known } => fill(
                "policy.unknown_key",
                &[("key", key.clone()), ("known", known.join(", "))],
            ),
            PolicyTrouble::WrongType { key, expected } => {
                let kind = locale.get(match expected {
                    Expected::Text => "policy.a_text",
                    Expected::Texts => "policy.texts",
                    Expected::Table => "policy.a_table",
                    Expected::Number => "policy.a_number",
                });
                fill("policy.wrong_type", &[("key", key.clone()), ("kind", kind)])
            }
            PolicyTrouble::Profile(v) => fill("policy.profile", &[("value", v.clone())]),
            PolicyTrouble::UnknownApp(v) => fill("policy.unknown_app", &[("value", v.clone())]),
            PolicyTrouble::UnknownItem(v) => fill("policy.unknown_item", &[("value", v.clone())]),
            PolicyTrouble::Both { key, kept, dropped } => fill(
                "policy.both",
                &[
                    ("value", key.clone()),
                    ("kept", kept.to_string()),
                    ("dropped", dropped.to_string()),
                ],
            ),
            PolicyTrouble::NamesForbidden { item, apps } => fill(
                "policy.names_forbidden",
                &[("item", item.clone()), ("apps", apps.join(", "))],
            ),
            PolicyTrouble::Target(v) => fill("policy.target", &[("value", v.clone())]),
            PolicyTrouble::Minutes(v) => fill(
                "policy.minutes",
                &[
                    ("value", v.clone()),
                    ("max", MAX_REMIND_MINUTES.to_string()),
                ],
            ),
        }
    }
}

impl PolicyProblem {
    /// "line:column: what is wrong" in `locale`'s language; only the words when the file could
    /// not be read at all.
    pub fn located(&self, locale: &Locale) -> String {
        let words = self.trouble.words(locale);
        match self.at {
            Some(at) => format!("{}:{}: {words}", at.line, at.column),
            None => words,
        }
    }
}

impl PolicyFile {
    /// What a check follows: this policy, and the person's profile and not-applicable items
    /// from their settings (the policy's word comes first; see `klaar_checklist::Choices`).
    pub fn choices(&self, settings: &crate::Settings) -> klaar_checklist::Choices {
        klaar_checklist::Choices {
            policy: self.policy.clone(),
            profile: settings.profile,
            not_applicable: settings.not_applicable.clone(),
        }
    }

    /// Whether nothing of the file is followed (it cannot be read, or is not TOML).
    pub fn unusable(&self) -> bool {
        self.problems.iter().any(|p| p.trouble.unusable())
    }
}

/// Reads the policy at `path`. A missing file is no policy and no problem.
pub fn load(path: &Path, catalogue: &Catalogue) -> PolicyFile {
    let mut file = PolicyFile {
        path: path.to_path_buf(),
        ..PolicyFile::default()
    };
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            file.found = true;
            file.problems.push(PolicyProblem {
                at: None,
                trouble: PolicyTrouble::Unreadable(e.to_string()),
            });
        }
        Ok(bytes) => {
            file.found = true;
            match String::from_utf8(bytes) {
                Ok(text) => (file.policy, file.problems) = parse(&text, catalogue),
                Err(e) => file.problems.push(PolicyProblem {
                    at: Some(position(
                        &String::from_utf8_lossy(e.as_bytes()),
                        e.utf8_error().valid_up_to(),
                    )),
                    trouble: PolicyTrouble::NotUtf8,
                }),
            }
        }
    }
    file
}

/// The policy in `text`, and every problem in it. Pure; never panics.
pub fn parse(text: &str, catalogue: &Catalogue) -> (Policy, Vec<PolicyProblem>) {
    let mut reader = Reader {
        text,
        problems: Vec::new(),
    };
    let mut policy = Policy::default();
    let doc = match toml_edit::Document::parse(text.to_string()) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().map(|s| position(text, s.start));
            reader.problems.push(PolicyProblem {
                at: at.or(Some(Position { line: 1, column: 1 })),
                trouble: PolicyTrouble::Syntax(e.message().trim().to_string()),
            });
            return (policy, reader.problems);
        }
    };
    let root = doc.as_table();
    reader.known_keys(
        root,
        "",
        &["profile", "apps", "items", "connection", "reminders"],
    );
    if let Some(item) = root.get("profile") {
        if let Some(p) = reader.text_of(item, "profile") {
            match Profile::parse(p) {
                Some(profile) => policy.profile = Some(profile),
                None => reader.complain(item.span(), PolicyTrouble::Profile(p.to_string())),
            }
        }
    }
    let app_keys: Vec<&str> = catalogue.apps.iter().map(|a| a.key.as_str()).collect();
    let item_keys: Vec<&str> = catalogue.items.iter().map(|i| i.id.as_str()).collect();
    if let Some(apps) = reader.table(root, "apps", &["approved", "forbidden"]) {
        let known = |k: &str| app_keys.contains(&k);
        let unknown = |k: &str| PolicyTrouble::UnknownApp(k.to_string());
        let forbidden = reader.keys(apps, "apps.forbidden", known, unknown);
        let approved = reader.keys(apps, "apps.approved", known, unknown);
        // Forbidden is the stricter word: it holds when both say something of one app.
        policy.approved_apps = reader
            .without(approved, &forbidden, "forbidden", "approved")
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        policy.forbidden_apps = forbidden.into_iter().map(|(k, _)| k).collect();
    }
    if let Some(items) = reader.table(root, "items", &["required", "disabled"]) {
        let known = |k: &str| item_keys.contains(&k);
        let unknown = |k: &str| PolicyTrouble::UnknownItem(k.to_string());
        let required = reader.keys(items, "items.required", known, unknown);
        let disabled = reader.keys(items, "items.disabled", known, unknown);
        // A required item stays shown.
        let disabled = reader.without(disabled, &required, "required", "disabled");
        // So does one that names a forbidden app: else that app would fail nowhere.
        for (key, span) in disabled {
            let apps = policy.forbidden_named_in(&key, &catalogue.apps);
            if apps.is_empty() {
                policy.disabled.push(key);
            } else {
                let apps = apps.into_iter().map(str::to_string).collect();
                reader.complain(span, PolicyTrouble::NamesForbidden { item: key, apps });
            }
        }
        policy.required = required.into_iter().map(|(k, _)| k).collect();
    }
    if let Some(connection) = reader.table(root, "connection", &["target"]) {
        if let Some(item) = connection.get("target") {
            if let Some(host) = reader.text_of(item, "connection.target") {
                match klaar_checklist::target::parse_host(host) {
                    Some(_) => policy.connection_target = Some(host.trim().to_string()),
                    None => reader.complain(item.span(), PolicyTrouble::Target(host.to_string())),
                }
            }
        }
    }
    if let Some(reminders) = reader.table(root, "reminders", &["minutes"]) {
        if let Some(item) = reminders.get("minutes") {
            let minutes = item
                .as_integer()
                .and_then(|m| u32::try_from(m).ok())
                .filter(|m| (1..=MAX_REMIND_MINUTES).contains(m));
            match minutes {
                Some(m) => policy.remind_minutes = Some(m),
                None => reader.complain(
                    item.span(),
                    PolicyTrouble::Minutes(item.to_string().trim().to_string()),
                ),
            }
        }
    }
    reader.problems.sort_by_key(|p| p.at);
    (policy, reader.problems)
}

struct Reader<'t> {
    text: &'t str,
    problems: Vec<PolicyProblem>,
}

type Span = Option<std::ops::Range<usize>>;

impl Reader<'_> {
    fn complain(&mut self, span: Span, trouble: PolicyTrouble) {
        self.problems.push(PolicyProblem {
            at: span.map(|s| position(self.text, s.start)),
            trouble,
        });
    }

    /// Complains of every key of `table` not in `known`.
    fn known_keys(&mut self, table: &dyn TableLike, prefix: &str, known: &[&'static str]) {
        for (key, _) in table.iter() {
            if !known.contains(&key) {
                let span = table.key(key).and_then(|k| k.span());
                self.complain(
                    span,
                    PolicyTrouble::UnknownKey {
                        key: format!("{prefix}{key}"),
                        known: known.to_vec(),
                    },
                );
            }
        }
    }

    /// The table `name` of `root` (`[name]` or `name = { … }`), its unknown keys reported.
    fn table<'d>(
        &mut self,
        root: &'d toml_edit::Table,
        name: &str,
        known: &[&'static str],
    ) -> Option<&'d dyn TableLike> {
        let item = root.get(name)?;
        match item.as_table_like() {
            Some(table) => {
                self.known_keys(table, &format!("{name}."), known);
                Some(table)
            }
            None => {
                self.complain(
                    item.span(),
                    PolicyTrouble::WrongType {
                        key: name.to_string(),
                        expected: Expected::Table,
                    },
                );
                None
            }
        }
    }

    fn text_of<'d>(&mut self, item: &'d Item, key: &str) -> Option<&'d str> {
        let text = item.as_str();
        if text.is_none() {
            self.complain(
                item.span(),
                PolicyTrouble::WrongType {
                    key: key.to_string(),
                    expected: Expected::Text,
                },
            );
        }
        text
    }

    /// The known keys listed under `path`'s last part, with where each stands; the rest
    /// reported.
    fn keys(
        &mut self,
        table: &dyn TableLike,
        path: &str,
        known: impl Fn(&str) -> bool,
        unknown: impl Fn(&str) -> PolicyTrouble,
    ) -> Vec<(String, Span)> {
        let name = path.rsplit('.').next().unwrap_or(path);
        let Some(item) = table.get(name) else {
            return Vec::new();
        };
        let Some(array) = item.as_array() else {
            self.complain(
                item.span(),
                PolicyTrouble::WrongType {
                    key: path.to_string(),
                    expected: Expected::Texts,
                },
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for value in array.iter() {
            match value.as_str() {
                Some(key) if known(key) => out.push((key.to_string(), value.span())),
                Some(key) => self.complain(value.span(), unknown(key)),
                None => self.complain(
                    value.span(),
                    PolicyTrouble::WrongType {
                        key: path.to_string(),
                        expected: Expected::Text,
                    },
                ),
            }
        }
        out
    }

    /// `list` without the keys `stronger` holds, each reported where `list` names it.
    fn without(
        &mut self,
        list: Vec<(String, Span)>,
        stronger: &[(String, Span)],
        kept: &'static str,
        dropped: &'static str,
    ) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        for (key, span) in list {
            if stronger.iter().any(|(k, _)| *k == key) {
                self.complain(
                    span,
                    PolicyTrouble::Both {
                        key: key.clone(),
                        kept,
                        dropped,
                    },
                );
            } else {
                out.push((key, span));
            }
        }
        out
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // A byte-order mark (Notepad's UTF-8) is no column of its own.
    let before = text[..offset].trim_start_matches('\u{feff}');
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Position { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> (Policy, Vec<PolicyProblem>) {
        parse(text, &Catalogue::builtin())
    }

    fn at(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    #[test]
    fn the_issues_example_reads_whole() {
        let (policy, problems) = read(
            r#"profile = "onderwijs"          # or "zorg"
[apps]
approved = ["zoom"]
forbidden = ["whatsapp"]
[items]
required = ["vpn", "disk_encryption"]
disabled = ["cloud_sync"]
[connection]
target = "teams.microsoft.com"
[reminders]
minutes = 5
"#,
        );
        assert_eq!(problems, vec![]);
        assert_eq!(
            policy,
            Policy {
                profile: Some(Profile::Onderwijs),
                approved_apps: vec!["zoom".into()],
                forbidden_apps: vec!["whatsapp".into()],
                required: vec!["vpn".into(), "disk_encryption".into()],
                disabled: vec!["cloud_sync".into()],
                connection_target: Some("teams.microsoft.com".into()),
                remind_minutes: Some(5),
            }
        );
    }

    #[test]
    fn each_problem_has_its_line_and_column_and_the_rest_is_used() {
        let (policy, problems) = read(
            r#"profile = "school"
[apps]
approved = ["zoom", "skipe", 3]
forbiden = ["whatsapp"]
[items]
required = ["vpn"]
disabled = ["vpn", "cloud_sync"]
[reminders]
minutes = 0
"#,
        );
        let found: Vec<(Option<Position>, PolicyTrouble)> =
            problems.into_iter().map(|p| (p.at, p.trouble)).collect();
        assert_eq!(
            found,
            vec![
                (at(1, 11), PolicyTrouble::Profile("school".into())),
                (at(3, 21), PolicyTrouble::UnknownApp("skipe".into())),
                (
                    at(3, 30),
                    PolicyTrouble::WrongType {
                        key: "apps.approved".into(),
                        expected: Expected::Text
                    }
                ),
                (
                    at(4, 1),
                    PolicyTrouble::UnknownKey {
                        key: "apps.forbiden".into(),
                        known: vec!["approved", "forbidden"]
                    }
                ),
                (
                    at(7, 13),
                    PolicyTrouble::Both {
                        key: "vpn".into(),
                        kept: "required",
                        dropped: "disabled"
                    }
                ),
                (at(9, 11), PolicyTrouble::Minutes("0".into())),
            ]
        );
        assert_eq!(policy.profile, None);
        assert_eq!(policy.approved_apps, vec!["zoom"]);
        assert_eq!(policy.required, vec!["vpn"]);
        assert_eq!(policy.disabled, vec!["cloud_sync"]);
        assert_eq!(policy.remind_minutes, None);
    }

    #[test]
    fn forbidden_holds_over_approved_and_inline_tables_are_tables() {
        let (policy, problems) =
            read("apps = { approved = [\"zoom\", \"teams\"], forbidden = [\"zoom\"] }\n");
        assert_eq!(policy.approved_apps, vec!["teams"]);
        assert_eq!(policy.forbidden_apps, vec!["zoom"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at, at(1, 22));
    }

    #[test]
    fn an_item_that_names_a_forbidden_app_cannot_be_disabled() {
        // Dropbox would fail in cloud_sync, and WhatsApp (it calls) in call_apps; the mail
        // program Thunderbird in screen_share, which is not disabled here.
        let (policy, problems) = read(
            "[apps]\nforbidden = [\"dropbox\", \"whatsapp\", \"thunderbird\"]\n\
             [items]\ndisabled = [\"cloud_sync\", \"call_apps\", \"power\"]\n",
        );
        assert_eq!(policy.disabled, vec!["power"]);
        let found: Vec<(Option<Position>, PolicyTrouble)> =
            problems.into_iter().map(|p| (p.at, p.trouble)).collect();
        assert_eq!(
            found,
            vec![
                (
                    at(4, 13),
                    PolicyTrouble::NamesForbidden {
                        item: "cloud_sync".into(),
                        apps: vec!["Dropbox".into()]
                    }
                ),
                (
                    at(4, 27),
                    PolicyTrouble::NamesForbidden {
                        item: "call_apps".into(),
                        apps: vec!["WhatsApp".into()]
                    }
                ),
            ]
        );
        let words = found[0]
            .1
            .words(&Locale::builtin(klaar_checklist::Lang::Nl));
        assert_eq!(
            words,
            "\"cloud_sync\" kan niet uit: hier meldt Klaar als Dropbox openstaat, en dat staat \
             bij [apps] forbidden. Klaar blijft dit punt tonen."
        );
    }

    #[test]
    fn a_file_that_is_not_toml_gives_no_policy_and_says_where() {
        let (policy, problems) = read("profile = \"zorg\"\n[apps\napproved = []\n");
        assert_eq!(policy, Policy::default());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].at.map(|p| p.line), Some(2));
        assert!(matches!(problems[0].trouble, PolicyTrouble::Syntax(_)));
    }

    #[test]
    fn wrong_kinds_are_named() {
        let (_, problems) = read("profile = 3\napps = \"zoom\"\n[connection]\ntarget = \"a b\"\n");
        let troubles: Vec<PolicyTrouble> = problems.into_iter().map(|p| p.trouble).collect();
        assert_eq!(
            troubles,
            vec![
                PolicyTrouble::WrongType {
                    key: "profile".into(),
                    expected: Expected::Text
                },
                PolicyTrouble::WrongType {
                    key: "apps".into(),
                    expected: Expected::Table
                },
                PolicyTrouble::Target("a b".into()),
            ]
        );
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        assert_eq!(position("a\nëë x", 7), Position { line: 2, column: 4 });
        assert_eq!(position("", 10), Position { line: 1, column: 1 });
        assert_eq!(
            position("\u{feff}profile = 3", 13),
            Position {
                line: 1,
                column: 11
            }
        );
    }

    #[test]
    fn every_problem_is_worded_in_both_languages() {
        let troubles = [
            PolicyTrouble::Unreadable("Permission denied".into()),
            PolicyTrouble::Syntax("expected `]`".into()),
            PolicyTrouble::NotUtf8,
            PolicyTrouble::UnknownKey {
                key: "x".into(),
                known: vec!["a", "b"],
            },
            PolicyTrouble::WrongType {
                key: "apps".into(),
                expected: Expected::Table,
            },
            PolicyTrouble::Profile("school".into()),
            PolicyTrouble::UnknownApp("skipe".into()),
            PolicyTrouble::UnknownItem("vpm".into()),
            PolicyTrouble::Both {
                key: "zoom".into(),
                kept: "forbidden",
                dropped: "approved",
            },
            PolicyTrouble::NamesForbidden {
                item: "cloud_sync".into(),
                apps: vec!["Dropbox".into()],
            },
            PolicyTrouble::Target("a b".into()),
            PolicyTrouble::Minutes("0".into()),
        ];
        for lang in [klaar_checklist::Lang::Nl, klaar_checklist::Lang::En] {
            let locale = Locale::builtin(lang);
            for t in &troubles {
                let words = t.words(&locale);
                assert!(
                    !words.contains('{') && !words.contains("policy."),
                    "{words}"
                );
            }
        }
    }

    /// Lines of a policy file, good and bad, to shuffle.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("profile = \"zorg\"".to_string()),
            Just("profile = 7".to_string()),
            Just("[apps]".to_string()),
            Just("[items]".to_string()),
            Just("[connection]".to_string()),
            Just("[reminders]".to_string()),
            Just("approved = [\"zoom\", \"bogus\"]".to_string()),
            Just("forbidden = [\"zoom\"]".to_string()),
            Just("forbidden = [\"dropbox\", \"signal\"]".to_string()),
            Just("disabled = [\"cloud_sync\", \"call_apps\", \"vpn\"]".to_string()),
            Just("required = [\"vpn\", 1]".to_string()),
            Just("disabled = \"vpn\"".to_string()),
            Just("target = \"[::1]:99999\"".to_string()),
            Just("minutes = -3".to_string()),
            Just("# a comment ë".to_string()),
            "[a-z\\[\\]=\" ,{}0-9ë]{0,24}",
        ]
    }

    proptest! {
        #[test]
        fn any_file_reads_without_panicking_and_every_problem_points_into_it(
            lines in proptest::collection::vec(line(), 0..12)
        ) {
            let text = lines.join("\n");
            let (policy, problems) = read(&text);
            let line_count = text.split('\n').count();
            for p in &problems {
                let at = p.at.expect("a parsed text always has a place");
                prop_assert!(at.line >= 1 && at.line <= line_count, "{at:?} in {text:?}");
                let line = text.split('\n').nth(at.line - 1).unwrap();
                prop_assert!(at.column <= line.chars().count() + 1, "{at:?} in {text:?}");
            }
            // What is used is always sound.
            let catalogue = Catalogue::builtin();
            for app in policy.approved_apps.iter().chain(&policy.forbidden_apps) {
                prop_assert!(catalogue.apps.iter().any(|a| &a.key == app));
            }
            prop_assert!(!policy.approved_apps.iter().any(|a| policy.forbidden_apps.contains(a)));
            prop_assert!(!policy.disabled.iter().any(|d| policy.required.contains(d)));
            // No forbidden app goes unreported.
            for d in &policy.disabled {
                prop_assert!(policy.forbidden_named_in(d, &catalogue.apps).is_empty(), "{d} in {text:?}");
            }
            prop_assert!(policy.remind_minutes.is_none_or(|m| (1..=60).contains(&m)));
        }
    }
}
