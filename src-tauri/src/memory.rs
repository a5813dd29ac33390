//! Keeping a Klaar that waits in the tray small. Two facts about WebKitGTK decide most of it:
//! GL drivers (Mesa's llvmpipe alone dirties 8 MB of relocations per process) are loaded as soon
//! as GTK initialises GL, and WebKit's network helper outlives the last web page.

/// Draw without the GPU, unless the user or the desktop chose otherwise (`KLAAR_GPU=1`, or
/// `GDK_GL` already set). Klaar's window is a plain page; software drawing is quick enough, and
/// it spares 60–70 MB across the app and its web process. Must run before GTK starts.
pub fn prefer_software_drawing() {
    if std::env::var_os("KLAAR_GPU").is_some() || std::env::var_os("GDK_GL").is_some() {
        return;
    }
    // Called first thing in `run`, before any other thread exists.
    std::env::set_var("GDK_GL", "disable");
}

/// The window is gone. Give back what its page used: the freed heap, and WebKit's network
/// helper, which WebKit would keep for a next page that may not come for hours. WebKit starts a
/// new helper when the window opens again (it recovers from a lost helper by design).
pub fn release_after_window<F>(window_exists: F)
where
    F: Fn() -> bool + Send + 'static,
{
    std::thread::spawn(move || {
        // WebKit tears the page down over the next moments; wait for that.
        std::thread::sleep(std::time::Duration::from_secs(2));
        if window_exists() {
            return;
        }
        platform::end_network_helper();
        platform::trim_heap();
    });
}

/// Gives the heap's free pages back, after work that allocated a lot and let it all go (reading
/// the calendars).
pub fn trim_heap() {
    platform::trim_heap();
}

#[cfg_attr(target_os = "linux", path = "memory/linux.rs")]
#[cfg_attr(not(target_os = "linux"), path = "memory/other.rs")]
mod platform;
