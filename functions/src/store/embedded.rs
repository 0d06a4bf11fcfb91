//! The embedded store: one redb file, for the local server and self-hosting.
//!
//! redb has one writer at a time and serialisable write transactions, so checking every
//! condition and then writing inside one write transaction is atomic and race-free.
//!
//! After an I/O error (a full disk) redb refuses every later call on that handle, so the store
//! drops the handle and opens the file again on the next call: once there is room again the
//! server works again without a restart. A commit that failed is not in the file.

use super::{
    Condition, Item, Key, SkRange, Store, StoreError, Write, check_gets, check_transaction, entries_of,
};
use redb::{Database, DatabaseError, ReadableTable, TableDefinition};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// `(PK, SK) → (JSON, expires_at)`.
const ITEMS: TableDefinition<(&str, &str), (&str, Option<i64>)> = TableDefinition::new("items");

type Opener = dyn Fn() -> Result<Database, DatabaseError> + Send + Sync;

/// A [`Store`] in a local redb file.
#[derive(Clone)]
pub struct EmbeddedStore {
    shared: Arc<Shared>,
}

struct Shared {
    open: Box<Opener>,
    /// `None` after an I/O error, until the next call opens the file again.
    db: Mutex<Option<Arc<Database>>>,
}

impl EmbeddedStore {
    /// Opens the store at `path`, creating the file (not its directory) if needed.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let path = path.to_owned();
        Self::open_with(move || Database::create(&path))
    }

    /// Opens the store on whatever `open` returns, and again with it after an I/O error
    /// (tests pass a database on a storage backend that fails on demand).
    pub fn open_with(
        open: impl Fn() -> Result<Database, DatabaseError> + Send + Sync + 'static,
    ) -> Result<Self, StoreError> {
        let shared = Shared { open: Box::new(open), db: Mutex::new(None) };
        shared.database().map_err(|error| match error {
            StoreError::Unavailable(cause) => StoreError::Backend(cause),
            other => other,
        })?;
        Ok(Self { shared: Arc::new(shared) })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let shared = Arc::clone(&self.shared);
        tokio::task::spawn_blocking(move || {
            let db = shared.database()?;
            let result = work(&db);
            if matches!(result, Err(StoreError::Unavailable(_))) {
                shared.forget(&db);
            }
            result
        })
        .await
        .map_err(|e| StoreError::Backend(e.into()))?
    }
}

impl Shared {
    /// The open database, opening the file if the last handle failed.
    fn database(&self) -> Result<Arc<Database>, StoreError> {
        let mut slot = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(db) = slot.as_ref() {
            return Ok(Arc::clone(db));
        }
        let db = match (self.open)() {
            Ok(db) => db,
            Err(DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::Unavailable(anyhow::anyhow!(
                    "the store's file is in use by another process (is another jobslot-local \
                     running on the same data directory?)"
                )));
            }
            Err(error) => return Err(backend(error)),
        };
        let txn = db.begin_write().map_err(backend)?;
        txn.open_table(ITEMS).map_err(backend)?;
        txn.commit().map_err(backend)?;
        let db = Arc::new(db);
        *slot = Some(Arc::clone(&db));
        Ok(db)
    }

    /// Drops the handle `failed` so the next call opens the file again. Calls still running
    /// on it keep it alive (and the file locked) until they end; opening meanwhile fails as
    /// unavailable, which the caller may retry.
    fn forget(&self, failed: &Arc<Database>) {
        let mut slot = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.as_ref().is_some_and(|db| Arc::ptr_eq(db, failed)) {
            *slot = None;
        }
    }
}

/// A redb failure: unavailable when the file could not be read or written (a full disk, a
/// failing device), which may pass; a plain backend failure otherwise.
fn backend(error: impl Into<redb::Error>) -> StoreError {
    match error.into() {
        error @ (redb::Error::Io(_) | redb::Error::PreviousIo) => StoreError::Unavailable(error.into()),
        error => StoreError::Backend(error.into()),
    }
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
        self.query_page(pk, range, usize::MAX).await
    }

    async fn query_page(&self, pk: &str, range: &SkRange, limit: usize) -> Result<Vec<Item>, StoreError> {
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
                if entry_pk != pk || !range.contains(sk) || items.len() >= limit {
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
                        Write::Entries { key, set, remove } => {
                            let at = (key.pk.as_str(), key.sk.as_str());
                            let current = table.get(at).map_err(backend)?.map(|v| v.value().0.to_owned());
                            let mut entries =
                                current.as_deref().map(entries_of).transpose()?.unwrap_or_default();
                            for name in remove {
                                entries.remove(name);
                            }
                            entries.extend(set.iter().cloned());
                            let data =
                                serde_json::to_string(&entries).map_err(|e| StoreError::Backend(e.into()))?;
                            table.insert(at, (data.as_str(), None)).map_err(backend)?;
                        }
                    }
                }
            }
            txn.commit().map_err(backend)
        })
        .await
    }
}
