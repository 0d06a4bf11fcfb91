//! Open-loop load: requests leave on a fixed schedule whether or not earlier ones have been
//! answered (up to [`MAX_IN_FLIGHT`] at once), and each latency is measured from when its
//! request was due, so a server that stalls is charged for every request it held up, even past
//! that cap (no coordinated omission).

use hdrhistogram::Histogram;
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// What one run at one rate came to.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Requests per second asked for.
    pub rate: u32,
    /// Requests sent.
    pub sent: u64,
    /// Answers in the 2xx range.
    pub ok: u64,
    /// Answers outside it, and requests that got no answer.
    pub errors: u64,
    /// 2xx answers per second, from the first request due to the last answer.
    pub throughput: f64,
    /// Latency percentiles in milliseconds.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl Outcome {
    /// Errors as a share of requests sent.
    pub fn error_rate(&self) -> f64 {
        if self.sent == 0 { 0.0 } else { self.errors as f64 / self.sent as f64 }
    }
}

/// Requests in flight at most: past this the client, not the server, would run out (of file
/// descriptors). A request due while all are taken waits, and its wait counts in its latency.
const MAX_IN_FLIGHT: usize = 512;

/// Sends `rate` requests a second for `duration`; `request(i)` makes the i-th and tells
/// whether it was answered with a 2xx.
pub async fn open_loop<F, Fut>(rate: u32, duration: Duration, request: F) -> Outcome
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let total = (f64::from(rate) * duration.as_secs_f64()).round() as u64;
    let gap = Duration::from_secs_f64(1.0 / f64::from(rate.max(1)));
    let start = tokio::time::Instant::now();
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut answers = JoinSet::new();
    for i in 0..total {
        let due = start + gap.mul_f64(i as f64);
        tokio::time::sleep_until(due).await;
        let Ok(permit) = Arc::clone(&in_flight).acquire_owned().await else { break };
        let sent = request(i);
        let due = due.into_std();
        answers.spawn(async move {
            let answered = sent.await;
            drop(permit);
            (answered, due.elapsed())
        });
    }
    let mut latency =
        Histogram::<u64>::new(3).unwrap_or_else(|_| unreachable!("3 significant figures is valid"));
    let (mut ok, mut errors) = (0u64, 0u64);
    while let Some(answer) = answers.join_next().await {
        match answer {
            Ok((success, took)) => {
                if success {
                    ok += 1;
                } else {
                    errors += 1;
                }
                let _ = latency.record(took.as_micros().min(u128::from(u64::MAX)) as u64);
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = Instant::now().duration_since(start.into_std()).as_secs_f64();
    let ms = |micros: u64| micros as f64 / 1000.0;
    Outcome {
        rate,
        sent: total,
        ok,
        errors,
        throughput: ok as f64 / elapsed.max(f64::EPSILON),
        p50_ms: ms(latency.value_at_quantile(0.50)),
        p99_ms: ms(latency.value_at_quantile(0.99)),
        max_ms: ms(latency.max()),
    }
}
