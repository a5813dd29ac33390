//! The user's language from the OS locale.

use klaar_checklist::Lang;

/// POSIX order for message language (LC_ALL, LC_MESSAGES, LANG), then the OS's own setting.
pub fn from_os() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|value| !value.is_empty())
        .or_else(sys_locale::get_locale)
        .map(|tag| Lang::from_locale(&tag))
        .unwrap_or_default()
}
