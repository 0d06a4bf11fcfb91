//! Delivery records: one per message of an event (the customer's e-mail, the office's, a
//! webhook), claimed before sending so two dispatchers never send one message at once, and
//! marked delivered or failed afterwards.

use super::outbox::PendingEvent;
use super::{Repository, decode, encode, put};
use crate::store::{Condition, Item, SkRange, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::events::Event;
use jobslot_domain::ids::SiteId;
use serde::{Deserialize, Serialize};

/// Where one message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not sent yet, or to be tried again at `next_attempt_at`.
    Pending,
    /// A dispatcher is sending it; another may take over after `next_attempt_at`.
    Sending,
    /// Accepted by the mail server or the endpoint.
    Delivered,
    /// Given up: retried for a day without success.
    Failed,
}

/// The delivery record of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The event.
    pub event_id: String,
    /// Who the message is for (`customer`, `business`).
    pub audience: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// When it may be tried (again): the retry time, or a sender's lease.
    pub next_attempt_at: Timestamp,
    /// Why the last attempt failed (the server's or the network's words, no message content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it was delivered or given up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<Timestamp>,
}

/// A delivery record as read, with what a write over it must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDelivery {
    /// The record.
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
}
