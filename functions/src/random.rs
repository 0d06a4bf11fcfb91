//! Randomness from the operating system, for ids, tokens and retry pauses.

/// `N` random bytes. The OS source failing is nothing a request causes or can recover from.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no OS randomness: {e}"));
    bytes
}

/// A random 64-bit number.
pub fn u64() -> u64 {
    u64::from_le_bytes(bytes())
}

/// Full-jitter exponential backoff: a random wait up to 25 ms × 2^(attempt−1), so contenders
/// that conflicted once do not collide again in lockstep.
pub fn backoff(attempt: u32) -> std::time::Duration {
    let ceiling_ms = 25u64 << attempt.saturating_sub(1).min(6);
    std::time::Duration::from_millis(u64() % (ceiling_ms + 1))
}
