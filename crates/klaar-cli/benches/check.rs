//! `cargo xtask bench`: all non-media probes together on this machine, and the engine alone.
//! Prints median and 90th percentile; the goal for a full non-media check is ≤ 50 ms (median).

use klaar_checklist::{Engine, Lang};
use klaar_facts::*;
use klaar_probes::{runner, Root};
use std::time::{Duration, Instant};

fn measure(label: &str, runs: usize, mut f: impl FnMut()) {
    f(); // warm-up
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{label:<44} median {:>9.3} ms   p90 {:>9.3} ms   ({runs} runs)",
        ms(at(0.5)),
        ms(at(0.9))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let engine = Engine::builtin();
    let plan = engine.plan(&[]).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let root = Root::live();
    measure("full non-media check (probes + engine)", 200, || {
        runtime.block_on(async {
            let mut rx = runner::spawn(&plan.probes, &root, runner::DEFAULT_DEADLINE);
            let mut items = Vec::new();
            while let Some(result) = rx.recv().await {
                items.extend(engine.evaluate(&plan, &result, Lang::Nl));
            }
            std::hint::black_box(engine.report(items, 0));
        })
    });
    for probe in ProbeId::ALL {
        measure(&format!("probe {probe} alone"), 200, || {
            std::hint::black_box(klaar_probes::probe(probe, &root).ok());
        });
    }
    let results: Vec<ProbeResult> = ProbeId::ALL
        .iter()
        .map(|&probe| ProbeResult {
            probe,
            outcome: klaar_probes::probe(probe, &root),
            elapsed_ms: 0,
        })
        .collect();
    // A 1280×720 frame with a face-like middle and a bright border (goal ≤ 5 ms).
    let (w, h) = (1280, 720);
    let frame = klaar_probes::camera::picture::LumaFrame {
        width: w,
        height: h,
        luma: (0..w * h)
            .map(|i| {
                if (i % w) / 400 == 1 {
                    60
                } else {
                    200 + (i % 50) as u8
                }
            })
            .collect(),
    };
    measure("picture analysis, 1280x720 frame", 500, || {
        std::hint::black_box(klaar_probes::camera::picture::measure(&frame));
    });
    measure("engine alone (facts -> report)", 5000, || {
        let items = results
            .iter()
            .flat_map(|r| engine.evaluate(&plan, r, Lang::Nl))
            .collect();
        std::hint::black_box(engine.report(items, 0));
    });
}
