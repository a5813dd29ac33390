//! Adding a calendar, the same from the window and from `klaar agenda --add`: a file is added
//! when it reads as a calendar; a secret address when it fetches as one, and then it is kept in
//! the keyring (or the private file) and its first copy cached. The caller writes the file's
//! path or the address's label into `settings.toml`.

use crate::{address, Address, Kept, Places, Problem};
use chrono::{DateTime, Utc};
use klaar_checklist::Locale;
use std::path::{Path, PathBuf};

/// What was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A calendar file, by its full path.
    File(PathBuf),
    /// A secret address: its label, and where the address is kept.
    Address { label: String, kept: Kept },
}

/// Checks `given` (a file name or an address, as typed or pasted) and keeps an address.
///
/// # Errors
/// The name to show (the file, or the address's host) and the [`Problem`]; nothing is kept.
pub async fn add(
    given: &str,
    places: &Places,
    now: DateTime<Utc>,
) -> Result<Added, (String, Problem)> {
    let given = given.trim();
    if address::looks_like_address(given) {
        let address =
            Address::parse(given).map_err(|p| (address::host_of(given), Problem::Address(p)))?;
        let label = free_label(&address, places).await;
        let text = places
            .fetcher
            .fetch(&address)
            .await
            .map_err(|p| (label.clone(), Problem::Fetch(p)))?;
        let kept = places
            .secrets
            .keep(&label, &address)
            .await
            .map_err(|p| (label.clone(), Problem::Secret(p)))?;
        // Without a cached copy the first refresh fetches it again; nothing else is lost.
        let _ = places.cache.keep(&label, &text, now);
        return Ok(Added::Address { label, kept });
    }
    let path = Path::new(given);
    let Ok(path) = std::fs::canonicalize(path) else {
        // Named by its last part only: what was typed may be an address after all.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "?".into());
        return Err((name, Problem::Unreadable(crate::FileTrouble::NotFound)));
    };
    let name = path.display().to_string();
    let text = crate::read_file(&path).map_err(|p| (name.clone(), p))?;
    klaar_meetings::calendar::parse(&name, &text).map_err(|p| (name, Problem::Calendar(p)))?;
    Ok(Added::File(path))
}

/// The address's label, or, when another address already has it (two calendars of one school
/// can end alike), the label with a number: `outlook.office365.com …3f9a (2)`.
async fn free_label(address: &Address, places: &Places) -> String {
    let label = address.label();
    for n in 1..100 {
        let candidate = match n {
            1 => label.clone(),
            n => format!("{label} ({n})"),
        };
        match places.secrets.find(&candidate).await {
            Ok((kept, _)) if kept != *address => continue,
            // Free, the same address again, or a keyring that cannot tell: keeping says.
            _ => return candidate,
        }
    }
    label
}

/// Forgets an address's secret and cached copy (files need nothing).
///
/// # Errors
/// The [`Problem`] when the keyring or the private file refuses.
pub async fn forget(label: &str, places: &Places) -> Result<(), Problem> {
    places.cache.forget(label);
    places.secrets.forget(label).await.map_err(Problem::Secret)
}

/// "Agenda calendar.google.com …3f9a toegevoegd. Het geheime adres staat in de sleutelbos…",
/// or for a file `file_text` filled with its path.
pub fn say_added(
    added: &Added,
    locale: &Locale,
    file_text: impl FnOnce(&Path) -> String,
) -> String {
    match added {
        Added::File(path) => file_text(path),
        Added::Address {
            label,
            kept: Kept::SecretService,
        } => locale.fill("agenda.added_address", &[("calendar", label.clone())]),
        Added::Address {
            label,
            kept: Kept::File(file),
        } => locale.fill(
            "agenda.added_address_file",
            &[
                ("calendar", label.clone()),
                ("file", file.display().to_string()),
            ],
        ),
    }
}
