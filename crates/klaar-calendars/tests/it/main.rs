//! klaar-calendars against real components: an https server on loopback with a certificate
//! made for the test, and a real Secret Service (gnome-keyring-daemon) on a private bus.

mod fetch;
mod secrets;
