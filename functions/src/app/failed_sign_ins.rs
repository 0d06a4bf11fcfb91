//! Failed sign-ins per e-mail address, wherever they come from. Guessing one person's password
//! from many networks gets a few tries per window; the person's own successful sign-in starts
//! the count afresh, and a correct password never counts against them.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Addresses remembered at most; past this, those whose window has passed are forgotten (and
/// all of them if that is not enough), so made-up addresses cannot grow it without bound.
const REMEMBERED: usize = 100_000;

/// Counts failures per address within a window.
#[derive(Debug)]
pub struct FailedSignIns {
    limit: u32,
    window: Duration,
    entries: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
}

impl FailedSignIns {
    /// At most `limit` failures per address in any `window` from the first of them.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window, entries: Mutex::new(HashMap::new()) }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Seconds until `address` may try again, when it has failed `limit` times in its window.
    pub fn blocked_for(&self, address: &str) -> Option<u64> {
        let failures = *self.entries().get(address)?;
        let left = self.window.checked_sub(failures.since.elapsed())?;
        (failures.count >= self.limit).then(|| left.as_secs() + 1)
    }

    /// Counts a failed attempt for `address`.
    pub fn failed(&self, address: &str) {
        let mut entries = self.entries();
        if entries.len() >= REMEMBERED && !entries.contains_key(address) {
            entries.retain(|_, f| f.since.elapsed() < self.window);
            if entries.len() >= REMEMBERED {
                entries.clear();
            }
        }
        let now = Instant::now();
        let failures = entries.entry(address.to_owned()).or_insert(Failures { count: 0, since: now });
        if failures.since.elapsed() >= self.window {
            *failures = Failures { count: 0, since: now };
        }
        failures.count += 1;
    }

    /// Forgets `address`'s failures: its owner just signed in.
    pub fn succeeded(&self, address: &str) {
        self.entries().remove(address);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_blocks_its_address_only_and_a_success_starts_afresh() {
        let failures = FailedSignIns::new(2, Duration::from_secs(900));
        failures.failed("a@example.com");
        assert_eq!(failures.blocked_for("a@example.com"), None);
        failures.failed("a@example.com");
        assert!(failures.blocked_for("a@example.com").is_some_and(|s| (1..=900).contains(&s)));
        assert_eq!(failures.blocked_for("b@example.com"), None);
        failures.succeeded("a@example.com");
        assert_eq!(failures.blocked_for("a@example.com"), None);
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let failures = FailedSignIns::new(1, Duration::ZERO);
        failures.failed("a@example.com");
        assert_eq!(failures.blocked_for("a@example.com"), None);
    }
}
