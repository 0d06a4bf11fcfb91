//! The outbox: events written in the same transaction as the change that causes them (see
//! `jobslot_domain::events`), kept per site in time order until they expire, each with an
//! item in the index of events waiting for delivery (sharded across sites) that the
//! dispatcher removes once every message of the event is delivered or given up.

use super::{Repository, decode, encode, put};
use crate::store::{Condition, SkRange, Store, StoreError, Write, keys};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::events::Event;
use jobslot_domain::ids::SiteId;
use serde::{Deserialize, Serialize};

/// How long an event is kept: long enough for a day of delivery retries and a look back.
pub(super) const KEPT: SignedDuration = SignedDuration::from_hours(30 * 24);

/// A fresh event id, in the order events were made (see [`crate::random::ordered_id`]).
pub(super) fn event_id() -> String {
    format!("ev_{}", crate::random::ordered_id())
}

/// An event waiting for delivery, as its index item names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEvent {
    /// The event's site.
    pub site: SiteId,
    /// When it happened.
    pub at: Timestamp,
    #[allow(missing_docs)]
    pub id: String,
}

/// The writes that put `event` in the outbox and in the index of events waiting for
/// delivery; unconditional, as their keys are unique.
pub(super) fn event_writes(event: &Event) -> Result<[Write; 2], StoreError> {
    let expires = event.at.checked_add(KEPT).map(|t| t.as_second()).ok();
    let pending = PendingEvent { site: event.data.site.clone(), at: event.at, id: event.id.clone() };
    Ok([
        put(
            encode(keys::outbox_event(&event.data.site, event.at, &event.id), event, expires)?,
            Condition::Always,
        ),
        put(
            encode(keys::pending_delivery(&event.data.site, event.at, &event.id), &pending, expires)?,
            Condition::Always,
        ),
    ])
}

impl<S: Store> Repository<S> {
    /// The site's events still kept, oldest first.
    pub async fn outbox(&self, site: &SiteId) -> Result<Vec<Event>, StoreError> {
        let items = self.store.query(&keys::outbox_partition(site), &SkRange::Prefix("EV#".into())).await?;
        items.iter().map(decode).collect()
    }
}
