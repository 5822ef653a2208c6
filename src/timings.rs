//! `ENVGATE_TIMINGS=1`: how long each phase of a run took, on standard error.
//!
//! Speed is a feature, and the benchmarks under `bench/` time whole runs; this says
//! where inside a run the time goes (loading packs, parsing files, evaluating,
//! resolving the report, rendering) without a profiler.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    *START.get_or_init(|| {
        std::env::var_os("ENVGATE_TIMINGS")
            .is_some_and(|v| !v.is_empty() && v != "0")
            .then(Instant::now)
    })
}

/// Marks the start of the run; phases are timed from one mark to the next.
pub fn begin() {
    let _ = start();
}

/// Reports that `phase` ended now (with the time since the previous mark).
pub fn mark(phase: &str) {
    static LAST: std::sync::Mutex<Option<(Instant, f64)>> = std::sync::Mutex::new(None);
    let Some(started) = start() else {
        return;
    };
    let (now, cpu) = (Instant::now(), cpu_ms());
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let (since, cpu_since) = last.unwrap_or((started, 0.0));
    *last = Some((now, cpu));
    eprintln!(
        "envgate timings: {phase:<22} {:>8.1} ms wall {:>8.1} ms cpu  (total {:>8.1} ms, {} MB resident, peak {} MB)",
        (now - since).as_secs_f64() * 1000.0,
        cpu - cpu_since,
        (now - started).as_secs_f64() * 1000.0,
        memory_mb("VmRSS:"),
        memory_mb("VmHWM:"),
    );
}

/// A line of `/proc/self/status` in megabytes ("?" where there is none).
fn memory_mb(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with(field))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some((kb / 1024).to_string())
        })
        .unwrap_or_else(|| "?".into())
}

/// CPU time of the process so far, all threads (user and system): unlike wall time,
/// it does not grow when other programs compete for the cores.
fn cpu_ms() -> f64 {
    // SAFETY: getrusage fills the struct it is given and nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}
