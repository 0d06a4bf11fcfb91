//! Failed sign-ins, counted two ways so that guessing is slow and nobody can lock a person out.
//!
//! - Per client (network address): past its limit, a client waits before each further attempt,
//!   twice as long each time (up to the window), and is refused until then. One client's
//!   failures never hold back another.
//! - Per account, wherever the attempts come from: past its limit, every attempt on the account
//!   is held a little before it is checked, longer with each failure (up to a few seconds), and
//!   then answered as usual: a correct password still gets in.
//!
//! The counts live in memory (the local issuer is one process). When full, the table forgets
//! stale entries and then those below their limit, never one over it, so flooding it with
//! made-up addresses or clients cannot reset an attacker's count.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries remembered per table at most.
const REMEMBERED: usize = 100_000;
/// The longest an attempt on an account under attack is held.
const MAX_HOLD: Duration = Duration::from_secs(4);

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
    last: Instant,
}

/// Failures per key within a window.
#[derive(Debug)]
struct Counts {
    limit: u32,
    window: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, Failures>>,
}

impl Counts {
    fn new(limit: u32, window: Duration, capacity: usize) -> Self {
        Self { limit, window, capacity, entries: Mutex::new(HashMap::new()) }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The failures of `key` in its current window, and how many past the limit.
    fn get(&self, key: &str) -> Option<(Failures, u32)> {
        let failures = *self.entries().get(key)?;
        let current = failures.since.elapsed() < self.window;
        current.then(|| (failures, failures.count.saturating_sub(self.limit)))
    }

    fn failed(&self, key: &str) {
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            entries.retain(|_, f| f.since.elapsed() < self.window);
            if entries.len() >= self.capacity {
                entries.retain(|_, f| f.count >= self.limit);
            }
            if entries.len() >= self.capacity {
                // Every entry is over its limit: keep counting those rather than a newcomer.
                return;
            }
        }
        let now = Instant::now();
        let failures = entries.entry(key.to_owned()).or_insert(Failures { count: 0, since: now, last: now });
        if failures.since.elapsed() >= self.window {
            *failures = Failures { count: 0, since: now, last: now };
        }
        failures.count += 1;
        failures.last = now;
    }

    fn forget(&self, key: &str) {
        self.entries().remove(key);
    }
}

/// Twice `base` for each failure past the limit, from `base` for the first, at most `max`.
fn doubling(base: Duration, past: u32, max: Duration) -> Duration {
    base.checked_mul(1 << past.saturating_sub(1).min(20)).unwrap_or(max).min(max)
}

/// Failed sign-ins per client and per account.
#[derive(Debug)]
pub struct FailedSignIns {
    clients: Counts,
    accounts: Counts,
}

impl FailedSignIns {
    /// At most `limit` failures per client, and per account, in any `window` before attempts
    /// are slowed.
    pub fn new(limit: u32, window: Duration) -> Self {
        Self::with_capacity(limit, window, REMEMBERED)
    }

    fn with_capacity(limit: u32, window: Duration, capacity: usize) -> Self {
        Self { clients: Counts::new(limit, window, capacity), accounts: Counts::new(limit, window, capacity) }
    }

    /// Seconds `client` must wait before its next attempt, once it is past its limit: a second
    /// after the first failure past it, doubling with each further one, at most the window.
    pub fn client_blocked_for(&self, client: &str) -> Option<u64> {
        let (failures, past) = self.clients.get(client)?;
        if past == 0 {
            return None;
        }
        let wait = doubling(Duration::from_secs(1), past, self.clients.window);
        let left = wait.checked_sub(failures.last.elapsed())?;
        Some(left.as_secs() + 1)
    }

    /// How long an attempt on `account` is held before it is checked: nothing until it is past
    /// its limit, then a quarter second doubling with each failure, at most [`MAX_HOLD`].
    pub fn account_hold(&self, account: &str) -> Duration {
        match self.accounts.get(account) {
            Some((_, past)) if past > 0 => doubling(Duration::from_millis(250), past, MAX_HOLD),
            _ => Duration::ZERO,
        }
    }

    /// Counts a failed attempt by `client` on `account` (an address, known or not).
    pub fn failed(&self, client: &str, account: Option<&str>) {
        self.clients.failed(client);
        if let Some(account) = account {
            self.accounts.failed(account);
        }
    }

    /// Forgets the failures of `client` and of `account`: its owner just signed in from there.
    pub fn succeeded(&self, client: &str, account: &str) {
        self.clients.forget(client);
        self.accounts.forget(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_past_its_limit_waits_doubling_times_and_blocks_nobody_else() {
        let failures = FailedSignIns::new(2, Duration::from_secs(900));
        failures.failed("203.0.113.9", Some("a@example.com"));
        failures.failed("203.0.113.9", Some("a@example.com"));
        assert_eq!(failures.client_blocked_for("203.0.113.9"), None, "at the limit, not past it");
        failures.failed("203.0.113.9", Some("a@example.com"));
        assert_eq!(failures.client_blocked_for("203.0.113.9"), Some(1));
        failures.failed("203.0.113.9", Some("a@example.com"));
        assert_eq!(failures.client_blocked_for("203.0.113.9"), Some(2));
        failures.failed("203.0.113.9", Some("a@example.com"));
        assert_eq!(failures.client_blocked_for("203.0.113.9"), Some(4));
        assert_eq!(failures.client_blocked_for("198.51.100.7"), None, "another client goes on");
    }

    #[test]
    fn an_account_under_attack_is_held_longer_with_each_failure_but_never_refused() {
        let failures = FailedSignIns::new(2, Duration::from_secs(900));
        for n in 0..2 {
            failures.failed(&format!("192.0.2.{n}"), Some("owner@example.com"));
        }
        assert_eq!(failures.account_hold("owner@example.com"), Duration::ZERO);
        failures.failed("192.0.2.9", Some("owner@example.com"));
        assert_eq!(failures.account_hold("owner@example.com"), Duration::from_millis(250));
        for n in 10..30 {
            failures.failed(&format!("192.0.2.{n}"), Some("owner@example.com"));
        }
        assert_eq!(failures.account_hold("owner@example.com"), MAX_HOLD);
        failures.succeeded("198.51.100.7", "owner@example.com");
        assert_eq!(failures.account_hold("owner@example.com"), Duration::ZERO);
    }

    #[test]
    fn flooding_the_table_forgets_harmless_entries_never_an_attackers_count() {
        let failures = FailedSignIns::with_capacity(2, Duration::from_secs(900), 4);
        for _ in 0..3 {
            failures.failed("attacker", Some("owner@example.com"));
        }
        for n in 0..100 {
            failures.failed(&format!("made-up-{n}"), Some(&format!("nobody-{n}@example.com")));
        }
        assert_eq!(failures.client_blocked_for("attacker"), Some(1));
        assert_eq!(failures.account_hold("owner@example.com"), Duration::from_millis(250));
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let failures = FailedSignIns::new(1, Duration::ZERO);
        failures.failed("203.0.113.9", Some("a@example.com"));
        failures.failed("203.0.113.9", Some("a@example.com"));
        assert_eq!(failures.client_blocked_for("203.0.113.9"), None);
        assert_eq!(failures.account_hold("a@example.com"), Duration::ZERO);
    }
}
