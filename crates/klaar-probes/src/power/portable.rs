//! macOS and Windows: starship-battery. It reports no AC state, so "on battery" means a battery
//! that is discharging.

use crate::Root;
use klaar_facts::{PowerFacts, ProbeError};
use starship_battery::units::{energy::watt_hour, power::watt};
use starship_battery::State;

pub fn probe(_root: &Root) -> Result<PowerFacts, ProbeError> {
    let unavailable = |e: starship_battery::Error| ProbeError::Unreadable {
        path: "battery".into(),
        reason: e.to_string(),
    };
    let manager = starship_battery::Manager::new().map_err(unavailable)?;
    let mut batteries = Vec::new();
    for battery in manager.batteries().map_err(unavailable)? {
        batteries.push(battery.map_err(unavailable)?);
    }
    if batteries.is_empty() {
        // A desktop on mains.
        return Ok(PowerFacts {
            on_battery: Some(false),
            battery_percent: None,
            minutes_left: None,
        });
    }
    let energy: f64 = batteries
        .iter()
        .map(|b| f64::from(b.energy().get::<watt_hour>()))
        .sum();
    let full: f64 = batteries
        .iter()
        .map(|b| f64::from(b.energy_full().get::<watt_hour>()))
        .sum();
    let rate: f64 = batteries
        .iter()
        .map(|b| f64::from(b.energy_rate().get::<watt>()).abs())
        .sum();
    let discharging = batteries.iter().any(|b| b.state() == State::Discharging);
    let percent = (full > 0.0).then(|| (energy / full * 100.0).round().clamp(0.0, 100.0) as u8);
    let minutes_left = (discharging && rate > 0.0).then(|| (energy / rate * 60.0).round() as u32);
    Ok(PowerFacts {
        on_battery: Some(discharging),
        battery_percent: percent,
        minutes_left,
    })
}
