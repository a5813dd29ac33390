//! Runs probes concurrently, each against its own deadline, and delivers results one by one as
//! they finish. A probe that overruns or panics becomes a [`ProbeError`]; the others go on.

use crate::Root;
use klaar_facts::{Facts, ProbeError, ProbeId, ProbeResult};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(2);

/// A probe as a job: boxed so tests can hand in slow or panicking ones.
pub type Job = Box<dyn FnOnce() -> Result<Facts, ProbeError> + Send + 'static>;

/// Starts the given probes on blocking threads. Must be called inside a tokio runtime. The
/// receiver yields one result per probe, fastest first, and closes after the last.
pub fn spawn(
    probes: &[ProbeId],
    root: &Root,
    deadline: Duration,
) -> UnboundedReceiver<ProbeResult> {
    let jobs = probes
        .iter()
        .map(|&id| {
            let root = root.clone();
            let job: Job = Box::new(move || crate::probe(id, &root));
            (id, job)
        })
        .collect();
    spawn_jobs(jobs, deadline)
}

/// `deadline` for each job, or longer where a probe needs it (`ProbeId::min_deadline_ms`).
pub fn spawn_jobs(jobs: Vec<(ProbeId, Job)>, deadline: Duration) -> UnboundedReceiver<ProbeResult> {
    let (tx, rx) = unbounded_channel();
    for (probe, job) in jobs {
        let tx = tx.clone();
        let deadline = deadline.max(Duration::from_millis(probe.min_deadline_ms()));
        tokio::spawn(async move {
            let started = Instant::now();
            let outcome =
                match tokio::time::timeout(deadline, tokio::task::spawn_blocking(job)).await {
                    Ok(Ok(outcome)) => outcome,
                    Ok(Err(join_error)) => Err(ProbeError::Crashed {
                        message: panic_message(join_error),
                    }),
                    // The blocking thread runs on; its answer is dropped. Callers that exit should
                    // shut the runtime down in the background rather than wait for it.
                    Err(_) => Err(ProbeError::TimedOut {
                        deadline_ms: deadline.as_millis() as u64,
                    }),
                };
            let elapsed_ms = started.elapsed().as_millis() as u64;
            // The receiver may be gone (the window closed): nothing to do then.
            let _ = tx.send(ProbeResult {
                probe,
                outcome,
                elapsed_ms,
            });
        });
    }
    rx
}

fn panic_message(err: tokio::task::JoinError) -> String {
    match err.try_into_panic() {
        Ok(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string()),
        Err(err) => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use klaar_facts::PowerFacts;

    fn ok() -> Result<Facts, ProbeError> {
        Ok(Facts::Power(PowerFacts::default()))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hanging_and_a_panicking_probe_do_not_stop_the_others() {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let jobs: Vec<(ProbeId, Job)> = vec![
            (
                ProbeId::Power,
                Box::new(move || {
                    let _ = wait.recv(); // hangs until the test ends
                    ok()
                }),
            ),
            (ProbeId::Network, Box::new(|| panic!("device vanished"))),
            (ProbeId::Processes, Box::new(ok)),
        ];
        // Long enough that the panicking probe is over well before it, even on a loaded
        // machine where printing the panic's backtrace takes a while (CI once took > 300 ms).
        let mut rx = spawn_jobs(jobs, Duration::from_millis(2000));
        let mut order = Vec::new();
        while let Some(result) = rx.recv().await {
            order.push((result.probe, result.outcome));
        }
        drop(release);
        assert_eq!(order.len(), 3);
        // The hung probe is reported last, as timed out; the others arrived before it.
        assert_eq!(
            order[2],
            (
                ProbeId::Power,
                Err(ProbeError::TimedOut { deadline_ms: 2000 })
            )
        );
        assert!(order.contains(&(
            ProbeId::Network,
            Err(ProbeError::Crashed {
                message: "device vanished".into()
            })
        )));
        assert!(order.contains(&(ProbeId::Processes, ok())));
    }
}
