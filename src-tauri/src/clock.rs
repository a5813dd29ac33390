//! The wall clock, read in one place.

pub fn now_hh_mm() -> String {
    chrono::Local::now().format("%H:%M").to_string()
}
