//! The person's settings, shared by the window and `klaar`: the language, the chosen camera,
//! microphone and speakers, that Klaar said once it stays in the tray, and the calendars to
//! remind from, in `$XDG_CONFIG_HOME/klaar/settings.toml` (else `~/.config/klaar/settings.toml`).
//!
//! The file is edited as a document (toml_edit), so the person's comments and layout stay, and
//! written atomically (a temporary file renamed over it). A file Klaar cannot read is never
//! written: Klaar uses the defaults for what it could not read and says which file and line.

pub mod policy;

use klaar_checklist::{Lang, Profile};
use klaar_probes::devices::Chosen;
use std::path::{Path, PathBuf};
use toml_edit::{value, DocumentMut, Item};

/// What the settings say. Anything missing or unreadable is the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `language = "nl" | "en"`; `None`: the computer's language.
    pub language: Option<Lang>,
    /// `[devices] camera / microphone / speakers`: ids from `klaar_probes::devices`.
    pub devices: Chosen,
    /// `[window] tray_hint_shown`: Klaar told once that closing the window keeps it in the tray.
    pub tray_hint_shown: bool,
    /// `[calendars] files = ["…/agenda.ics"]`: calendar files to remind from.
    pub calendars: Vec<PathBuf>,
    /// `[calendars] addresses = ["calendar.google.com …3f9a"]`: the labels of secret calendar
    /// addresses; the addresses themselves are in the keyring (see `klaar_calendars::secrets`).
    pub addresses: Vec<String>,
    /// `[reminders] minutes`: how long before an online meeting Klaar reminds; one of
    /// [`REMIND_CHOICES`]; `None`: the default (5).
    pub remind_minutes: Option<u32>,
    /// `[reminders] do_not_disturb`: notifications on "do not disturb" during an online
    /// meeting, where the desktop allows it to be undone safely. Off unless chosen.
    pub do_not_disturb: bool,
    /// `[connection] host = "meet.school.nl"` (or `host:port`): the host whose round trip the
    /// `connection` item measures, set by the organisation; `None`: the next meeting's or the
    /// running call app's.
    pub connection_host: Option<String>,
    /// `profile = "onderwijs" | "zorg"`: chosen at first start or in the settings; the
    /// organisation's policy overrides it. `None`: not chosen yet.
    pub profile: Option<Profile>,
    /// `not_applicable = ["vpn"]`: items the person marked as not applicable (item ids).
    pub not_applicable: Vec<String>,
    /// `[window] welcomed`: the first-start welcome was finished or skipped; never shown again.
    pub welcomed: bool,
}

/// The choices for `[reminders] minutes` (issue 10: 1, 3, 5 or 10 minutes before a meeting).
pub const REMIND_CHOICES: [u32; 4] = [1, 3, 5, 10];

/// A problem with the settings file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; `None` when the file could not be read at all.
    pub line: Option<usize>,
    pub trouble: Trouble,
}

/// What is wrong, so the window can say it in the person's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// The file could not be read (the system's message).
    Unreadable(String),
    /// Not valid TOML (the parser's message, in English).
    Syntax(String),
    /// `language` is not "nl" or "en".
    Language,
    /// `[devices]` is not a table.
    Devices,
    /// A device is not named by a string.
    Device,
    /// `tray_hint_shown` is not a boolean.
    TrayHint,
    /// `[calendars] files` or `addresses` is not a list of texts.
    Calendars,
    /// `[reminders] minutes` is not 1, 3, 5 or 10.
    RemindMinutes,
    /// `[reminders] do_not_disturb` is not true or false.
    DoNotDisturb,
    /// `[connection] host` is not a host name (with an optional port).
    ConnectionHost,
    /// `profile` is not "onderwijs" or "zorg".
    Profile,
    /// `not_applicable` is not a list of Klaar's item ids.
    NotApplicable,
    /// `[window] welcomed` is not true or false.
    Welcomed,
    /// A key Klaar does not know (a typing mistake, or a setting of a newer Klaar).
    UnknownKey(String),
    /// A change could not be written (the system's message); it holds until Klaar quits.
    Unwritable(String),
}

impl Trouble {
    /// What is wrong in `locale`'s language (the system's or the parser's own message for
    /// a file that cannot be read or is not TOML).
    pub fn words(&self, locale: &klaar_checklist::Locale) -> String {
        match self {
            Trouble::UnknownKey(key) => {
                locale.fill("ui.settings_unknown_key", &[("key", key.clone())])
            }
            other => match other.say() {
                Ok(key) => locale.get(key),
                Err(theirs) => theirs.to_string(),
            },
        }
    }

    /// The locale key of Klaar's own words for it, or the system's or parser's message.
    fn say(&self) -> Result<&'static str, &str> {
        match self {
            Trouble::Unreadable(m) | Trouble::Syntax(m) | Trouble::Unwritable(m) => Err(m),
            Trouble::UnknownKey(k) => Err(k),
            Trouble::Profile => Ok("ui.settings_profile"),
            Trouble::NotApplicable => Ok("ui.settings_not_applicable"),
            Trouble::Welcomed => Ok("ui.settings_welcomed"),
            Trouble::Language => Ok("ui.settings_language"),
            Trouble::Devices => Ok("ui.settings_devices"),
            Trouble::Device => Ok("ui.settings_device"),
            Trouble::TrayHint => Ok("ui.settings_tray_hint"),
            Trouble::Calendars => Ok("ui.settings_calendars"),
            Trouble::RemindMinutes => Ok("ui.settings_remind_minutes"),
            Trouble::DoNotDisturb => Ok("ui.settings_do_not_disturb"),
            Trouble::ConnectionHost => Ok("ui.settings_connection_host"),
        }
    }
}

/// The file and what was read from it.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    /// The parsed document, to change and write back; `None` when the file is broken (then it
    /// is left alone) or does not exist yet (then a new one is started on the first change).
    doc: Option<DocumentMut>,
    pub settings: Settings,
    pub problem: Option<Problem>,
    /// The file's text as last read or written (`None`: there was none), to notice that
    /// another program (`klaar agenda --add`) changed it.
    seen: Option<String>,
}

/// One of the person's base folders (the XDG Base Directory specification).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseDir {
    /// `$XDG_CONFIG_HOME`, else `~/.config`: settings.
    Config,
    /// `$XDG_DATA_HOME`, else `~/.local/share`: what must be kept (a calendar's address).
    Data,
    /// `$XDG_CACHE_HOME`, else `~/.cache`: what can be fetched again.
    Cache,
    /// `$XDG_STATE_HOME`, else `~/.local/state`: what must survive a crash.
    State,
}

/// Klaar's own folder in `base`: `$XDG_…_HOME/klaar` when that variable is set and not empty,
/// else under `$HOME`; `None` without either.
pub fn klaar_dir(base: BaseDir) -> Option<PathBuf> {
    let (var, under_home) = match base {
        BaseDir::Config => ("XDG_CONFIG_HOME", ".config"),
        BaseDir::Data => ("XDG_DATA_HOME", ".local/share"),
        BaseDir::Cache => ("XDG_CACHE_HOME", ".cache"),
        BaseDir::State => ("XDG_STATE_HOME", ".local/state"),
    };
    let dir = std::env::var_os(var)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(under_home)))?;
    Some(dir.join("klaar"))
}

/// `$XDG_CONFIG_HOME/klaar/settings.toml`, else `$HOME/.config/klaar/settings.toml`.
pub fn default_path() -> Option<PathBuf> {
    Some(klaar_dir(BaseDir::Config)?.join("settings.toml"))
}

impl Store {
    /// Reads `path`. A missing file is no problem; an unreadable or broken one is.
    pub fn load(path: PathBuf) -> Store {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Store {
                    doc: Some(DocumentMut::new()),
                    path,
                    settings: Settings::default(),
                    problem: None,
                    seen: None,
                }
            }
            Err(e) => {
                let problem = Some(Problem {
                    path: path.clone(),
                    line: None,
                    trouble: Trouble::Unreadable(e.to_string()),
                });
                return Store {
                    path,
                    doc: None,
                    settings: Settings::default(),
                    problem,
                    seen: None,
                };
            }
        };
        let at = |span: Option<std::ops::Range<usize>>| {
            span.map(|s| {
                let before = &text.as_bytes()[..s.start.min(text.len())];
                before.iter().filter(|b| **b == b'\n').count() + 1
            })
        };
        match toml_edit::Document::parse(text.clone()) {
            Err(e) => Store {
                problem: Some(Problem {
                    path: path.clone(),
                    line: at(e.span()),
                    trouble: Trouble::Syntax(e.message().trim().to_string()),
                }),
                path,
                doc: None,
                settings: Settings::default(),
                seen: Some(text.clone()),
            },
            Ok(parsed) => {
                let (settings, problem) = read(&parsed, at);
                let problem = problem.map(|(line, trouble)| Problem {
                    path: path.clone(),
                    line,
                    trouble,
                });
                // A value of the wrong kind: keep the file as the person wrote it. A key Klaar
                // does not know (a typing mistake, a newer Klaar's setting) is only named: it
                // stays in the file, and the rest can still be changed. Unknown keys are looked
                // for last, so such a problem means every value was sound.
                let writable = problem
                    .as_ref()
                    .is_none_or(|p| matches!(p.trouble, Trouble::UnknownKey(_)));
                let doc = writable.then(|| parsed.into_mut());
                Store {
                    path,
                    doc,
                    settings,
                    problem,
                    seen: Some(text.clone()),
                }
            }
        }
    }

    /// Settings that are never written (tests, or no home folder).
    pub fn in_memory() -> Store {
        Store {
            path: PathBuf::new(),
            doc: None,
            settings: Settings::default(),
            problem: None,
            seen: None,
        }
    }

    /// Reads the file again if another program changed it since Klaar last read or wrote it
    /// (`klaar agenda --add` while the app runs). Returns whether it did.
    pub fn reload_if_changed(&mut self) -> bool {
        if self.path.as_os_str().is_empty() {
            return false;
        }
        // A file that cannot be read now (gone, or its folder): keep what Klaar has.
        let Ok(now) = std::fs::read_to_string(&self.path) else {
            return false;
        };
        if Some(&now) == self.seen.as_ref() {
            return false;
        }
        *self = Store::load(self.path.clone());
        true
    }

    /// Changes the settings in memory and, when the file is sound, on disk, on top of what
    /// another program may have written since. Returns whether it was written (not when the
    /// file is broken, or the store lives in memory only) or the write error; the change holds
    /// in memory either way.
    pub fn change(&mut self, edit: impl FnOnce(&mut Settings)) -> std::io::Result<bool> {
        self.reload_if_changed();
        edit(&mut self.settings);
        let Some(doc) = self.doc.as_mut() else {
            return Ok(false);
        };
        write_into(doc, &self.settings);
        let text = doc.to_string();
        let written = write_atomically(&self.path, &text).map(|()| true);
        if written.is_ok() {
            self.seen = Some(text);
        }
        self.problem = written.as_ref().err().map(|e| Problem {
            path: self.path.clone(),
            line: None,
            trouble: Trouble::Unwritable(e.to_string()),
        });
        written
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

type Span = Option<std::ops::Range<usize>>;

/// The settings in `doc`, and the first value Klaar could not use (its line and why).
fn read(
    doc: &toml_edit::Document<String>,
    line: impl Fn(Span) -> Option<usize>,
) -> (Settings, Option<(Option<usize>, Trouble)>) {
    let mut settings = Settings::default();
    let mut problem = None;
    let mut complain = |item: &Item, trouble: Trouble| {
        problem.get_or_insert((line(item.span()), trouble));
    };
    if let Some(item) = doc.get("language") {
        match item.as_str().and_then(Lang::parse) {
            Some(lang) => settings.language = Some(lang),
            None => complain(item, Trouble::Language),
        }
    }
    if let Some(devices) = doc.get("devices") {
        match devices.as_table_like() {
            None => complain(devices, Trouble::Devices),
            Some(table) => {
                for (key, slot) in [
                    ("camera", &mut settings.devices.camera),
                    ("microphone", &mut settings.devices.microphone),
                    ("speakers", &mut settings.devices.speakers),
                ] {
                    if let Some(item) = table.get(key) {
                        match item.as_str() {
                            Some(id) => *slot = Some(id.to_string()),
                            None => complain(item, Trouble::Device),
                        }
                    }
                }
            }
        }
    }
    if let Some(item) = doc.get("reminders").and_then(|r| r.get("minutes")) {
        match item
            .as_integer()
            .and_then(|m| u32::try_from(m).ok())
            .filter(|m| REMIND_CHOICES.contains(m))
        {
            Some(minutes) => settings.remind_minutes = Some(minutes),
            None => complain(item, Trouble::RemindMinutes),
        }
    }
    if let Some(item) = doc.get("reminders").and_then(|r| r.get("do_not_disturb")) {
        match item.as_bool() {
            Some(on) => settings.do_not_disturb = on,
            None => complain(item, Trouble::DoNotDisturb),
        }
    }
    if let Some(item) = doc.get("connection").and_then(|c| c.get("host")) {
        match item
            .as_str()
            .filter(|h| klaar_checklist::target::parse_host(h).is_some())
        {
            Some(host) => settings.connection_host = Some(host.trim().to_string()),
            None => complain(item, Trouble::ConnectionHost),
        }
    }
    if let Some(item) = doc.get("calendars").and_then(|c| c.get("files")) {
        match texts(item) {
            Some(files) => settings.calendars = files.into_iter().map(PathBuf::from).collect(),
            None => complain(item, Trouble::Calendars),
        }
    }
    if let Some(item) = doc.get("calendars").and_then(|c| c.get("addresses")) {
        match texts(item) {
            Some(labels) => settings.addresses = labels,
            None => complain(item, Trouble::Calendars),
        }
    }
    if let Some(item) = doc.get("window").and_then(|w| w.get("tray_hint_shown")) {
        match item.as_bool() {
            Some(shown) => settings.tray_hint_shown = shown,
            None => complain(item, Trouble::TrayHint),
        }
    }
    if let Some(item) = doc.get("window").and_then(|w| w.get("welcomed")) {
        match item.as_bool() {
            Some(done) => settings.welcomed = done,
            None => complain(item, Trouble::Welcomed),
        }
    }
    if let Some(item) = doc.get("profile") {
        match item.as_str().and_then(Profile::parse) {
            Some(profile) => settings.profile = Some(profile),
            None => complain(item, Trouble::Profile),
        }
    }
    if let Some(item) = doc.get("not_applicable") {
        let catalogue = klaar_checklist::Catalogue::builtin();
        match texts(item).filter(|ids| ids.iter().all(|id| catalogue.item(id).is_some())) {
            Some(ids) => settings.not_applicable = ids,
            None => complain(item, Trouble::NotApplicable),
        }
    }
    // Keys Klaar does not know: a typing mistake would otherwise go unnoticed.
    for (key, item) in doc.iter() {
        let known: &[&str] = match key {
            "language" | "profile" | "not_applicable" => &[],
            "devices" => &["camera", "microphone", "speakers"],
            "window" => &["tray_hint_shown", "welcomed"],
            "calendars" => &["files", "addresses"],
            "reminders" => &["minutes", "do_not_disturb"],
            "connection" => &["host"],
            _ => {
                let span = doc.key(key).and_then(|k| k.span());
                problem.get_or_insert((line(span), Trouble::UnknownKey(key.to_string())));
                continue;
            }
        };
        let Some(table) = item.as_table_like() else {
            continue;
        };
        for (sub, _) in table.iter().filter(|(sub, _)| !known.contains(sub)) {
            let span = table.key(sub).and_then(|k| k.span());
            problem.get_or_insert((line(span), Trouble::UnknownKey(format!("{key}.{sub}"))));
        }
    }
    (settings, problem)
}

/// Sets the keys Klaar keeps; leaves everything else in the document as it is. Comments in a
/// file that holds nothing else stay above what Klaar adds.
fn write_into(doc: &mut DocumentMut, s: &Settings) {
    let lead = doc
        .as_table()
        .is_empty()
        .then(|| doc.trailing().as_str().unwrap_or_default().to_string())
        .filter(|t| !t.trim().is_empty())
        // A last comment line without its line end would swallow what comes after it.
        .map(|t| if t.ends_with('\n') { t } else { t + "\n" });
    set_keys(doc, s);
    if let Some(lead) = lead {
        doc.set_trailing("");
        let table = doc.as_table_mut();
        let first = table.iter().next().map(|(k, _)| k.to_string());
        if let Some(first) = first {
            if let Some(sub) = table.get_mut(&first).and_then(Item::as_table_mut) {
                sub.decor_mut().set_prefix(lead);
            } else if let Some(mut key) = table.key_mut(&first) {
                key.leaf_decor_mut().set_prefix(lead);
            }
        }
    }
}

fn set_keys(doc: &mut DocumentMut, s: &Settings) {
    // Only what changed is set, so a comment beside an unchanged value stays.
    match s.language {
        Some(lang) if doc.get("language").and_then(Item::as_str) == Some(lang_code(lang)) => {}
        Some(lang) => doc["language"] = value(lang_code(lang)),
        None => {
            doc.remove("language");
        }
    }
    let has_devices = [
        &s.devices.camera,
        &s.devices.microphone,
        &s.devices.speakers,
    ]
    .iter()
    .any(|d| d.is_some());
    if has_devices || doc.contains_key("devices") {
        // `[devices]` or `devices = { … }`: either is the person's way of writing it.
        let table = doc
            .entry("devices")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut();
        if let Some(table) = table {
            for (key, chosen) in [
                ("camera", &s.devices.camera),
                ("microphone", &s.devices.microphone),
                ("speakers", &s.devices.speakers),
            ] {
                match chosen {
                    Some(id) if table.get(key).and_then(Item::as_str) == Some(id.as_str()) => {}
                    Some(id) => {
                        table.insert(key, value(id.as_str()));
                    }
                    None => {
                        table.remove(key);
                    }
                }
            }
        }
    }
    let listed: Option<Vec<PathBuf>> = doc
        .get("calendars")
        .and_then(|c| c.get("files"))
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(PathBuf::from))
                .collect()
        });
    if listed.as_deref().unwrap_or_default() != s.calendars.as_slice() {
        let files: toml_edit::Array = s
            .calendars
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        if let Some(table) = doc
            .entry("calendars")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
        {
            table.insert("files", value(files));
        }
    }
    let labels: Option<Vec<String>> = doc
        .get("calendars")
        .and_then(|c| c.get("addresses"))
        .and_then(texts);
    if labels.as_deref().unwrap_or_default() != s.addresses.as_slice() {
        let listed: toml_edit::Array = s.addresses.iter().map(String::as_str).collect();
        if let Some(table) = doc
            .entry("calendars")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
        {
            if s.addresses.is_empty() {
                table.remove("addresses");
            } else {
                table.insert("addresses", value(listed));
            }
        }
    }
    let minutes = doc
        .get("reminders")
        .and_then(|r| r.get("minutes"))
        .and_then(Item::as_integer);
    if let Some(chosen) = s.remind_minutes.filter(|m| minutes != Some(i64::from(*m))) {
        if let Some(table) = doc
            .entry("reminders")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
        {
            table.insert("minutes", value(i64::from(chosen)));
        }
    }
    let quiet = doc
        .get("reminders")
        .and_then(|r| r.get("do_not_disturb"))
        .and_then(Item::as_bool);
    if quiet.unwrap_or(false) != s.do_not_disturb {
        if let Some(table) = doc
            .entry("reminders")
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
        {
            table.insert("do_not_disturb", value(s.do_not_disturb));
        }
    }
    match s.profile {
        Some(p) if doc.get("profile").and_then(Item::as_str) == Some(p.key()) => {}
        Some(p) => doc["profile"] = value(p.key()),
        None => {
            doc.remove("profile");
        }
    }
    let marked: Option<Vec<String>> = doc.get("not_applicable").and_then(texts);
    if marked.as_deref().unwrap_or_default() != s.not_applicable.as_slice() {
        if s.not_applicable.is_empty() {
            doc.remove("not_applicable");
        } else {
            let list: toml_edit::Array = s.not_applicable.iter().map(String::as_str).collect();
            doc["not_applicable"] = value(list);
        }
    }
    let welcomed = doc
        .get("window")
        .and_then(|w| w.get("welcomed"))
        .and_then(Item::as_bool);
    if s.welcomed && welcomed != Some(true) {
        if let Some(window) = doc
            .entry("window")
            .or_insert_with(toml_edit::table)
            .as_table_mut()
        {
            window["welcomed"] = value(true);
        }
    }
    let said = doc
        .get("window")
        .and_then(|w| w.get("tray_hint_shown"))
        .and_then(Item::as_bool);
    if s.tray_hint_shown && said != Some(true) {
        if let Some(window) = doc
            .entry("window")
            .or_insert_with(toml_edit::table)
            .as_table_mut()
        {
            window["tray_hint_shown"] = value(true);
        }
    }
}

/// A list of texts, or `None` when it is not one.
fn texts(item: &Item) -> Option<Vec<String>> {
    item.as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: a crash leaves
/// either the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    // A settings file that is a link (kept in a dotfiles folder, say) stays a link: write where
    // it points.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path = target.as_path();
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of a settings file, good and bad, to shuffle.
    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            Just("language = \"en\"".to_string()),
            Just("language = \"fr\"".to_string()),
            Just("profile = \"zorg\"".to_string()),
            Just("not_applicable = [\"vpn\", \"vpm\"]".to_string()),
            Just("[devices]".to_string()),
            Just("camera = 3".to_string()),
            Just("[reminders]".to_string()),
            Just("minutes = 7".to_string()),
            Just("[window]".to_string()),
            Just("welcomed = \"ja\"".to_string()),
            Just("# opmerking ë".to_string()),
            "[a-z\\[\\]=\" ,{}0-9ë]{0,24}",
        ]
    }

    proptest::proptest! {
        #[test]
        fn any_settings_file_reads_without_panicking_names_a_line_in_it_and_is_never_changed_when_broken(
            lines in proptest::collection::vec(line(), 0..10)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("settings.toml");
            let text = lines.join("\n");
            std::fs::write(&path, &text).unwrap();
            let mut store = Store::load(path.clone());
            let unknown_only = matches!(
                store.problem.as_ref().map(|p| &p.trouble),
                Some(Trouble::UnknownKey(_))
            );
            if let Some(problem) = store.problem.clone().filter(|_| !unknown_only) {
                if let Some(line) = problem.line {
                    proptest::prop_assert!(line >= 1 && line <= text.split('\n').count(), "{problem:?} in {text:?}");
                }
                let words = problem.trouble.words(&klaar_checklist::Locale::builtin(Lang::Nl));
                proptest::prop_assert!(!words.is_empty());
                let _ = store.change(|s| s.welcomed = true);
                proptest::prop_assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
            } else {
                // A sound file stays sound after a change, and keeps what it said.
                let before = store.settings.clone();
                store.change(|s| s.welcomed = true).unwrap();
                let again = Store::load(path);
                // Still the same unknown key, if there was one; never a new problem.
                proptest::prop_assert!(again.problem.is_none() || unknown_only, "{:?}", again.problem);
                proptest::prop_assert_eq!(again.settings.language, before.language);
                proptest::prop_assert_eq!(again.settings.profile, before.profile);
                proptest::prop_assert!(again.settings.welcomed);
            }
        }
    }

    #[test]
    fn profile_and_not_applicable_items_are_kept_beside_the_persons_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        let mine = "# mijn school gebruikt geen VPN\nnot_applicable = [\"vpn\"]\n";
        std::fs::write(&path, mine).unwrap();
        let mut store = Store::load(path.clone());
        assert_eq!(store.problem, None);
        assert_eq!(store.settings.not_applicable, vec!["vpn"]);
        store
            .change(|s| {
                s.profile = Some(Profile::Zorg);
                s.not_applicable.push("cloud_sync".into());
                s.welcomed = true;
            })
            .unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(
            after.starts_with("# mijn school gebruikt geen VPN\n"),
            "{after}"
        );
        let again = Store::load(path).settings;
        assert_eq!(again.profile, Some(Profile::Zorg));
        assert_eq!(again.not_applicable, vec!["vpn", "cloud_sync"]);
        assert!(again.welcomed);
    }

    #[test]
    fn an_unknown_key_or_item_is_named_with_its_line_and_a_broken_value_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        for (text, line, trouble) in [
            (
                "language = \"nl\"\nlangauge = \"en\"\n",
                2,
                Trouble::UnknownKey("langauge".into()),
            ),
            (
                "[reminders]\nminutes = 5\nminuten = 3\n",
                3,
                Trouble::UnknownKey("reminders.minuten".into()),
            ),
            ("not_applicable = [\"vpm\"]\n", 1, Trouble::NotApplicable),
            ("profile = \"school\"\n", 1, Trouble::Profile),
        ] {
            std::fs::write(&path, text).unwrap();
            let mut store = Store::load(path.clone());
            let problem = store.problem.clone().expect(text);
            assert_eq!(
                (problem.line, problem.trouble.clone()),
                (Some(line), trouble),
                "{text}"
            );
            let words = problem
                .trouble
                .words(&klaar_checklist::Locale::builtin(Lang::Nl));
            assert!(!words.is_empty() && !words.contains('{'), "{words}");
            if let Trouble::UnknownKey(key) = &problem.trouble {
                // Only named: the rest can be changed, and the unknown key stays as written.
                assert!(store.change(|s| s.welcomed = true).unwrap(), "written");
                let after = std::fs::read_to_string(&path).unwrap();
                let last = key.rsplit('.').next().unwrap();
                assert!(
                    after.contains(last) && after.contains("welcomed = true"),
                    "{after}"
                );
            } else {
                assert!(!store.change(|s| s.welcomed = true).unwrap(), "not written");
                assert_eq!(
                    std::fs::read_to_string(&path).unwrap(),
                    text,
                    "never changed"
                );
            }
        }
    }

    #[test]
    fn a_change_keeps_the_persons_comments_and_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("klaar/settings.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mine = "# mijn instellingen\nlanguage = \"en\"   # liever Engels\n\n[devices]\n# de goede camera\ncamera = \"video2\"\n";
        std::fs::write(&path, mine).unwrap();
        let mut store = Store::load(path.clone());
        assert_eq!(store.problem, None);
        assert_eq!(store.settings.language, Some(Lang::En));
        assert_eq!(store.settings.devices.camera.as_deref(), Some("video2"));
        store
            .change(|s| s.devices.microphone = Some("pulseaudio:headset".into()))
            .unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        assert!(after.starts_with(mine.trim_end()), "{after}");
        assert!(
            after.contains("microphone = \"pulseaudio:headset\""),
            "{after}"
        );
        assert_eq!(
            Store::load(path).settings.devices.microphone.as_deref(),
            Some("pulseaudio:headset")
        );
    }

    #[test]
    fn comments_in_a_file_with_nothing_else_stay_on_top() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "# mijn instellingen\n").unwrap();
        let mut store = Store::load(path.clone());
        store.change(|s| s.language = Some(Lang::En)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# mijn instellingen\nlanguage = \"en\"\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_inline_devices_table_and_a_linked_file_are_updated_in_their_own_form() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/klaar.toml");
        std::fs::create_dir_all(real.parent().unwrap()).unwrap();
        std::fs::write(&real, "devices = { camera = \"A\" }\n").unwrap();
        let link = dir.path().join("settings.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut store = Store::load(link.clone());
        store
            .change(|s| s.devices.camera = Some("B".into()))
            .unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(&real).unwrap(),
            "devices = { camera = \"B\" }\n"
        );
    }

    #[test]
    fn what_another_program_added_meanwhile_is_kept_when_klaar_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "language = \"nl\"\n").unwrap();
        let mut app = Store::load(path.clone());
        // `klaar agenda --add` while the app runs.
        let mut cli = Store::load(path.clone());
        cli.change(|s| s.addresses.push("calendar.google.com …3f9a".into()))
            .unwrap();
        assert!(app.reload_if_changed(), "the app notices");
        assert_eq!(app.settings.addresses, ["calendar.google.com …3f9a"]);
        assert!(!app.reload_if_changed(), "once");
        cli.change(|s| s.remind_minutes = Some(10)).unwrap();
        assert!(app.change(|s| s.do_not_disturb = true).unwrap());
        let after = Store::load(path).settings;
        assert_eq!(after.addresses, ["calendar.google.com …3f9a"]);
        assert_eq!(after.remind_minutes, Some(10));
        assert!(after.do_not_disturb);
    }

    #[test]
    fn a_change_that_cannot_be_written_is_said_and_still_holds() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("klaar");
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("settings.toml");
        std::fs::write(&path, "").unwrap();
        let mut store = Store::load(path);
        // The folder is gone and a file stands in its place: nothing can be written there.
        std::fs::remove_dir_all(&folder).unwrap();
        std::fs::write(&folder, "not a folder").unwrap();
        assert!(store.change(|s| s.language = Some(Lang::En)).is_err());
        assert_eq!(store.settings.language, Some(Lang::En), "it holds for now");
        assert!(matches!(
            store.problem.as_ref().map(|p| &p.trouble),
            Some(Trouble::Unwritable(_))
        ));
    }

    #[test]
    fn calendars_are_read_and_a_wrong_list_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "[calendars]\nfiles = [\"/home/juf/agenda.ics\"]\n").unwrap();
        let store = Store::load(path.clone());
        assert_eq!(store.problem, None);
        assert_eq!(
            store.settings.calendars,
            [PathBuf::from("/home/juf/agenda.ics")]
        );
        std::fs::write(
            &path,
            "language = \"nl\"\n[calendars]\nfiles = \"agenda.ics\"\n",
        )
        .unwrap();
        let store = Store::load(path);
        let problem = store.problem.unwrap();
        assert_eq!(
            (problem.line, problem.trouble),
            (Some(3), Trouble::Calendars)
        );
        assert_eq!(store.settings.language, Some(Lang::Nl), "the rest is used");
    }

    #[test]
    fn an_added_calendar_is_written_beside_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "language = \"nl\" # mijn taal\n").unwrap();
        let mut store = Store::load(path.clone());
        store
            .change(|s| s.calendars.push(PathBuf::from("/home/juf/agenda.ics")))
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "language = \"nl\" # mijn taal\n\n[calendars]\nfiles = [\"/home/juf/agenda.ics\"]\n"
        );
        assert_eq!(Store::load(path.clone()).settings.calendars.len(), 1);
        let mut store = Store::load(path.clone());
        store
            .change(|s| s.addresses.push("calendar.google.com …3f9a".into()))
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.ends_with("addresses = [\"calendar.google.com …3f9a\"]\n"),
            "{text}"
        );
        assert_eq!(
            Store::load(path.clone()).settings.addresses,
            ["calendar.google.com …3f9a"]
        );
        store.change(|s| s.addresses.clear()).unwrap();
        assert!(!std::fs::read_to_string(&path)
            .unwrap()
            .contains("addresses"));
    }

    #[test]
    fn the_organisations_connection_host_is_read_checked_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        let text = "[connection]\nhost = \"meet.school.nl:8443\" # de ICT-afdeling\n";
        std::fs::write(&path, text).unwrap();
        let mut store = Store::load(path.clone());
        assert_eq!(
            store.settings.connection_host.as_deref(),
            Some("meet.school.nl:8443")
        );
        // Another change leaves the organisation's line as it was.
        store.change(|s| s.remind_minutes = Some(3)).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with(text));
        std::fs::write(
            &path,
            "language = \"nl\"\n[connection]\nhost = \"https://meet.school.nl/\"\n",
        )
        .unwrap();
        let store = Store::load(path);
        assert_eq!(store.settings.connection_host, None);
        let problem = store.problem.unwrap();
        assert_eq!(problem.trouble, Trouble::ConnectionHost);
        assert_eq!(problem.line, Some(3));
    }

    #[test]
    fn reminder_minutes_are_one_of_the_choices() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "[reminders]\nminutes = 10\n").unwrap();
        assert_eq!(Store::load(path.clone()).settings.remind_minutes, Some(10));
        std::fs::write(&path, "[reminders] # mijn keuze\nminutes = 10\n").unwrap();
        let mut store = Store::load(path.clone());
        store.change(|s| s.remind_minutes = Some(3)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[reminders] # mijn keuze\nminutes = 3\n"
        );
        store.change(|s| s.do_not_disturb = true).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[reminders] # mijn keuze\nminutes = 3\ndo_not_disturb = true\n"
        );
        assert!(Store::load(path.clone()).settings.do_not_disturb);
        std::fs::write(&path, "[reminders]\ndo_not_disturb = \"ja\"\n").unwrap();
        let store = Store::load(path.clone());
        assert!(!store.settings.do_not_disturb);
        assert_eq!(store.problem.unwrap().trouble, Trouble::DoNotDisturb);
        std::fs::write(&path, "[reminders]\nminutes = 7\n").unwrap();
        let store = Store::load(path);
        assert_eq!(store.settings.remind_minutes, None);
        let problem = store.problem.unwrap();
        assert_eq!(
            (problem.line, problem.trouble),
            (Some(2), Trouble::RemindMinutes)
        );
    }

    #[test]
    fn a_missing_file_is_made_on_the_first_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/klaar/settings.toml");
        let mut store = Store::load(path.clone());
        assert_eq!(store.problem, None);
        store.change(|s| s.language = Some(Lang::Nl)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "language = \"nl\"\n"
        );
    }

    #[test]
    fn a_broken_file_is_named_with_its_line_and_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        let broken = "language = \"en\"\n[devices\ncamera = \"video0\"\n";
        std::fs::write(&path, broken).unwrap();
        let mut store = Store::load(path.clone());
        let problem = store.problem.clone().expect("a problem");
        assert_eq!(problem.line, Some(2));
        assert_eq!(problem.path, path);
        store.change(|s| s.language = Some(Lang::Nl)).unwrap();
        assert_eq!(store.settings.language, Some(Lang::Nl), "in memory");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken, "untouched");

        // A value of the wrong kind: the rest is used, the file is kept.
        std::fs::write(&path, "language = \"fr\"\n[devices]\ncamera = \"video1\"\n").unwrap();
        let store = Store::load(path.clone());
        assert_eq!(store.problem.as_ref().unwrap().line, Some(1));
        assert_eq!(store.problem.as_ref().unwrap().trouble, Trouble::Language);
        assert_eq!(store.settings.devices.camera.as_deref(), Some("video1"));
        assert_eq!(store.settings.language, None);
        // Garbage bytes are a problem too, not a panic.
        std::fs::write(&path, [0xff, 0xfe, 0x00, b'=']).unwrap();
        assert!(Store::load(path).problem.is_some());
    }
}
