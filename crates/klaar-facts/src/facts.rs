use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Makes `ProbeId` and `Facts` from [`with_probes!`]'s list.
macro_rules! probes {
    ($(
        $(#[$doc:meta])*
        $id:ident = $name:literal, module = $module:ident, $variant:ident($facts:ty),
            min_deadline_ms = $min:expr;
    )*) => {
        /// One unit of work for the runner. Several checklist items may read the facts of one
        /// probe.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ProbeId {
            $($(#[$doc])* $id),*
        }

        impl ProbeId {
            /// Every probe, in the order the checklist runs them.
            pub const ALL: &'static [ProbeId] = &[$(ProbeId::$id),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ProbeId::$id => $name),*
                }
            }

            /// The shortest deadline this probe can work with, in milliseconds.
            pub fn min_deadline_ms(self) -> u64 {
                match self {
                    $(ProbeId::$id => $min),*
                }
            }
        }

        /// What a probe found: one variant per probe.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Facts {
            $($variant($facts)),*
        }

        impl Facts {
            /// The probe these facts come from.
            pub fn probe(&self) -> ProbeId {
                match self {
                    $(Facts::$variant(_) => ProbeId::$id),*
                }
            }
        }
    };
}

/// The probes, one line each: the id (its name in JSON and on the command line), the module in
/// `klaar_probes` that implements it, the facts it returns, and the shortest deadline it can
/// work with (milliseconds). This is the one list of probes: `with_probes!(m)` calls the macro
/// `m` with it, so `ProbeId` and `Facts` here and `klaar_probes::registry` (the dispatch and
/// what `klaar debug capture` records) are all made from it.
#[macro_export]
macro_rules! with_probes {
    ($callback:ident) => {
        $callback! {
            /// Mains or battery, and how long the battery lasts.
            Power = "power", module = power,
                Power($crate::PowerFacts), min_deadline_ms = 0;
            /// The link to the internet and any tunnel: one look at interfaces and routes.
            Network = "network", module = network,
                Connectivity($crate::Connectivity), min_deadline_ms = 0;
            /// The running processes, as far as recognising apps needs.
            Processes = "processes", module = processes,
                Processes($crate::ProcessList), min_deadline_ms = 0;
            /// The default camera. It needs time to start and to let its automatic exposure
            /// settle (its own frame budget is 3 s).
            Camera = "camera", module = camera,
                Camera($crate::CameraFacts), min_deadline_ms = 3500;
            /// The default microphone. Opening an input stream on a sound server can take a
            /// second or two, then ~1 s of sound is recorded.
            Microphone = "microphone", module = microphone,
                Microphone($crate::MicrophoneFacts), min_deadline_ms = 4500;
            /// The security of the Wi-Fi network in use (NetworkManager, else iwd, over D-Bus).
            WifiSecurity = "wifi_security", module = wifi_security,
                WifiSecurity($crate::WifiSecurityFacts), min_deadline_ms = 0;
            /// Whether the network sends you to a sign-in page first (NetworkManager's own check).
            CaptivePortal = "captive_portal", module = captive_portal,
                CaptivePortal($crate::PortalFacts), min_deadline_ms = 0;
            /// Whether the filesystems holding the system and the home folder are encrypted.
            DiskEncryption = "disk_encryption", module = disk_encryption,
                DiskEncryption($crate::DiskEncryptionFacts), min_deadline_ms = 0;
            /// USB sticks and other removable storage mounted now, and whether they are encrypted.
            UsbStorage = "usb_storage", module = usb_storage,
                UsbStorage($crate::UsbStorageFacts), min_deadline_ms = 0;
            /// Whether the screen locks itself when nobody uses the computer, and after how long.
            ScreenLock = "screen_lock", module = screen_lock,
                ScreenLock($crate::ScreenLockFacts), min_deadline_ms = 0;
            /// Updates waiting to be installed, and a restart waiting to finish them. PackageKit
            /// may take 3 s to load its package cache, apt up to 6.5 s to plan a full upgrade
            /// the first time (its answer is kept while its state is unchanged).
            Updates = "updates", module = updates,
                Updates($crate::UpdatesFacts), min_deadline_ms = 7500;
            /// How long a round trip to the meeting service takes: a few TCP handshakes (no
            /// data). A name lookup of up to 1 s, then samples for up to 2 s.
            Connection = "connection", module = connection,
                Connection($crate::ConnectionFacts), min_deadline_ms = 3500;
        }
    };
}

with_probes!(probes);

impl fmt::Display for ProbeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProbeId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProbeId::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| s.to_string())
    }
}

/// Power supply as the user experiences it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerFacts {
    /// `Some(false)` on mains power or for a machine without a system battery.
    pub on_battery: Option<bool>,
    /// Charge of all system batteries together, 0–100.
    pub battery_percent: Option<u8>,
    /// Estimated minutes left; only while discharging and once the OS has an estimate.
    pub minutes_left: Option<u32>,
}

/// What kind of link carries the traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Wired,
    Wifi,
    /// A WWAN modem or a phone tethered over USB.
    Mobile,
    /// No route to the internet.
    None,
    /// Anything else: virtual links, unknown hardware.
    Other,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Wired => "wired",
            LinkKind::Wifi => "wifi",
            LinkKind::Mobile => "mobile",
            LinkKind::None => "none",
            LinkKind::Other => "other",
        }
    }
}

/// The link that carries traffic to the internet. Under a VPN this is the link the tunnel runs over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkFacts {
    pub kind: LinkKind,
    pub interface: Option<String>,
    pub signal_dbm: Option<i32>,
    /// The tunnel interface internet traffic enters first, when there is one.
    pub tunnel: Option<String>,
}

/// Tunnels that are up, and whether internet traffic goes through one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VpnFacts {
    pub active: bool,
    pub interfaces: Vec<String>,
    /// `Some(true)`: all internet traffic goes through a tunnel; `Some(false)`: only some networks
    /// do (split tunnel); `None`: no tunnel, or no route to tell by.
    pub full_tunnel: Option<bool>,
    /// A policy-based IPsec VPN (strongSwan, libreswan) carries traffic: the kernel's IPsec
    /// policies send it into a tunnel without any tunnel interface.
    #[serde(default)]
    pub ipsec: bool,
    /// An IPsec program runs (its name: strongSwan's `charon`, libreswan's `pluto`…), but the
    /// kernel's IPsec policies could not be read (that needs administrator rights), so whether it
    /// carries traffic is unknown. `None` when the policies were read, or no such program runs.
    #[serde(default)]
    pub ipsec_unknown: Option<String>,
}

/// The network probe answers both: they come from one look at interfaces and routes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connectivity {
    pub network: NetworkFacts,
    pub vpn: VpnFacts,
}

/// One running process, as far as matching it to a known app needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// Full path of the executable, when the OS tells.
    pub exe: Option<String>,
    /// The process name (on Linux the 15-character `comm`).
    pub name: String,
    /// The first command-line argument, when there is one.
    pub argv0: Option<String>,
    /// What else identifies the app when the executable is a browser or a shared runtime.
    #[serde(default)]
    pub hints: AppHints,
}

/// The parts of a process's command line and sandbox that name the app it runs, and nothing
/// else of them: a browser web app's id (`--app-id=`) or site (`--app=https://HOST`, the host
/// only), the folder of an Electron app run by the system's shared `electron`
/// (`/usr/lib/element/app.asar` → `element`), and the Flatpak or Snap id of its sandbox.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppHints {
    pub web_app_id: Option<String>,
    pub web_host: Option<String>,
    pub asar: Option<String>,
    pub package: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessList {
    pub processes: Vec<Process>,
}

/// The default camera: whether it is there, who holds it, and numbers about its picture.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CameraFacts {
    pub present: bool,
    pub name: Option<String>,
    /// The program that holds the camera when it is busy.
    pub busy_by: Option<String>,
    /// The camera exists but this user may not open it.
    pub denied: bool,
    /// Milliseconds from opening the camera to its first frame; `None` when none came.
    pub first_frame_ms: Option<u64>,
    /// The last frame taken, after the exposure had time to settle.
    pub picture: Option<PictureStats>,
}

/// Brightness figures of one frame (luma, 0–255). The middle is where a face usually is; the
/// border is where a window behind the user shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PictureStats {
    pub width: u32,
    pub height: u32,
    pub mean_luma: f64,
    pub p95_luma: u8,
    pub center_luma: f64,
    pub border_luma: f64,
    /// `center_luma / border_luma`; below 1 the middle is darker than its surroundings.
    pub center_to_border: f64,
    /// Share of pixels that are nearly black (luma < 25), 0–1.
    pub black_share: f64,
    /// Share of pixels that are blown out (luma > 246), 0–1.
    pub blown_share: f64,
}

/// The default microphone and about a second of what it hears.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MicrophoneFacts {
    pub present: bool,
    pub name: Option<String>,
    /// The sound server's mute flag for this input; `None` when there is no server to ask.
    pub muted: Option<bool>,
    /// A Bluetooth headset that plays sound in a profile without a microphone (A2DP): its name.
    pub bluetooth_without_mic: Option<String>,
    pub sound: Option<SoundStats>,
}

/// Level figures of a recording, in dBFS (0 is full scale). Cut into 10 ms frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SoundStats {
    pub seconds: f64,
    pub rms_dbfs: f64,
    pub peak_dbfs: f64,
    /// The loudest tenth of the frames: the voice, when someone speaks.
    pub loud_dbfs: f64,
    /// The quietest tenth of the frames: the room between words.
    pub noise_floor_dbfs: f64,
    /// Share of 10 ms frames with at least 10 % clipped samples, in percent.
    pub clipping_pct: f64,
    /// Every sample exactly zero: a blocked or hardware-muted input.
    pub digital_silence: bool,
}

/// How a Wi-Fi network protects what goes over the air, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WifiSecurity {
    /// No password: anyone nearby can read along.
    Open,
    /// WEP: broken since 2001, readable within minutes.
    Wep,
    /// WPA with TKIP only (WPA1), without the AES-CCMP of WPA2.
    Wpa1,
    /// Opportunistic Wireless Encryption ("Enhanced Open"): encrypted, but anyone may join.
    Owe,
    /// WPA2 personal (a shared password, AES-CCMP).
    Wpa2,
    /// WPA3 personal (SAE).
    Wpa3,
    /// WPA2 or WPA3 enterprise (802.1X: a personal account per user).
    Enterprise,
}

impl WifiSecurity {
    pub fn as_str(self) -> &'static str {
        match self {
            WifiSecurity::Open => "open",
            WifiSecurity::Wep => "wep",
            WifiSecurity::Wpa1 => "wpa1",
            WifiSecurity::Owe => "owe",
            WifiSecurity::Wpa2 => "wpa2",
            WifiSecurity::Wpa3 => "wpa3",
            WifiSecurity::Enterprise => "enterprise",
        }
    }
}

/// The Wi-Fi network in use and its security; never its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WifiSecurityFacts {
    /// What carries the connection: `Wifi` when a Wi-Fi network is in use (also under a VPN),
    /// `None` when there is no connection at all.
    pub link: LinkKind,
    /// `None` when on Wi-Fi but the access point's security could not be read, and when not on
    /// Wi-Fi.
    pub security: Option<WifiSecurity>,
    /// The network does not broadcast its name; `None` when not on Wi-Fi or not known.
    pub ssid_hidden: Option<bool>,
    /// Who told: "networkmanager", "iwd", or "kernel" (neither service there; the routes show
    /// no Wi-Fi in use).
    pub source: String,
}

/// NetworkManager's connectivity state (`NMConnectivityState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectivityState {
    /// Not checked: the check is switched off (as on stock Debian), or has not run yet.
    Unknown,
    /// Not connected to any network.
    None,
    /// A sign-in page (a hotel's, a station's) answers instead of the internet.
    Portal,
    /// Connected to a network, but the internet cannot be reached.
    Limited,
    /// The internet can be reached.
    Full,
}

/// What NetworkManager's own connectivity check last found (Klaar sends nothing itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalFacts {
    pub state: ConnectivityState,
    /// Whether NetworkManager checks at all; `None` when it does not say (before 1.10) or when
    /// NetworkManager is not running (then nobody checks).
    pub check_enabled: Option<bool>,
}

/// Whether the system's and the person's files are encrypted on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskEncryptionFacts {
    /// The mount points looked at: `/` and the one holding the home folder (the same when the
    /// home folder is not on a filesystem of its own).
    pub checked: Vec<String>,
    /// Those of `checked` that are not encrypted.
    pub unencrypted: Vec<String>,
    /// Those of `checked` whose encryption could not be told (a ZFS dataset when `zfs` does
    /// not answer, a device that vanished).
    pub undecided: Vec<String>,
    /// How the encrypted ones are encrypted: "luks2", "luks1", "plain", "bitlk", "tcrypt",
    /// "zfs", "fscrypt", "ecryptfs"; several joined with "+".
    pub method: Option<String>,
}

/// Removable and USB storage that is mounted now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsbStorageFacts {
    /// Mount points of such storage that is not encrypted.
    pub unencrypted: Vec<String>,
    /// Mount points of such storage that is encrypted (LUKS, BitLocker To Go, VeraCrypt…).
    pub encrypted: Vec<String>,
}

/// The automatic screen lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenLockFacts {
    /// The desktop whose settings were read: "gnome" or "kde".
    pub desktop: String,
    /// Whether the screen locks itself after a time without use.
    pub enabled: bool,
    /// Seconds without use until it locks (idle time plus the lock's own delay); `None` when
    /// it never locks.
    pub lock_after_s: Option<u32>,
}

/// Updates the package system already knows of (nothing is fetched to find out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatesFacts {
    /// Updates that can be installed; `None` when the package system could not be asked.
    pub pending: Option<u32>,
    /// Of those, security updates.
    pub security: Option<u32>,
    /// A restart is needed to finish installed updates (a new kernel); `None` when unknown.
    pub reboot_required: Option<bool>,
    /// The package systems that answered ("PackageKit", "apt", "dnf", "Flatpak").
    #[serde(default)]
    pub checked: Vec<String>,
    /// The package systems in use that could not be asked (Flatpak without a cached summary,
    /// PackageKit not answering).
    #[serde(default)]
    pub unchecked: Vec<String>,
}

/// Why Klaar measures the connection to this host: the organisation named it (`[connection]
/// host` in the settings), it is the next meeting's link, or the call app running now uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    Organisation,
    Meeting,
    App,
}

/// The host the `connection` probe measures, chosen by the caller (`Root::with_target`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionTarget {
    /// A host name or IP address, as written ("zoom.us", "meet.school.nl").
    pub host: String,
    /// 443 unless the organisation names another.
    pub port: u16,
    pub source: TargetSource,
    /// What it stands for, for people: the app's or the meeting service's name ("Zoom");
    /// `None` for a host the organisation named.
    pub service: Option<String>,
}

/// Why no round trip could be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectFailure {
    /// The name did not resolve (no answer within 1 s, or no such host).
    NotFound,
    /// Every attempt was refused (a reset, or an ICMP "unreachable" from a firewall on the
    /// way): the network or the service turns the connection away.
    Refused,
    /// No handshake completed and nothing answered in time, or there is no route.
    Unreachable,
}

/// Round trips to the meeting service: the time of each TCP handshake (SYN to SYN-ACK, or
/// the refusal that also comes back in one trip); nothing is sent over the connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectionFacts {
    /// The host measured; `None` when Klaar knows no meeting service to measure.
    pub target: Option<ConnectionTarget>,
    /// Each handshake's time in milliseconds, in the order taken.
    pub samples_ms: Vec<f64>,
    /// `Some` when no sample could be taken.
    pub failure: Option<ConnectFailure>,
}

impl ConnectionFacts {
    /// The median of the samples, in milliseconds.
    pub fn rtt_ms(&self) -> Option<f64> {
        let mut sorted = self.samples_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(sorted[n / 2]),
            _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
        }
    }

    /// The median difference between consecutive samples, in milliseconds (the variation
    /// RFC 3550 calls jitter, without its smoothing; the median, so one SYN resent after a
    /// loss does not make a steady line look unsteady); `None` with fewer than three samples.
    pub fn jitter_ms(&self) -> Option<f64> {
        let mut steps: Vec<f64> = self
            .samples_ms
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .collect();
        if steps.len() < 2 {
            return None;
        }
        steps.sort_by(f64::total_cmp);
        let n = steps.len();
        Some(match n % 2 {
            1 => steps[n / 2],
            _ => (steps[n / 2 - 1] + steps[n / 2]) / 2.0,
        })
    }
}

/// What one probe produced, and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeResult {
    pub probe: ProbeId,
    pub outcome: Result<Facts, crate::ProbeError>,
    pub elapsed_ms: u64,
}
