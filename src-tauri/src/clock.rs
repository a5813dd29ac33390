//! The wall clock, read in one place.

pub fn now_hh_mm() -> String {
    chrono::Local::now().format("%H:%M").to_string()
}

/// The clock time `after` from now, as "10:25".
pub fn hh_mm_after(after: std::time::Duration) -> String {
    let later = chrono::Local::now() + chrono::Duration::from_std(after).unwrap_or_default();
    later.format("%H:%M").to_string()
}
