//! Work orders created in advance, and the links their customers book them through.

use super::{ChangeRefused, Repository, StoredOrder, decode, encode, put, work_orders};
use crate::store::{Condition, Store, StoreError, keys};
use jobslot_domain::dispatch::HistoryEntry;
use jobslot_domain::ids::{SiteId, WorkOrderNumber};
use jobslot_domain::work_order::WorkOrder;
use serde::{Deserialize, Serialize};

/// What a booking link's item keeps: the SHA-256 of its token, never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct LinkRecord {
    token_hash: String,
}

/// A secret of the deployment, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Secret {
    hex: String,
}

/// Why a work order created in advance was not written.
#[derive(Debug, thiserror::Error)]
pub enum CreateRefused {
    /// The work-order number exists already (a random collision); nothing was written.
    #[error("work order number already used")]
    NumberTaken,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<S: Store> Repository<S> {
    /// Writes a work order that waits for its slot, its list entries, the history entry of
    /// its creation by `by`, and its booking link's `token_hash`, atomically.
    pub async fn create_unscheduled(
        &self,
        order: &WorkOrder,
        by: &str,
        token_hash: &str,
    ) -> Result<(), CreateRefused> {
        let mut writes = vec![put(
            encode(keys::work_order(&order.site, &order.number), order, None)?,
            Condition::NotExists,
        )];
        writes.extend(work_orders::list_writes(order)?);
        writes.push(work_orders::created_write(order, by)?);
        let link = LinkRecord { token_hash: token_hash.to_owned() };
        writes.push(put(
            encode(keys::work_order_link(&order.site, &order.number), &link, None)?,
            Condition::Always,
        ));
        match self.store.transact(writes).await {
            Ok(()) => Ok(()),
            Err(StoreError::ConditionFailed(_)) => Err(CreateRefused::NumberTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// The deployment's secret called `name` (a key for signing links), creating `fresh` as
    /// the secret if there is none yet. Concurrent first uses agree: the first write wins.
    pub async fn secret_or_insert(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
        let key = keys::secret(name);
        let read = |stored: Secret| hex::decode(stored.hex).map_err(|e| StoreError::Backend(e.into()));
        // Read first: after the very first use, the secret is always there.
        if let Some(stored) = self.load::<Secret>(&key).await? {
            return read(stored);
        }
        let record = Secret { hex: hex::encode(fresh) };
        match self.store.transact(vec![put(encode(key.clone(), &record, None)?, Condition::NotExists)]).await
        {
            Ok(()) => return Ok(fresh.to_vec()),
            Err(StoreError::ConditionFailed(_)) => {}
            Err(other) => return Err(other),
        }
        let stored: Secret = self
            .load(&key)
            .await?
            .ok_or_else(|| StoreError::Backend(anyhow::anyhow!("secret {name} vanished")))?;
        read(stored)
    }

    /// The token hash of the order's booking link, if it has one.
    pub async fn booking_link(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
    ) -> Result<Option<String>, StoreError> {
        let item = self.store.get(&keys::work_order_link(site, number)).await?;
        item.map(|item| decode::<LinkRecord>(&item).map(|link| link.token_hash)).transpose()
    }

    /// Replaces the booking link of `stored` with one whose token hashes to `token_hash`,
    /// with the history `entry`, if the order is as it was read: a customer who booked
    /// meanwhile keeps their booking, and the replacement is refused as [`ChangeRefused::Changed`].
    pub async fn replace_booking_link(
        &self,
        stored: &StoredOrder,
        token_hash: &str,
        entry: &HistoryEntry,
    ) -> Result<(), ChangeRefused> {
        let order = &stored.order;
        let link = LinkRecord { token_hash: token_hash.to_owned() };
        let writes = vec![
            // Rewritten as it is: the check that nobody booked or changed it meanwhile.
            put(
                encode(keys::work_order(&order.site, &order.number), order, None)?,
                Condition::Unchanged(stored.stored.clone()),
            ),
            put(encode(keys::work_order_link(&order.site, &order.number), &link, None)?, Condition::Always),
            work_orders::history_write(&order.site, &order.number, entry)?,
        ];
        match self.store.transact(writes).await {
            Ok(()) => Ok(()),
            Err(StoreError::ConditionFailed(_)) => Err(ChangeRefused::Changed),
            Err(other) => Err(ChangeRefused::Store(other)),
        }
    }
}
