//! Small readers for sysfs and procfs files. Every error names the file it came from.

use klaar_facts::ProbeError;
use std::path::Path;

const ENODEV: i32 = 19;
const ENODATA: i32 = 61;

fn show(path: &Path) -> String {
    path.display().to_string()
}

/// The trimmed content of a file, `None` when it does not exist (optional attribute, or a device
/// that vanished while we looked).
pub fn read_opt(path: &Path) -> Result<Option<String>, ProbeError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).trim().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // Some attributes refuse reads while a device sleeps (ENODATA) or is being removed
        // (ENODEV): treat them as absent rather than failing the whole probe.
        Err(e) if matches!(e.raw_os_error(), Some(ENODATA | ENODEV)) => Ok(None),
        Err(e) => Err(ProbeError::from_io(show(path), &e)),
    }
}

/// A number from an optional attribute; garbage is an error naming the file.
pub fn read_num<T: std::str::FromStr>(path: &Path) -> Result<Option<T>, ProbeError> {
    match read_opt(path)? {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| ProbeError::garbage(show(path), text)),
    }
}

/// A hexadecimal attribute such as `flags` ("0x1003").
pub fn read_hex(path: &Path) -> Result<Option<u32>, ProbeError> {
    match read_opt(path)? {
        None => Ok(None),
        Some(text) => parse_hex(&text)
            .map(Some)
            .ok_or_else(|| ProbeError::garbage(show(path), text)),
    }
}

pub fn parse_hex(text: &str) -> Option<u32> {
    let text = text.trim();
    u32::from_str_radix(text.strip_prefix("0x").unwrap_or(text), 16).ok()
}

/// Directory entries' names, sorted; a missing directory is empty.
pub fn list_dir(path: &Path) -> Result<Vec<String>, ProbeError> {
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ProbeError::from_io(show(path), &e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// The last path component of a link's target (a driver's name, say).
pub fn link_name(path: &Path) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    Some(target.file_name()?.to_string_lossy().into_owned())
}

/// `/sys` itself must exist under the root, or every probe would report "nothing found".
pub fn require_dir(path: &Path) -> Result<(), ProbeError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(ProbeError::garbage(show(path), "not a directory")),
        Err(e) => Err(ProbeError::from_io(show(path), &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_hex;

    #[test]
    fn hex() {
        assert_eq!(parse_hex("0x1003"), Some(0x1003));
        assert_eq!(parse_hex("1003\n"), Some(0x1003));
        assert_eq!(parse_hex("0xzz"), None);
    }
}
