//! "Kopieer gegevens voor de helpdesk": what `klaar debug capture` gathers, as one text the
//! person pastes into a message. Nothing is sent anywhere; the window puts it on the clipboard.

use crate::error::{Error, Result};
use klaar_probes::Root;

/// A first line naming Klaar's version and the system, then the captured files of `root`
/// (with the host the connection item measures, so the capture replays to the same report).
pub async fn text(root: Root) -> Result<String> {
    let captured =
        tauri::async_runtime::spawn_blocking(move || klaar_probes::capture::capture_text(&root))
            .await?
            .map_err(|e| Error::Helpdesk(e.to_string()))?;
    Ok(format!(
        "Klaar {} ({} {})\n\n{captured}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    ))
}
