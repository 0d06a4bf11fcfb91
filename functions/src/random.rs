//! Randomness from the operating system, for ids and tokens.

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
