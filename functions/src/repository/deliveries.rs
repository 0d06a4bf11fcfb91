//! Delivery records: one per message of an event (the customer's e-mail, the office's, a
//! webhook), claimed before sending so two dispatchers never send one message at once, and
//! marked delivered or failed afterwards.

use super::outbox::PendingEvent;
use super::{Repository, decode, encode, put};
use crate::store::{Condition, Item, SkRange, Store, StoreError, Write, keys};
use jobslot_domain::events::Event;
use jobslot_domain::ids::SiteId;
use jobslot_domain::notification::Delivery;

/// A delivery record as read, with what a write over it must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDelivery {
    #[allow(missing_docs)]
    pub delivery: Delivery,
    /// Exactly what is stored, for the next write's condition.
    stored: String,
}

/// A record written only if nobody else wrote it first; `false` when someone did.
pub type Won = bool;

impl<S: Store> Repository<S> {
    /// Up to `limit` events of one shard of the index still waiting for delivery, oldest first.
    pub async fn pending_events(&self, shard: u32, limit: usize) -> Result<Vec<PendingEvent>, StoreError> {
        let items = self
            .store
            .query_page(&keys::pending_partition(shard), &SkRange::Prefix("EV#".into()), limit)
            .await?;
        items.iter().map(decode).collect()
    }

    /// Up to `per_shard` of the oldest waiting events of each shard of the index.
    pub async fn waiting_events(&self, per_shard: usize) -> Result<Vec<PendingEvent>, StoreError> {
        let mut waiting = Vec::new();
        for shard in 0..keys::PENDING_SHARDS {
            waiting.extend(self.pending_events(shard, per_shard).await?);
        }
        Ok(waiting)
    }

    /// The event a pending item names, if still kept.
    pub async fn event(&self, pending: &PendingEvent) -> Result<Option<Event>, StoreError> {
        self.load(&keys::outbox_event(&pending.site, pending.at, &pending.id)).await
    }

    /// Takes the event out of the index: every message of it is delivered or given up.
    pub async fn settle_event(&self, pending: &PendingEvent) -> Result<(), StoreError> {
        let key = keys::pending_delivery(&pending.site, pending.at, &pending.id);
        self.store.transact(vec![Write::Delete { key }]).await
    }

    /// The delivery record of one message, if it has one yet.
    pub async fn delivery(
        &self,
        site: &SiteId,
        event_id: &str,
        audience: &str,
    ) -> Result<Option<StoredDelivery>, StoreError> {
        let item = self.store.get(&keys::delivery(site, event_id, audience)).await?;
        item.map(|item| Ok(StoredDelivery { delivery: decode(&item)?, stored: item.data })).transpose()
    }

    /// Writes `delivery` over `before` (none: over nothing) if that is still what is stored.
    pub async fn save_delivery(
        &self,
        site: &SiteId,
        before: Option<&StoredDelivery>,
        delivery: &Delivery,
    ) -> Result<(Won, StoredDelivery), StoreError> {
        let expires = delivery.next_attempt_at.checked_add(super::outbox::KEPT).map(|t| t.as_second()).ok();
        let item: Item =
            encode(keys::delivery(site, &delivery.event_id, &delivery.audience), delivery, expires)?;
        let condition = match before {
            Some(before) => Condition::Unchanged(before.stored.clone()),
            None => Condition::NotExists,
        };
        let stored = StoredDelivery { delivery: delivery.clone(), stored: item.data.clone() };
        match self.store.transact(vec![put(item, condition)]).await {
            Ok(()) => Ok((true, stored)),
            Err(StoreError::ConditionFailed(_)) => Ok((false, stored)),
            Err(other) => Err(other),
        }
    }

    /// The site's delivery records, oldest event first.
    pub async fn deliveries(&self, site: &SiteId) -> Result<Vec<Delivery>, StoreError> {
        let items = self.store.query(&keys::outbox_partition(site), &SkRange::Prefix("MSG#".into())).await?;
        items.iter().map(decode).collect()
    }

    /// Sends a settled message again: its record back to pending, `delivery`, and its event
    /// back in the index of events waiting for delivery, in one write, if the record is still
    /// `before`.
    pub async fn requeue(
        &self,
        site: &SiteId,
        before: &StoredDelivery,
        delivery: &Delivery,
    ) -> Result<bool, StoreError> {
        let expires = delivery.next_attempt_at.checked_add(super::outbox::KEPT).map(|t| t.as_second()).ok();
        let record = encode(keys::delivery(site, &delivery.event_id, &delivery.audience), delivery, expires)?;
        let pending =
            PendingEvent { site: site.clone(), at: delivery.event_at, id: delivery.event_id.clone() };
        let index =
            encode(keys::pending_delivery(site, delivery.event_at, &delivery.event_id), &pending, expires)?;
        let writes =
            vec![put(record, Condition::Unchanged(before.stored.clone())), put(index, Condition::Always)];
        match self.store.transact(writes).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed(_)) => Ok(false),
            Err(other) => Err(other),
        }
    }
}
