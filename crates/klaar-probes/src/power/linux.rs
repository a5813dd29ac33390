//! `/sys/class/power_supply`: system batteries (not a mouse's: `scope` = Device) and supplies.

use crate::sysfs::{list_dir, read_num, read_opt, require_dir};
use crate::Root;
use klaar_facts::{PowerFacts, ProbeError};
use std::path::Path;

pub fn probe(root: &Root) -> Result<PowerFacts, ProbeError> {
    require_dir(&root.join("sys"))?;
    let class = root.join("sys/class/power_supply");
    let mut supplies = Vec::new();
    for name in list_dir(&class)? {
        if let Some(supply) = Supply::read(&class.join(&name))? {
            supplies.push(supply);
        }
    }
    Ok(summarise(&supplies))
}

/// One entry of the power-supply class, as far as we use it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Supply {
    pub kind: String,
    /// A mouse's, keyboard's or headset's own battery (`scope` = Device, or the supply hangs off
    /// a HID or Bluetooth device). Nothing else of it is read: it never decides the laptop's power.
    pub peripheral: bool,
    /// `present` = 0: an empty battery bay. Treated like no battery.
    pub absent: bool,
    pub online: Option<bool>,
    pub status: Option<String>,
    /// 0–100: worn or miscalibrated packs report more than 100 when full, which reads as 100.
    pub capacity: Option<u8>,
    pub energy_now: Option<u64>,
    pub energy_full: Option<u64>,
    pub charge_now: Option<u64>,
    pub charge_full: Option<u64>,
    /// µW. The power-supply ABI uses negative figures for a discharging battery; ACPI batteries
    /// report the magnitude only.
    pub power_now: Option<i64>,
    /// µA; idem.
    pub current_now: Option<i64>,
    /// µV: the pack's design minimum and its present voltage, to turn charge (µAh) into energy
    /// (µWh) when one battery reports energy and the other charge.
    pub voltage_min_design: Option<u64>,
    pub voltage_now: Option<u64>,
}

impl Supply {
    /// `None` when the entry vanished (its `type` is gone).
    ///
    /// Errors: [`ProbeError::Garbage`] naming the file when a system battery's or a supply's
    /// number does not parse. A peripheral's other files are never read, so nothing odd in them
    /// can spoil the answer.
    fn read(dir: &Path) -> Result<Option<Supply>, ProbeError> {
        let Some(kind) = read_opt(&dir.join("type"))? else {
            return Ok(None);
        };
        if is_peripheral(dir)? {
            return Ok(Some(Supply {
                kind,
                peripheral: true,
                ..Supply::default()
            }));
        }
        let online = read_num::<u8>(&dir.join("online"))?.map(|v| v != 0);
        // Capacities a little over 100 are a common firmware quirk of a full, worn pack.
        let capacity = read_num::<u32>(&dir.join("capacity"))?.map(|c| c.min(100) as u8);
        Ok(Some(Supply {
            peripheral: false,
            absent: read_num::<u8>(&dir.join("present"))? == Some(0),
            online,
            status: read_opt(&dir.join("status"))?,
            capacity,
            energy_now: read_num(&dir.join("energy_now"))?,
            energy_full: read_num(&dir.join("energy_full"))?,
            charge_now: read_num(&dir.join("charge_now"))?,
            charge_full: read_num(&dir.join("charge_full"))?,
            power_now: read_num(&dir.join("power_now"))?,
            current_now: read_num(&dir.join("current_now"))?,
            // Only needed to weigh mixed packs: a gauge that cannot tell must not spoil the rest.
            voltage_min_design: read_num(&dir.join("voltage_min_design")).ok().flatten(),
            voltage_now: read_num(&dir.join("voltage_now")).ok().flatten(),
            kind,
        }))
    }

    fn is_system_battery(&self) -> bool {
        self.kind == "Battery" && !self.peripheral && !self.absent
    }

    fn status_is(&self, word: &str) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    }

    /// µV to turn charge into energy: the design minimum, else the present voltage.
    fn volts(&self) -> Option<u64> {
        self.voltage_min_design
            .or(self.voltage_now)
            .filter(|v| *v > 0)
    }

    fn to_energy(&self, charge: Option<u64>) -> Option<u64> {
        Some(
            (u128::from(charge?) * u128::from(self.volts()?) / 1_000_000).min(u128::from(u64::MAX))
                as u64,
        )
    }

    /// µWh left, reported or worked out from the charge.
    fn energy_now_any(&self) -> Option<u64> {
        self.energy_now.or_else(|| self.to_energy(self.charge_now))
    }

    fn energy_full_any(&self) -> Option<u64> {
        self.energy_full
            .or_else(|| self.to_energy(self.charge_full))
    }

    /// µW, reported or worked out from the current and the present voltage.
    fn power_any(&self) -> Option<i64> {
        self.power_now
            .filter(|p| *p != 0)
            .or_else(|| {
                let current = i128::from(self.current_now?);
                let volts = i128::from(self.voltage_now.or(self.voltage_min_design)?);
                Some(
                    (current * volts / 1_000_000).clamp(i128::from(i64::MIN), i128::from(i64::MAX))
                        as i64,
                )
            })
            // An idle pack (ThinkPads drain one at a time) says 0 W and nothing else.
            .or(self.power_now)
    }

    /// The signed rate, when the driver reports one (power first, else current).
    fn rate(&self) -> Option<i64> {
        let nonzero = |r: &i64| *r != 0;
        self.power_now
            .filter(nonzero)
            .or(self.current_now.filter(nonzero))
            .or(self.power_now)
            .or(self.current_now)
    }

    /// The battery says it is losing charge: its status, or the sign of its current or power
    /// (negative while discharging, in the power-supply ABI). While its status says it charges
    /// or rests full, a rate just below zero (under 50 mA or 0.5 W) is the fuel gauge's noise.
    /// A "Discharging" status with a rate of 0 while a charger is online is the firmware of a
    /// full battery resting on the charger, not a drain (UPower reads it the same way).
    fn draining(&self, external_online: bool) -> bool {
        let settled =
            self.status_is("charging") || self.status_is("full") || self.status_is("not charging");
        let noise = self.measured().is_some_and(|(rate, floor)| rate > -floor);
        let negative = self.rate().is_some_and(|r| r < 0) && !(settled && noise);
        let resting = external_online && self.rate() == Some(0);
        negative || (self.status_is("discharging") && !resting)
    }

    /// Nothing measurable flows in or out: no rate reported, or one within the fuel gauge's
    /// noise either way, as in [`Supply::draining`].
    fn still(&self) -> bool {
        self.measured()
            .is_none_or(|(rate, floor)| rate.abs() < floor)
    }

    /// The rate the gauge reports with the noise it is read to: power (µW, under 0.5 W is
    /// noise) when it is not 0, else current (µA, under 50 mA); `None` when neither is given.
    fn measured(&self) -> Option<(i64, i64)> {
        match (self.power_now.filter(|p| *p != 0), self.current_now) {
            (Some(p), _) => Some((p, 500_000)),
            (None, Some(c)) => Some((c, 50_000)),
            (None, None) => None,
        }
    }
}

/// A supply that belongs to a peripheral: `scope` says Device, its name is a HID driver's, or its
/// device path runs through a HID device (`0003:046D:4082.0004`) or a Bluetooth connection, as
/// for mice, keyboards, controllers and headsets whose driver does not set `scope` (UPower
/// ignores the same ones).
fn is_peripheral(dir: &Path) -> Result<bool, ProbeError> {
    if read_opt(&dir.join("scope"))?.is_some_and(|s| s.eq_ignore_ascii_case("device")) {
        return Ok(true);
    }
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    if PERIPHERAL_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return Ok(true);
    }
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    Ok(real.components().any(|c| {
        let part = c.as_os_str().to_string_lossy();
        is_hid_device(&part) || part == "bluetooth"
    }))
}

/// Names the kernel's HID drivers give their batteries (Logitech, Wacom, Sony, Nintendo, and
/// the generic `hid-<address>-battery` of Bluetooth keyboards), some without `scope`.
const PERIPHERAL_PREFIXES: &[&str] = &[
    "hid-",
    "hidpp_battery",
    "wacom_battery",
    "sony_controller_battery",
    "ps-controller-battery",
    "nintendo_switch_controller_battery",
];

/// `BBBB:VVVV:PPPP.NNNN`, the name the kernel gives a HID device.
fn is_hid_device(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 9 => *c == b':',
            14 => *c == b'.',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Turns the supplies into what a user means by "on battery". Pure, so fixtures and property tests
/// reach every branch.
pub fn summarise(supplies: &[Supply]) -> PowerFacts {
    let batteries: Vec<&Supply> = supplies.iter().filter(|s| s.is_system_battery()).collect();
    // Mains, USB-C / USB-PD and wireless chargers all count as external power.
    let external: Vec<&Supply> = supplies
        .iter()
        .filter(|s| s.kind != "Battery" && !s.peripheral)
        .collect();
    if batteries.is_empty() {
        return PowerFacts {
            on_battery: Some(false),
            battery_percent: None,
            minutes_left: None,
        };
    }
    let external_online = external.iter().any(|s| s.online == Some(true));
    // What the battery says about itself outranks a port: a USB-C port can stay "online" after
    // the plug is pulled, or supply too little to run the laptop.
    let on_battery = if batteries.iter().any(|b| b.draining(external_online)) {
        Some(true)
    } else if external_online
        || batteries
            .iter()
            .any(|b| b.status_is("charging") || b.status_is("not charging"))
    {
        // "Not charging" means external power is there and the battery is held (a charge limit).
        Some(false)
    } else if !external.is_empty() && external.iter().all(|s| s.online == Some(false)) {
        // Every charger says it is off. A battery still saying "Full" while current flows out
        // of it has just been unplugged (as has one saying anything else but "Charging" or
        // "Not charging", handled above). With nothing flowing at all, the power comes from
        // somewhere: a charger whose `online` never turns on (ThinkPads on USB-C without a UCSI
        // supply, laptop-mode-tools#191) looks the same as a plug pulled a second ago, before
        // the gauge measured anything. One look cannot tell which, and Klaar says so.
        if batteries.iter().all(|b| b.status_is("full") && b.still()) {
            None
        } else {
            Some(true)
        }
    } else if batteries.iter().any(|b| b.status_is("full")) {
        Some(false)
    } else {
        None
    };
    let minutes_left = if on_battery == Some(true) {
        minutes_left(&batteries)
    } else {
        None
    };
    PowerFacts {
        on_battery,
        battery_percent: percent(&batteries),
        minutes_left,
    }
}

fn all<T>(batteries: &[&Supply], field: impl Fn(&Supply) -> Option<T>) -> Option<Vec<T>> {
    batteries.iter().map(|b| field(b)).collect()
}

/// Two batteries count together: weigh by their size when the kernel tells it. A pack that
/// holds more than its last full charge counts as full, so it cannot hide another one's deficit.
/// A pack whose last full charge reads 0 (a dead or phantom second battery: ThinkPads' BAT1
/// saying "Unknown, 0 %" beside a charging BAT0, Waybar#1856) holds nothing and weighs nothing;
/// it does not pull the percentage down to the mean of the two.
fn percent(batteries: &[&Supply]) -> Option<u8> {
    let pairs = |now: fn(&Supply) -> Option<u64>, full: fn(&Supply) -> Option<u64>| {
        batteries
            .iter()
            .map(|b| Some((now(b)?.min(full(b)?), full(b)?)))
            .collect::<Option<Vec<(u64, u64)>>>()
    };
    let ratio = |pairs: Vec<(u64, u64)>| {
        let (now, full) = pairs.iter().fold((0u128, 0u128), |(n, f), (a, b)| {
            (n + *a as u128, f + *b as u128)
        });
        (full > 0).then(|| {
            ((now as f64 / full as f64) * 100.0)
                .round()
                .clamp(0.0, 100.0) as u8
        })
    };
    // One battery in energy, the other in charge (a ThinkPad's internal and replacement packs):
    // charge times the pack's voltage is energy, as UPower counts.
    type Reading = fn(&Supply) -> Option<u64>;
    let ways: [(Reading, Reading); 3] = [
        (|b| b.energy_now, |b| b.energy_full),
        (|b| b.charge_now, |b| b.charge_full),
        (Supply::energy_now_any, Supply::energy_full_any),
    ];
    // A pack reading a full charge of 0 but a percentage above 0 (a hot-swapped pack whose
    // gauge has not calibrated yet) cannot be weighed: then its percentage counts instead.
    let empty = |b: &Supply| b.capacity.unwrap_or(0) == 0;
    for (now, full) in ways {
        if batteries.iter().any(|b| full(b) == Some(0) && !empty(b)) {
            continue;
        }
        if let Some(p) = pairs(now, full).and_then(ratio) {
            return Some(p);
        }
    }
    // Only percentages: the packs known to hold nothing are left out while another one counts.
    let holding: Vec<&Supply> = batteries
        .iter()
        .copied()
        .filter(|b| !(b.energy_full_any() == Some(0) && empty(b)))
        .collect();
    let batteries = if holding.is_empty() {
        batteries
    } else {
        &holding
    };
    let capacities = all(batteries, |b| b.capacity)?;
    if capacities.is_empty() {
        return None;
    }
    Some((capacities.iter().map(|&c| u32::from(c)).sum::<u32>() / capacities.len() as u32) as u8)
}

/// Energy left over the rate it drains at. A rate of 0 right after unplugging means "no estimate".
fn minutes_left(batteries: &[&Supply]) -> Option<u32> {
    // Summed wide: odd firmware figures must not overflow.
    let estimate = |left: Vec<u64>, rate: Vec<i64>| {
        let rate: u128 = rate.iter().map(|r| u128::from(r.unsigned_abs())).sum();
        let left: u128 = left.iter().map(|&l| u128::from(l)).sum();
        (rate > 0).then(|| {
            (left as f64 / rate as f64 * 60.0)
                .round()
                .min(f64::from(u32::MAX)) as u32
        })
    };
    if let (Some(left), Some(rate)) = (
        all(batteries, |b| b.energy_now),
        all(batteries, |b| b.power_now),
    ) {
        return estimate(left, rate);
    }
    if let (Some(left), Some(rate)) = (
        all(batteries, |b| b.charge_now),
        all(batteries, |b| b.current_now),
    ) {
        return estimate(left, rate);
    }
    if let (Some(left), Some(rate)) = (
        all(batteries, Supply::energy_now_any),
        all(batteries, Supply::power_any),
    ) {
        return estimate(left, rate);
    }
    None
}

/// The attributes of a power supply this probe reads (and a capture copies).
const POWER_FILES: &[&str] = &[
    "type",
    "scope",
    "present",
    "voltage_min_design",
    "voltage_now",
    "online",
    "status",
    "capacity",
    "energy_now",
    "energy_full",
    "charge_now",
    "charge_full",
    "power_now",
    "current_now",
    "uevent",
];

/// What `klaar debug capture` copies for this probe: each power supply's attributes above.
pub fn capture(
    w: &crate::capture::Writer,
    _from: &Root,
    summary: &mut crate::capture::Summary,
) -> Result<(), crate::capture::CaptureError> {
    w.dir(std::path::Path::new("sys/class/power_supply"))?;
    for name in crate::sysfs::list_dir(&w.from.join("sys/class/power_supply")).unwrap_or_default() {
        let dir = w.class_entry("sys/class/power_supply", &name)?;
        for file in POWER_FILES {
            w.file(&dir.join(file))?;
        }
        summary.power_supplies += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn battery(status: &str, energy_now: u64, energy_full: u64, power_now: i64) -> Supply {
        Supply {
            kind: "Battery".into(),
            status: Some(status.into()),
            energy_now: Some(energy_now),
            energy_full: Some(energy_full),
            power_now: Some(power_now),
            ..Supply::default()
        }
    }

    fn mains(online: bool) -> Supply {
        Supply {
            kind: "Mains".into(),
            online: Some(online),
            ..Supply::default()
        }
    }

    fn check(
        supplies: &[Supply],
        on_battery: Option<bool>,
        percent: Option<u8>,
        minutes: Option<u32>,
    ) {
        let facts = summarise(supplies);
        assert_eq!(
            (facts.on_battery, facts.battery_percent, facts.minutes_left),
            (on_battery, percent, minutes),
            "{supplies:#?}"
        );
    }

    #[test]
    fn rules() {
        check(&[], Some(false), None, None);
        check(&[mains(true)], Some(false), None, None);
        check(
            &[
                mains(false),
                battery("Discharging", 30_000_000, 60_000_000, 15_000_000),
            ],
            Some(true),
            Some(50),
            Some(120),
        );
        check(
            &[
                mains(true),
                battery("Charging", 30_000_000, 60_000_000, 15_000_000),
            ],
            Some(false),
            Some(50),
            None,
        );
        // Negative rates from some drivers.
        check(
            &[battery("Discharging", 10_000_000, 40_000_000, -20_000_000)],
            Some(true),
            Some(25),
            Some(30),
        );
        // Rate 0 right after unplugging: no estimate yet.
        check(
            &[
                mains(false),
                battery("Discharging", 10_000_000, 40_000_000, 0),
            ],
            Some(true),
            Some(25),
            None,
        );
        // Two batteries count together, weighed by size.
        check(
            &[
                battery("Discharging", 20_000_000, 20_000_000, 5_000_000),
                battery("Discharging", 0, 60_000_000, 5_000_000),
            ],
            Some(true),
            Some(25),
            Some(120),
        );
        // A USB-C supply that is online is external power (the battery does not say it drains).
        let usb_c = Supply {
            kind: "USB".into(),
            online: Some(true),
            ..Supply::default()
        };
        check(
            &[usb_c, battery("Unknown", 1, 2, 1)],
            Some(false),
            Some(50),
            None,
        );
    }

    fn usb_port(online: bool) -> Supply {
        Supply {
            kind: "USB".into(),
            online: Some(online),
            ..Supply::default()
        }
    }

    fn charge_battery(status: &str, current_now: i64) -> Supply {
        Supply {
            kind: "Battery".into(),
            status: Some(status.into()),
            charge_now: Some(4_257_000),
            charge_full: Some(4_300_000),
            current_now: Some(current_now),
            ..Supply::default()
        }
    }

    #[test]
    fn the_battery_draining_outranks_a_port_that_says_online() {
        // A USB-C port that has not noticed the plug is gone (Apple-silicon MacBooks, tps6598x).
        check(
            &[
                mains(false),
                charge_battery("Discharging", -334_000),
                usb_port(true),
            ],
            Some(true),
            Some(99),
            Some(765),
        );
        // A charger too weak for the laptop: online, yet the battery drains.
        check(
            &[
                usb_port(true),
                battery("Discharging", 30_000_000, 60_000_000, 9_000_000),
            ],
            Some(true),
            Some(50),
            Some(200),
        );
        // Only the sign of the current tells (status "Unknown" while it drains).
        check(
            &[usb_port(true), charge_battery("Unknown", -500_000)],
            Some(true),
            Some(99),
            Some(511),
        );
        // A full battery resting on the charger: some firmware says "Discharging" at rate 0.
        check(
            &[
                mains(true),
                battery("Discharging", 60_000_000, 60_000_000, 0),
            ],
            Some(false),
            Some(100),
            None,
        );
        // Charging with a positive current, port online: on the charger.
        check(
            &[usb_port(true), charge_battery("Charging", 1_200_000)],
            Some(false),
            Some(99),
            None,
        );
    }

    #[test]
    fn odd_figures_read_as_full_and_an_empty_bay_does_not_count() {
        // Energy above the last full charge: this pack is full; the other one still counts.
        check(
            &[
                mains(true),
                battery("Unknown", 21_000_000, 19_000_000, 0),
                battery("Charging", 9_000_000, 19_000_000, 1_500_000),
            ],
            Some(false),
            Some(74),
            None,
        );
        // A battery whose last full charge reads 0 falls back to the capacity figures.
        let broken = Supply {
            energy_full: Some(0),
            capacity: Some(40),
            power_now: None,
            ..battery("Discharging", 1, 0, 5)
        };
        check(&[broken], Some(true), Some(40), None);
        // An empty second bay (present = 0) is no battery at all.
        let empty_bay = Supply {
            absent: true,
            ..battery("Unknown", 0, 0, 0)
        };
        check(
            &[
                mains(false),
                battery("Discharging", 30_000_000, 60_000_000, 15_000_000),
                empty_bay,
            ],
            Some(true),
            Some(50),
            Some(120),
        );
    }

    #[test]
    fn chargers_that_say_off_and_gauges_that_wobble() {
        // Just unplugged at full: the battery still says "Full", the mains supply says off,
        // and current flows out of it (ACPI gives the magnitude only).
        check(
            &[
                mains(false),
                battery("Full", 60_000_000, 60_000_000, 9_000_000),
            ],
            Some(true),
            Some(100),
            Some(400),
        );
        // The same with nothing flowing: just unplugged, or a USB-C charger whose supply never
        // says online (laptop-mode-tools#191). Not "on battery", not "plugged in": undecided;
        // also with the gauge's noise, or with no rate reported at all.
        for rate in [0, -3_000, 200_000] {
            check(
                &[mains(false), battery("Full", 60_000_000, 60_000_000, rate)],
                None,
                Some(100),
                None,
            );
        }
        let no_rate = Supply {
            power_now: None,
            ..battery("Full", 60_000_000, 60_000_000, 0)
        };
        check(&[mains(false), no_rate], None, Some(100), None);
        // Any other word with every charger off is on battery, as before.
        for status in ["Unknown", "Discharging"] {
            let facts = summarise(&[mains(false), battery(status, 50_000_000, 60_000_000, 0)]);
            assert_eq!(facts.on_battery, Some(true), "{status}");
        }
        // Full on the charger with a fuel gauge reading a few milliamperes below zero.
        check(
            &[mains(true), charge_battery("Full", -3_000)],
            Some(false),
            Some(99),
            None,
        );
        // Still "Full" just after unplugging, with a stale port: the real drain counts.
        check(
            &[usb_port(true), charge_battery("Full", -334_000)],
            Some(true),
            Some(99),
            Some(765),
        );
        // "Not charging" (a charge limit) with an adapter that reads offline after resume.
        check(
            &[mains(false), charge_battery("Not charging", 0)],
            Some(false),
            Some(99),
            None,
        );
        // Charging says there is a charger, even one sysfs does not list as online.
        check(
            &[mains(false), charge_battery("Charging", 900_000)],
            Some(false),
            Some(99),
            None,
        );
        // power_now reads 0 while current_now tells the drain.
        let drain = Supply {
            power_now: Some(0),
            ..charge_battery("Unknown", -500_000)
        };
        check(&[usb_port(true), drain], Some(true), Some(99), Some(511));
        // Absurd figures do not overflow.
        let huge = battery("Discharging", u64::MAX, u64::MAX, i64::MIN);
        let facts = summarise(&[huge.clone(), huge]);
        assert_eq!(facts.on_battery, Some(true));
    }

    #[test]
    fn a_second_pack_that_holds_nothing_weighs_nothing() {
        // BAT0 charging at 90 %; BAT1 "Unknown" with a last full charge of 0 Wh (Waybar#1856).
        let phantom = Supply {
            capacity: Some(0),
            power_now: Some(0),
            ..battery("Unknown", 0, 0, 0)
        };
        let charging = Supply {
            capacity: Some(90),
            ..battery("Charging", 51_300_000, 57_000_000, 12_000_000)
        };
        check(
            &[mains(true), charging.clone(), phantom.clone()],
            Some(false),
            Some(90),
            None,
        );
        // A hot-swapped pack at 60 % whose gauge reads a full charge of 0: its percentage counts.
        let uncalibrated = Supply {
            capacity: Some(60),
            ..phantom.clone()
        };
        check(
            &[mains(true), charging.clone(), uncalibrated],
            Some(false),
            Some(75),
            None,
        );
        // The same with percentages only (no energy figures): still 90, not the mean 45.
        let bare = |b: &Supply| Supply {
            energy_now: None,
            ..b.clone()
        };
        check(
            &[mains(true), bare(&charging), bare(&phantom)],
            Some(false),
            Some(90),
            None,
        );
    }

    #[test]
    fn a_battery_in_energy_and_one_in_charge_weigh_by_their_size() {
        // A full 23 Wh internal pack reporting energy, a 71 Wh replacement at 10 % reporting
        // charge (6.2 Ah at 11.4 V): together about a third full, not the mean of 100 and 10.
        let internal = battery("Discharging", 23_200_000, 23_200_000, 4_000_000);
        let replacement = Supply {
            kind: "Battery".into(),
            status: Some("Discharging".into()),
            capacity: Some(10),
            charge_now: Some(620_000),
            charge_full: Some(6_200_000),
            current_now: Some(500_000),
            voltage_min_design: Some(11_400_000),
            voltage_now: Some(11_400_000),
            ..Supply::default()
        };
        // (23.2 + 7.07) / (23.2 + 70.68) Wh = 32 %; 30.27 Wh over 4 W + 5.7 W = 187 minutes.
        check(
            &[mains(false), internal.clone(), replacement.clone()],
            Some(true),
            Some(32),
            Some(187),
        );
        // ThinkPads drain one pack at a time: the idle one says 0 W and has no current.
        let idle = Supply {
            current_now: None,
            power_now: Some(0),
            ..replacement
        };
        // 30.27 Wh over 4 W.
        check(
            &[mains(false), internal, idle],
            Some(true),
            Some(32),
            Some(454),
        );
    }

    #[test]
    fn hid_device_names() {
        assert!(is_hid_device("0003:046D:4082.0004"));
        assert!(is_hid_device("0005:054C:09CC.0007"));
        assert!(!is_hid_device("PNP0C0A:00"));
        assert!(!is_hid_device("1-2:1.2"));
    }

    #[test]
    fn a_mouse_battery_is_not_a_laptop() {
        let mouse = Supply {
            peripheral: true,
            ..battery("Discharging", 1, 10, 1)
        };
        check(&[mouse], Some(false), None, None);
    }

    proptest! {
        #[test]
        fn summarise_never_panics_and_stays_in_range(
            caps in proptest::collection::vec((any::<Option<u64>>(), any::<Option<u64>>(), any::<Option<i64>>(), 0u8..=100, any::<bool>()), 0..4)
        ) {
            let supplies: Vec<Supply> = caps.into_iter().map(|(now, full, rate, cap, dis)| Supply {
                kind: "Battery".into(),
                status: Some(if dis { "Discharging" } else { "Unknown" }.into()),
                energy_now: now.map(|n| n % (1 << 40)), energy_full: full.map(|n| n % (1 << 40)),
                power_now: rate.map(|r| r % (1 << 40)), capacity: Some(cap), ..Supply::default()
            }).collect();
            let facts = summarise(&supplies);
            prop_assert!(facts.battery_percent.is_none_or(|p| p <= 100));
            if facts.on_battery != Some(true) { prop_assert!(facts.minutes_left.is_none()); }
        }
    }
}
