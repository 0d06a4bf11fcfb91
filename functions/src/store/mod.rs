//! Persistence behind one small port: items addressed by a partition and a sort key, range
//! queries inside a partition, and atomic conditional multi-item writes.
//!
//! The port is shaped after a DynamoDB single table, so the DynamoDB adapter is a thin mapping
//! and the embedded adapter (redb) implements the same semantics in one local file. The key
//! patterns live in [`keys`], shared by both; typed access lives in [`crate::repository`].

pub mod dynamodb;
pub mod embedded;
pub mod keys;

use std::collections::BTreeMap;
use std::future::Future;

/// Where an item lives: its partition key and its sort key. It prints (`{}` and `{:?}`) with
/// any part holding an e-mail address (a local account's key) elided, so that no log line or
/// error carries one.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Partition key.
    pub pk: String,
    /// Sort key.
    pub sk: String,
}

/// `key` with each `#`-separated part that holds an `@` written as `…`.
fn redacted(key: &str) -> String {
    key.split('#').map(|part| if part.contains('@') { "…" } else { part }).collect::<Vec<_>>().join("#")
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", redacted(&self.pk), redacted(&self.sk))
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({self})")
    }
}

impl Key {
    /// A key from its two parts.
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self { pk: pk.into(), sk: sk.into() }
    }
}

/// A stored item: a key, a JSON document, and an optional expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Where it lives.
    pub key: Key,
    /// The record, as JSON.
    pub data: String,
    /// Unix seconds after which the item counts as absent (a DynamoDB TTL attribute).
    pub expires_at: Option<i64>,
}

impl Item {
    /// True when the item has expired by `now` (Unix seconds). Expired items may still be
    /// stored, since DynamoDB deletes them lazily; readers treat them as absent.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// The entries of a map item (see [`Write::Entries`]), by name.
pub fn entries_of(data: &str) -> Result<BTreeMap<String, String>, StoreError> {
    serde_json::from_str(data).map_err(|e| {
        StoreError::Backend(anyhow::anyhow!("a map item is not an object of strings ({:?})", e.classify()))
    })
}

/// Which sort keys of a partition a query returns, in ascending order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkRange {
    /// Sort keys starting with this prefix.
    Prefix(String),
    /// Sort keys between the two bounds, both inclusive.
    Between(String, String),
}

impl SkRange {
    /// True when `sk` is inside the range.
    pub fn contains(&self, sk: &str) -> bool {
        match self {
            SkRange::Prefix(p) => sk.starts_with(p.as_str()),
            SkRange::Between(from, to) => from.as_str() <= sk && sk <= to.as_str(),
        }
    }
}

/// What must hold for a write to happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Write whatever is there.
    Always,
    /// Only if no item has the key.
    NotExists,
    /// Only if no item has the key, or the one there has expired by this instant (Unix s).
    NotExistsOrExpired(i64),
    /// Only if the item exists and its record is exactly this JSON: nobody changed it since
    /// it was read (optimistic concurrency without a version attribute).
    Unchanged(String),
}

/// One write of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    /// Create or replace an item.
    Put {
        #[allow(missing_docs)]
        item: Item,
        /// When to write it.
        condition: Condition,
    },
    /// Remove an item if present.
    Delete {
        #[allow(missing_docs)]
        key: Key,
    },
    /// Set and remove named string entries of a map item (one whose record is a JSON object
    /// of strings), creating it if absent, without reading it first: writers of different
    /// entries never fail each other's conditions, so many bookings can share one item.
    Entries {
        /// The map item.
        key: Key,
        /// Entries to create or replace, by name.
        set: Vec<(String, String)>,
        /// Names of entries to remove (absent ones are ignored).
        remove: Vec<String>,
    },
}

impl Write {
    /// The key written.
    pub fn key(&self) -> &Key {
        match self {
            Write::Put { item, .. } => &item.key,
            Write::Delete { key } | Write::Entries { key, .. } => key,
        }
    }
}

/// Most writes one transaction may hold (DynamoDB's limit).
pub const MAX_WRITES: usize = 100;
/// Most keys one [`Store::get_many`] may ask for (DynamoDB's `BatchGetItem` limit).
pub const MAX_GETS: usize = 100;

/// Why a store operation failed, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A write's condition did not hold; nothing was written. Carries the indices of the
    /// failed writes.
    #[error("transaction cancelled: condition failed on writes {0:?}")]
    ConditionFailed(Vec<usize>),
    /// The store gave up because of a concurrent transaction on the same items; retry.
    #[error("transaction conflicted with another one")]
    Conflict,
    /// The transaction was malformed (too many writes, one key twice).
    #[error("invalid transaction: {0}")]
    Invalid(String),
    /// The backend cannot serve now (unreachable, too slow, throttling, its own fault, a full
    /// disk) even after retries; the same request may succeed later.
    #[error("store unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// The backend failed.
    #[error("store backend failed")]
    Backend(#[source] anyhow::Error),
}

/// The persistence port. Implementations: [`embedded::EmbeddedStore`] and
/// [`dynamodb::DynamoStore`]; one conformance suite (`tests/store`) runs against both.
pub trait Store: Clone + Send + Sync + 'static {
    /// The item with this key, expired or not.
    fn get(&self, key: &Key) -> impl Future<Output = Result<Option<Item>, StoreError>> + Send;

    /// The items with these keys that exist, in no particular order (at most [`MAX_GETS`]).
    fn get_many(&self, keys: &[Key]) -> impl Future<Output = Result<Vec<Item>, StoreError>> + Send;

    /// Every item of partition `pk` whose sort key is in `range`, ascending.
    fn query(&self, pk: &str, range: &SkRange) -> impl Future<Output = Result<Vec<Item>, StoreError>> + Send;

    /// The first `limit` items of partition `pk` whose sort key is in `range`, ascending: a
    /// page of a long partition without reading the rest of it.
    fn query_page(
        &self,
        pk: &str,
        range: &SkRange,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Item>, StoreError>> + Send;

    /// All of `writes` or none of them: if any condition fails, nothing is written.
    fn transact(&self, writes: Vec<Write>) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Checks what both backends refuse: too many writes or one key written twice.
pub(crate) fn check_transaction(writes: &[Write]) -> Result<(), StoreError> {
    if writes.is_empty() || writes.len() > MAX_WRITES {
        return Err(StoreError::Invalid(format!("{} writes (1 to {MAX_WRITES} allowed)", writes.len())));
    }
    let mut keys: Vec<&Key> = writes.iter().map(Write::key).collect();
    keys.sort();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(StoreError::Invalid("one key written twice".into()));
    }
    for write in writes {
        if let Write::Entries { set, remove, .. } = write {
            let mut names: Vec<&str> =
                set.iter().map(|(n, _)| n.as_str()).chain(remove.iter().map(String::as_str)).collect();
            names.sort_unstable();
            if names.is_empty() || names.windows(2).any(|w| w[0] == w[1]) {
                return Err(StoreError::Invalid("a map write needs entries, each named once".into()));
            }
        }
    }
    Ok(())
}

/// Checks what `get_many` refuses: too many keys.
pub(crate) fn check_gets(keys: &[Key]) -> Result<(), StoreError> {
    if keys.len() > MAX_GETS {
        return Err(StoreError::Invalid(format!("{} keys (at most {MAX_GETS} allowed)", keys.len())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_prints_without_the_e_mail_address_it_holds() {
        let account = keys::account("Ann.Lee@Example.com");
        assert_eq!(account.to_string(), "ACCOUNT#…/ACCOUNT");
        assert_eq!(format!("{account:?}"), "Key(ACCOUNT#…/ACCOUNT)");
        let member = Key::new("SITE#acme", "MEMBER#u1");
        assert_eq!(member.to_string(), "SITE#acme/MEMBER#u1", "other keys print as they are");
    }
}
