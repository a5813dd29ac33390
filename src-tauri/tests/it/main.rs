//! End-to-end tests of the real Klaar app (under Xvfb, driven through WebDriver) and tests of its
//! commands on Tauri's mock runtime.

mod calendars;
mod calls;
mod commands;
mod desktop;
mod keyboard;
mod lifecycle;
mod package;
mod quiet;
mod reminders;
mod security;
mod self_view;
mod sound;
mod tray;
mod tray_host;
mod window;
