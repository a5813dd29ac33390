//! A device held open only while the window keeps asking for it (the self-view's camera, the
//! level meter's microphone). The first ask starts a worker thread; the worker ends, and lets go
//! of the device, once nobody has asked for `IDLE`.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Let go of the device when nobody asked for it this long.
pub const IDLE: Duration = Duration::from_secs(2);

/// The worker's shared state: what it produced (`T`) and when it was last asked for.
#[derive(Default)]
pub struct Demand<T> {
    pub data: T,
    asked: Mutex<Option<Instant>>,
}

impl<T> Demand<T> {
    /// True once nobody asked for `IDLE`: the worker should stop.
    pub fn idle(&self) -> bool {
        lock(&self.asked).is_none_or(|at| at.elapsed() > IDLE)
    }

    /// For a worker that could not open its device: wait until nobody asks any more, so it is
    /// not tried again on every ask.
    pub fn wait_until_idle(&self) {
        while !self.idle() {
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

pub struct OnDemand<T>(Mutex<Option<Arc<Demand<T>>>>);

impl<T> Default for OnDemand<T> {
    fn default() -> Self {
        OnDemand(Mutex::new(None))
    }
}

impl<T: Default + Send + Sync + 'static> OnDemand<T> {
    /// Marks an ask, starting `worker` on a thread of its own when none runs.
    pub fn ask(&self, worker: fn(Arc<Demand<T>>)) -> Arc<Demand<T>> {
        let mut slot = lock(&self.0);
        let demand = match slot.as_ref().filter(|d| Arc::strong_count(d) > 1) {
            Some(running) => running.clone(),
            None => {
                let fresh = Arc::new(Demand::default());
                *slot = Some(fresh.clone());
                let handed = fresh.clone();
                *lock(&fresh.asked) = Some(Instant::now());
                std::thread::spawn(move || worker(handed));
                fresh
            }
        };
        *lock(&demand.asked) = Some(Instant::now());
        demand
    }

    /// Stops the worker (another device was chosen) and waits up to a second for it to let go
    /// of its device; the next ask starts a new worker, which opens the device chosen now.
    pub fn restart(&self) {
        let Some(old) = lock(&self.0).take() else {
            return;
        };
        *lock(&old.asked) = None;
        let until = Instant::now() + Duration::from_secs(1);
        while Arc::strong_count(&old) > 1 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether a worker still holds the device.
    pub fn is_running(&self) -> bool {
        lock(&self.0)
            .as_ref()
            .is_some_and(|d| Arc::strong_count(d) > 1)
    }
}

/// A lock that survives a panic elsewhere: the data is plain values.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Count(Mutex<u32>);

    fn counter(demand: Arc<Demand<Count>>) {
        while !demand.idle() {
            *lock(&demand.data.0) += 1;
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn one_worker_while_asked_and_none_after() {
        let on_demand = OnDemand::<Count>::default();
        let first = on_demand.ask(counter);
        let second = on_demand.ask(counter);
        assert!(Arc::ptr_eq(&first, &second), "one worker for both asks");
        assert!(on_demand.is_running());
        drop((first, second));
        std::thread::sleep(IDLE + Duration::from_millis(300));
        assert!(!on_demand.is_running());
    }

    #[test]
    fn a_restart_stops_the_worker_and_the_next_ask_starts_a_new_one() {
        let on_demand = OnDemand::<Count>::default();
        let first = on_demand.ask(counter);
        on_demand.restart();
        assert!(!on_demand.is_running(), "the old worker let go");
        let second = on_demand.ask(counter);
        assert!(!Arc::ptr_eq(&first, &second));
        assert!(on_demand.is_running());
    }
}
