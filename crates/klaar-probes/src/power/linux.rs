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
    pub peripheral: bool,
    pub online: Option<bool>,
    pub status: Option<String>,
    pub capacity: Option<u8>,
    pub energy_now: Option<u64>,
    pub energy_full: Option<u64>,
    pub charge_now: Option<u64>,
    pub charge_full: Option<u64>,
    /// µW; some drivers report a negative figure while discharging.
    pub power_now: Option<i64>,
    /// µA; idem.
    pub current_now: Option<i64>,
}

impl Supply {
    /// `None` when the entry vanished (its `type` is gone).
    fn read(dir: &Path) -> Result<Option<Supply>, ProbeError> {
        let Some(kind) = read_opt(&dir.join("type"))? else {
            return Ok(None);
        };
        let online = read_num::<u8>(&dir.join("online"))?.map(|v| v != 0);
        let capacity = read_num::<u16>(&dir.join("capacity"))?;
        if let Some(c) = capacity {
            if c > 100 {
                return Err(ProbeError::garbage(
                    dir.join("capacity").display().to_string(),
                    c.to_string(),
                ));
            }
        }
        Ok(Some(Supply {
            peripheral: read_opt(&dir.join("scope"))?
                .is_some_and(|s| s.eq_ignore_ascii_case("device")),
            online,
            status: read_opt(&dir.join("status"))?,
            capacity: capacity.map(|c| c as u8),
            energy_now: read_num(&dir.join("energy_now"))?,
            energy_full: read_num(&dir.join("energy_full"))?,
            charge_now: read_num(&dir.join("charge_now"))?,
            charge_full: read_num(&dir.join("charge_full"))?,
            power_now: read_num(&dir.join("power_now"))?,
            current_now: read_num(&dir.join("current_now"))?,
            kind,
        }))
    }

    fn is_system_battery(&self) -> bool {
        self.kind == "Battery" && !self.peripheral
    }

    fn status_is(&self, word: &str) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    }
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
    let discharging = batteries.iter().any(|b| b.status_is("discharging"));
    let on_battery = if external_online {
        Some(false)
    } else if discharging {
        Some(true)
    } else if batteries
        .iter()
        .any(|b| b.status_is("charging") || b.status_is("full") || b.status_is("not charging"))
    {
        Some(false)
    } else if !external.is_empty() && external.iter().all(|s| s.online == Some(false)) {
        Some(true)
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

/// Two batteries count together: weigh by their size when the kernel tells it.
fn percent(batteries: &[&Supply]) -> Option<u8> {
    let ratio = |now: Vec<u64>, full: Vec<u64>| {
        let full: u64 = full.iter().sum();
        (full > 0).then(|| {
            (now.iter().sum::<u64>() as f64 / full as f64 * 100.0)
                .round()
                .clamp(0.0, 100.0) as u8
        })
    };
    if let (Some(now), Some(full)) = (
        all(batteries, |b| b.energy_now),
        all(batteries, |b| b.energy_full),
    ) {
        return ratio(now, full);
    }
    if let (Some(now), Some(full)) = (
        all(batteries, |b| b.charge_now),
        all(batteries, |b| b.charge_full),
    ) {
        return ratio(now, full);
    }
    let capacities = all(batteries, |b| b.capacity)?;
    Some((capacities.iter().map(|&c| u32::from(c)).sum::<u32>() / capacities.len() as u32) as u8)
}

/// Energy left over the rate it drains at. A rate of 0 right after unplugging means "no estimate".
fn minutes_left(batteries: &[&Supply]) -> Option<u32> {
    let estimate = |left: Vec<u64>, rate: Vec<i64>| {
        let rate: u64 = rate.iter().map(|r| r.unsigned_abs()).sum();
        (rate > 0).then(|| (left.iter().sum::<u64>() as f64 / rate as f64 * 60.0).round() as u32)
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
    None
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
        // A USB-C supply that is online is external power.
        let usb_c = Supply {
            kind: "USB".into(),
            online: Some(true),
            ..Supply::default()
        };
        check(
            &[usb_c, battery("Discharging", 1, 2, 1)],
            Some(false),
            Some(50),
            None,
        );
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
