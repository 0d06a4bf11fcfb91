//! The embedded store: one redb file, for the local server and self-hosting.
//!
//! redb has one writer at a time and serialisable write transactions, so checking every
//! condition and then writing inside one write transaction is atomic and race-free.

use super::{Condition, Item, Key, SkRange, Store, StoreError, Write, check_gets, check_transaction};
use redb::{Database, ReadableTable, TableDefinition};
use std::path::Path;
use std::sync::Arc;

/// `(PK, SK) → (JSON, expires_at)`.
const ITEMS: TableDefinition<(&str, &str), (&str, Option<i64>)> = TableDefinition::new("items");

/// A [`Store`] in a local redb file.
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
}

impl EmbeddedStore {
    /// Opens the store at `path`, creating the file (not its directory) if needed.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = Database::create(path).map_err(backend)?;
        let txn = db.begin_write().map_err(backend)?;
        txn.open_table(ITEMS).map_err(backend)?;
        txn.commit().map_err(backend)?;
        Ok(Self { db: Arc::new(db) })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || work(&db)).await.map_err(backend)?
    }
}

fn backend(error: impl Into<anyhow::Error>) -> StoreError {
    StoreError::Backend(error.into())
}

fn item(pk: &str, sk: &str, (data, expires_at): (&str, Option<i64>)) -> Item {
    Item { key: Key::new(pk, sk), data: data.to_owned(), expires_at }
}

impl Store for EmbeddedStore {
    async fn get(&self, key: &Key) -> Result<Option<Item>, StoreError> {
        let key = key.clone();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let table = txn.open_table(ITEMS).map_err(backend)?;
            let found = table.get((key.pk.as_str(), key.sk.as_str())).map_err(backend)?;
            Ok(found.map(|v| item(&key.pk, &key.sk, v.value())))
        })
        .await
    }

    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Item>, StoreError> {
        check_gets(keys)?;
        let keys = keys.to_vec();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let table = txn.open_table(ITEMS).map_err(backend)?;
            let mut items = Vec::with_capacity(keys.len());
            for key in &keys {
                if let Some(v) = table.get((key.pk.as_str(), key.sk.as_str())).map_err(backend)? {
                    items.push(item(&key.pk, &key.sk, v.value()));
                }
            }
            Ok(items)
        })
        .await
    }

    async fn query(&self, pk: &str, range: &SkRange) -> Result<Vec<Item>, StoreError> {
        let (pk, range) = (pk.to_owned(), range.clone());
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let table = txn.open_table(ITEMS).map_err(backend)?;
            let from = match &range {
                SkRange::Prefix(p) => p.as_str(),
                SkRange::Between(from, _) => from.as_str(),
            };
            let mut items = Vec::new();
            for entry in table.range((pk.as_str(), from)..).map_err(backend)? {
                let (key, value) = entry.map_err(backend)?;
                let (entry_pk, sk) = key.value();
                if entry_pk != pk || !range.contains(sk) {
                    break;
                }
                items.push(item(entry_pk, sk, value.value()));
            }
            Ok(items)
        })
        .await
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        check_transaction(&writes)?;
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut table = txn.open_table(ITEMS).map_err(backend)?;
                let mut failed = Vec::new();
                for (index, write) in writes.iter().enumerate() {
                    let Write::Put { item, condition } = write else { continue };
                    let key = (item.key.pk.as_str(), item.key.sk.as_str());
                    let holds = match condition {
                        Condition::Always => true,
                        Condition::NotExists => table.get(key).map_err(backend)?.is_none(),
                        Condition::NotExistsOrExpired(now) => match table.get(key).map_err(backend)? {
                            None => true,
                            Some(v) => v.value().1.is_some_and(|at| at <= *now),
                        },
                        Condition::Unchanged(expected) => {
                            table.get(key).map_err(backend)?.is_some_and(|v| v.value().0 == expected.as_str())
                        }
                    };
                    if !holds {
                        failed.push(index);
                    }
                }
                if !failed.is_empty() {
                    // Dropping the transaction without committing aborts it.
                    return Err(StoreError::ConditionFailed(failed));
                }
                for write in &writes {
                    match write {
                        Write::Put { item, .. } => {
                            let key = (item.key.pk.as_str(), item.key.sk.as_str());
                            table.insert(key, (item.data.as_str(), item.expires_at)).map_err(backend)?;
                        }
                        Write::Delete { key } => {
                            table.remove((key.pk.as_str(), key.sk.as_str())).map_err(backend)?;
                        }
                    }
                }
            }
            txn.commit().map_err(backend)
        })
        .await
    }
}
