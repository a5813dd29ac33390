//! Where secret addresses are kept: the desktop's Secret Service (GNOME Keyring, KWallet,
//! KeePassXC) when one answers on the session bus, else a file only the person can read
//! (`$XDG_DATA_HOME/klaar/calendar-addresses.json`, mode 0600 in a 0700 folder).
//! `settings.toml` holds only the label ([`Address::label`]).

use crate::address::Address;
use secret_service::{EncryptionType, SecretService};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a Secret Service call may take when no one has to answer a prompt.
pub const SERVICE_DEADLINE: Duration = Duration::from_secs(5);

/// How long Klaar waits for the person to unlock the keyring when adding an address.
pub const PROMPT_DEADLINE: Duration = Duration::from_secs(120);

/// The attribute that marks Klaar's items in the Secret Service; its value is the label.
pub const ATTRIBUTE: &str = "klaar-calendar";

/// Where an address ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// In the Secret Service (the keyring).
    SecretService,
    /// In this file, readable by the person alone: no Secret Service answered, or it had no
    /// default collection to keep it in.
    File(PathBuf),
}

/// Why an address could not be kept or found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretProblem {
    /// The keyring is locked and was not unlocked.
    #[error("the keyring is locked")]
    Locked,
    /// Nothing is kept under this label (removed from the keyring, or kept on another computer).
    #[error("no address kept under this label")]
    Missing,
    /// The file could not be read or written (the system's message).
    #[error("{0}")]
    File(String),
    /// The Secret Service answered with an error (its message; never holds the address).
    #[error("{0}")]
    Service(String),
}

impl SecretProblem {
    /// The locale key of Klaar's words for it.
    pub fn locale_key(&self) -> &'static str {
        match self {
            SecretProblem::Locked => "agenda.keyring_locked",
            SecretProblem::Missing => "agenda.address_missing",
            SecretProblem::File(_) => "agenda.address_file",
            SecretProblem::Service(_) => "agenda.keyring_error",
        }
    }
}

/// The two places, with the fallback file's path.
#[derive(Debug, Clone)]
pub struct Secrets {
    file: PathBuf,
}

impl Secrets {
    /// The usual places: the Secret Service, and `$XDG_DATA_HOME/klaar/calendar-addresses.json`
    /// (else `~/.local/share/…`). `None` without a home folder.
    pub fn default_place() -> Option<Secrets> {
        let klaar = klaar_settings::klaar_dir(klaar_settings::BaseDir::Data)?;
        Some(Secrets::with_file(klaar.join("calendar-addresses.json")))
    }

    /// The Secret Service, and `file` as the fallback.
    pub fn with_file(file: PathBuf) -> Secrets {
        Secrets { file }
    }

    /// The fallback file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Keeps `address` under `label` (its [`Address::label`], or that with a number when two
    /// calendars share one; see `crate::adding`): in the Secret Service (asking the person to unlock the
    /// keyring if it is locked, up to [`PROMPT_DEADLINE`]), or in the file when no Secret Service
    /// answers or it has no default collection (see `no_default_collection`).
    ///
    /// # Errors
    /// [`SecretProblem::Locked`] when the keyring stays locked; `File` when the fallback file
    /// cannot be written; `Service` for other Secret Service errors, and when the service does
    /// not answer within [`SERVICE_DEADLINE`].
    pub async fn keep(&self, label: &str, address: &Address) -> Result<Kept, SecretProblem> {
        let label = label.to_string();
        if let Some(service) = connect().await {
            let no_answer = || SecretProblem::Service("no answer".into());
            // The default collection and whether it is locked: no one has to answer a prompt.
            let found = tokio::time::timeout(SERVICE_DEADLINE, async {
                let collection = service.get_default_collection().await?;
                let locked = collection.is_locked().await?;
                Ok::<_, secret_service::Error>((collection, locked))
            })
            .await
            .map_err(|_| no_answer())?;
            match found {
                Ok((collection, locked)) => {
                    if locked {
                        // The keyring asks the person for its password (a window of its own).
                        tokio::time::timeout(PROMPT_DEADLINE, collection.unlock())
                            .await
                            .map_err(|_| SecretProblem::Locked)?
                            .map_err(service_problem)?;
                    }
                    tokio::time::timeout(
                        SERVICE_DEADLINE,
                        collection.create_item(
                            &format!("Klaar: {label}"),
                            attributes(&label),
                            address.expose().as_str().as_bytes(),
                            true,
                            "text/plain",
                        ),
                    )
                    .await
                    .map_err(|_| no_answer())?
                    .map_err(service_problem)?;
                    // An older copy in the file (kept while no keyring ran) is not left behind.
                    let _ = self.forget_in_file(&label);
                    return Ok(Kept::SecretService);
                }
                // A keyring without a lasting place for it: the file, as with no keyring.
                Err(e) if no_default_collection(&e) => {}
                Err(e) => return Err(service_problem(e)),
            }
        }
        let mut all = self.read_file()?;
        all.insert(label, address.expose().to_string());
        self.write_file(&all)?;
        Ok(Kept::File(self.file.clone()))
    }

    /// The address kept under `label`, from the Secret Service, else the file.
    ///
    /// # Errors
    /// `Locked` (the keyring holds it but is locked), `Missing` (neither place has it), `File`
    /// (the file exists but cannot be read).
    pub async fn find(&self, label: &str) -> Result<(Address, Kept), SecretProblem> {
        if let Some(service) = connect().await {
            let found = tokio::time::timeout(SERVICE_DEADLINE, async {
                let items = service
                    .search_items(attributes(label))
                    .await
                    .map_err(service_problem)?;
                match items.unlocked.first() {
                    Some(item) => item.get_secret().await.map(Some).map_err(service_problem),
                    None if !items.locked.is_empty() => Err(SecretProblem::Locked),
                    None => Ok(None),
                }
            })
            .await
            .unwrap_or_else(|_| Err(SecretProblem::Service("no answer".into())))?;
            if let Some(secret) = found {
                let text = String::from_utf8_lossy(&secret).into_owned();
                let address = Address::parse(&text).map_err(|_| SecretProblem::Missing)?;
                return Ok((address, Kept::SecretService));
            }
        }
        let all = self.read_file()?;
        let text = all.get(label).ok_or(SecretProblem::Missing)?;
        let address = Address::parse(text).map_err(|_| SecretProblem::Missing)?;
        Ok((address, Kept::File(self.file.clone())))
    }

    /// Removes what is kept under `label`, in both places.
    ///
    /// # Errors
    /// `File` when the file cannot be rewritten; `Service` when the keyring refuses.
    pub async fn forget(&self, label: &str) -> Result<(), SecretProblem> {
        if let Some(service) = connect().await {
            // Deleting may ask the person to unlock the keyring.
            tokio::time::timeout(PROMPT_DEADLINE, async {
                let items = service
                    .search_items(attributes(label))
                    .await
                    .map_err(service_problem)?;
                for item in items.unlocked.iter().chain(&items.locked) {
                    item.delete().await.map_err(service_problem)?;
                }
                Ok::<(), SecretProblem>(())
            })
            .await
            .unwrap_or_else(|_| Err(SecretProblem::Service("no answer".into())))?;
        }
        self.forget_in_file(label)
    }

    fn forget_in_file(&self, label: &str) -> Result<(), SecretProblem> {
        let mut all = self.read_file()?;
        if all.remove(label).is_some() {
            self.write_file(&all)?;
        }
        Ok(())
    }

    fn read_file(&self) -> Result<BTreeMap<String, String>, SecretProblem> {
        match std::fs::read(&self.file) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| SecretProblem::File(format!("{}: {e}", self.file.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(SecretProblem::File(format!("{}: {e}", self.file.display()))),
        }
    }

    fn write_file(&self, all: &BTreeMap<String, String>) -> Result<(), SecretProblem> {
        let text = serde_json::to_string_pretty(all).expect("a map of texts serialises");
        crate::private_file::write(&self.file, text.as_bytes())
            .map_err(|e| SecretProblem::File(format!("{}: {e}", self.file.display())))
    }
}

fn attributes(label: &str) -> HashMap<&str, &str> {
    HashMap::from([("application", "klaar"), (ATTRIBUTE, label)])
}

fn service_problem(e: secret_service::Error) -> SecretProblem {
    match e {
        secret_service::Error::Locked | secret_service::Error::Prompt => SecretProblem::Locked,
        other => SecretProblem::Service(other.to_string()),
    }
}

/// Whether the Secret Service has no default collection to keep an address in: its `default`
/// alias points nowhere (gnome-keyring started without a login keyring, as on desktops that do
/// not unlock one at login, or WSL: only the `session` collection, which is forgotten at
/// logout), or at a collection that does not exist ("Object does not exist at path
/// /org/freedesktop/secrets/collection/login"). Told apart by the D-Bus error's name.
fn no_default_collection(e: &secret_service::Error) -> bool {
    use zbus::fdo::Error as Fdo;
    const MISSING: [&str; 4] = [
        "org.freedesktop.DBus.Error.UnknownObject",
        "org.freedesktop.DBus.Error.UnknownMethod",
        "org.freedesktop.DBus.Error.UnknownInterface",
        "org.freedesktop.Secret.Error.NoSuchObject",
    ];
    match e {
        secret_service::Error::NoResult => true,
        secret_service::Error::ZbusFdo(
            Fdo::UnknownObject(_) | Fdo::UnknownMethod(_) | Fdo::UnknownInterface(_),
        ) => true,
        secret_service::Error::Zbus(zbus::Error::MethodError(name, _, _)) => {
            MISSING.contains(&name.as_str())
        }
        _ => false,
    }
}

/// The Secret Service on the session bus, if one answers within [`SERVICE_DEADLINE`]. The
/// session is encrypted (Diffie-Hellman), as the specification recommends.
async fn connect() -> Option<SecretService<'static>> {
    tokio::time::timeout(SERVICE_DEADLINE, SecretService::connect(EncryptionType::Dh))
        .await
        .ok()?
        .ok()
}

#[cfg(test)]
mod tests {
    use super::no_default_collection;
    use secret_service::Error;
    use zbus::fdo::Error as Fdo;

    #[test]
    fn a_missing_default_collection_is_told_apart_from_a_keyring_that_refuses() {
        // The alias points nowhere; or at a collection that is not there, as gnome-keyring
        // answers when its login keyring was never made.
        assert!(no_default_collection(&Error::NoResult));
        let missing = "Object does not exist at path “/org/freedesktop/secrets/collection/login”";
        assert!(no_default_collection(&Error::ZbusFdo(Fdo::UnknownMethod(
            missing.into()
        ))));
        assert!(no_default_collection(&Error::ZbusFdo(Fdo::UnknownObject(
            missing.into()
        ))));
        // Locked, a dismissed prompt, or a refusal: said as such, never quietly in the file.
        assert!(!no_default_collection(&Error::Locked));
        assert!(!no_default_collection(&Error::Prompt));
        assert!(!no_default_collection(&Error::ZbusFdo(Fdo::AccessDenied(
            "not allowed".into()
        ))));
    }
}
