//! Transactions whose conditional writes say what they stand for: a write is added with the
//! role its condition plays (the order as it was read, a slot's lock, an idempotency record,
//! …), and a cancelled transaction answers with the roles whose conditions failed, so no
//! caller decodes positions in a list of writes.

use super::Repository;
use crate::store::{Store, StoreError, Write};

/// The writes of one transaction, each conditional one with its role.
pub struct Transaction<R> {
    writes: Vec<Write>,
    roles: Vec<Option<R>>,
}

/// Why a transaction wrote nothing.
#[derive(Debug)]
pub enum Refused<R> {
    /// Conditions failed: the roles of those that had one (none when only a write with no
    /// role failed, such as an audit entry's id taken by chance).
    Conditions(Vec<R>),
    /// The store failed.
    Store(StoreError),
}

impl<R> Refused<R> {
    /// Whether the write standing for `role` is among those that failed.
    pub fn failed(&self, role: R) -> bool
    where
        R: PartialEq,
    {
        matches!(self, Refused::Conditions(roles) if roles.contains(&role))
    }
}

impl<R> Default for Transaction<R> {
    fn default() -> Self {
        Self { writes: Vec::new(), roles: Vec::new() }
    }
}

impl<R: Clone> Transaction<R> {
    /// An empty transaction.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a write whose failed condition means `role`.
    pub fn guarded(&mut self, role: R, write: Write) -> &mut Self {
        self.writes.push(write);
        self.roles.push(Some(role));
        self
    }

    /// Adds writes whose conditions, if any, need no telling apart.
    pub fn plain(&mut self, writes: impl IntoIterator<Item = Write>) -> &mut Self {
        for write in writes {
            self.writes.push(write);
            self.roles.push(None);
        }
        self
    }

    /// Writes everything or nothing.
    pub async fn commit<S: Store>(self, store: &S) -> Result<(), Refused<R>> {
        match store.transact(self.writes).await {
            Ok(()) => Ok(()),
            Err(StoreError::ConditionFailed(failed)) => Err(Refused::Conditions(
                failed.iter().filter_map(|i| self.roles.get(*i).cloned().flatten()).collect(),
            )),
            Err(other) => Err(Refused::Store(other)),
        }
    }
}

impl<S: Store> Repository<S> {
    /// Commits `transaction` built from this repository's writes.
    pub async fn commit<R: Clone>(&self, transaction: Transaction<R>) -> Result<(), Refused<R>> {
        transaction.commit(&self.store).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::embedded::EmbeddedStore;
    use crate::store::{Condition, Item, Key};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Role {
        Order,
        Lock,
    }

    fn put(pk: &str, condition: Condition) -> Write {
        Write::Put { item: Item { key: Key::new(pk, "S"), data: "{}".into(), expires_at: None }, condition }
    }

    #[tokio::test]
    async fn a_cancellation_names_the_roles_of_the_writes_that_failed() {
        let dir = tempfile::tempdir().expect("dir");
        let store = EmbeddedStore::open(&dir.path().join("store.redb")).expect("store");
        store.transact(vec![put("LOCK#1", Condition::Always)]).await.expect("seed");
        let mut tx = Transaction::new();
        tx.guarded(Role::Order, put("ORDER", Condition::NotExists))
            .plain([put("AUDIT", Condition::NotExists)])
            .guarded(Role::Lock, put("LOCK#1", Condition::NotExists));
        let refused = tx.commit(&store).await.expect_err("the lock is taken");
        assert!(refused.failed(Role::Lock) && !refused.failed(Role::Order), "{refused:?}");
        assert_eq!(store.get(&Key::new("ORDER", "S")).await.expect("get"), None, "nothing written");
    }
}
