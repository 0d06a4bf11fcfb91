//! Randomness from the operating system, for ids and tokens.

/// `N` random bytes. The OS source failing is nothing a request causes or can recover from.
pub fn bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no OS randomness: {e}"));
    bytes
}

/// An id that sorts after every id this process made before it, with a random part that keeps
/// processes apart: entries keyed by an instant and this id keep the order they were made in
/// even within one instant (one change's several events; a fixed test clock).
pub fn ordered_id() -> String {
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let sequence = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{sequence:016x}{}", hex::encode(bytes::<6>()))
}

/// A random 64-bit number.
pub fn u64() -> u64 {
    u64::from_le_bytes(bytes())
}
