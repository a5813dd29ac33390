//! The one error type the window sees. It serialises to `{kind, message}` so the UI can branch on
//! `kind` and show `message`.

use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    UnknownItem(#[from] klaar_checklist::UnknownItem),
    #[error(transparent)]
    NotManual(#[from] klaar_checklist::NotManual),
    #[error("the desktop could not show the window or tray: {0}")]
    Tauri(#[from] tauri::Error),
    #[error(transparent)]
    Sound(#[from] klaar_probes::speakers::SoundError),
    #[error("there is no recording to play back")]
    NothingRecorded,
    #[error("Klaar could not gather the details: {0}")]
    Helpdesk(String),
}

impl Error {
    pub fn kind(&self) -> &'static str {
        match self {
            Error::UnknownItem(_) => "unknown_item",
            Error::NotManual(_) => "not_manual",
            Error::Tauri(_) => "desktop",
            Error::Sound(klaar_probes::speakers::SoundError::NoOutput) => "no_speakers",
            Error::Sound(klaar_probes::speakers::SoundError::NoInput) => "no_microphone",
            Error::Sound(klaar_probes::speakers::SoundError::Failed { .. }) => "sound_failed",
            Error::NothingRecorded => "nothing_recorded",
            Error::Helpdesk(_) => "helpdesk",
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Error", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_gets_kind_and_message() {
        let error = Error::from(klaar_checklist::NotManual("power".into()));
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({"kind": "not_manual", "message": "'power' is not an item you can tick"})
        );
    }
}
