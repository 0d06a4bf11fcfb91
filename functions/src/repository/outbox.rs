//! The outbox: events written in the same transaction as the change that causes them (see
//! `jobslot_domain::events`), kept per site in time order until they expire. The delivery
//! side (webhooks, e-mail) reads them from here, or from the table's stream on AWS.

use super::{Repository, decode, encode, put};
use crate::store::{Condition, SkRange, Store, StoreError, Write, keys};
use jiff::SignedDuration;
use jobslot_domain::events::Event;
use jobslot_domain::ids::SiteId;

/// How long an event is kept: long enough for a day of delivery retries and a look back.
const KEPT: SignedDuration = SignedDuration::from_hours(30 * 24);

/// A fresh event id, in the order events were made (see [`crate::random::ordered_id`]).
pub(super) fn event_id() -> String {
    format!("ev_{}", crate::random::ordered_id())
}

/// The write that puts `event` in the outbox; unconditional, as its key is unique.
pub(super) fn event_write(event: &Event) -> Result<Write, StoreError> {
    let expires = event.at.checked_add(KEPT).map(|t| t.as_second()).ok();
    Ok(put(encode(keys::outbox_event(&event.site, event.at, &event.id), event, expires)?, Condition::Always))
}

impl<S: Store> Repository<S> {
    /// The site's events still kept, oldest first.
    pub async fn outbox(&self, site: &SiteId) -> Result<Vec<Event>, StoreError> {
        let items = self.store.query(&keys::outbox_partition(site), &SkRange::Prefix("EV#".into())).await?;
        items.iter().map(decode).collect()
    }
}
