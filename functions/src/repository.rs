//! Typed access to the store: sites, technicians, bookings, work orders, idempotency records,
//! and (in [`staff`]) members, operators and the local issuer's records.

mod account_mail;
mod audit;
mod connector;
mod deliveries;
mod outbox;
mod schedules;
mod staff;
mod technicians;
mod transaction;
mod webhooks;
mod work_orders;

pub use account_mail::{AccountMailRecord, WaitingAccountMail};
pub use audit::AuditWrite;
pub use connector::CreateRefused;
pub use deliveries::StoredDelivery;
pub use outbox::PendingEvent;
pub use staff::{Account, AccountRefused, MachineClient, Member, MemberChange, MemberChangeRefused};
pub use technicians::{Precondition, SaveRefused, version_of};
pub use transaction::{Refused, Transaction};
pub use webhooks::{SigningSecret, StoredWebhook, WebhookRecord};
pub use work_orders::{ChangeRefused, FollowedUp, ListEntry, ListView, StoredOrder};

use crate::store::{Condition, Item, Key, MAX_GETS, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::availability::grid_cells;
use jobslot_domain::booking::Booking;

use jobslot_domain::ids::{IdempotencyKey, SiteId, WorkOrderNumber};
use jobslot_domain::site::Site;
use jobslot_domain::work_order::WorkOrder;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// What was answered to the first request with an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// SHA-256 of the request body, to tell a retry from a different request.
    pub request_hash: String,
    /// The response given.
    pub response: WorkOrderCreated,
}

/// The lock item on one grid cell; its presence is what makes the cell taken.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SlotLock {
    work_order: WorkOrderNumber,
}

/// A booking with its work order, written together or not at all.
#[derive(Debug, Clone)]
pub struct NewBooking {
    #[allow(missing_docs)]
    pub booking: Booking,
    #[allow(missing_docs)]
    pub work_order: WorkOrder,
    /// The idempotency key and record to keep, with the record's expiry (Unix s).
    pub idempotency: Option<(IdempotencyKey, IdempotencyRecord, i64)>,
    /// Who booked it, for its history (`customer`, or a staff member's e-mail address).
    pub booked_by: String,
    /// The work order it follows up, linked to it in the same write.
    pub follows: Option<FollowedUp>,
}

/// Why a booking was not written.
#[derive(Debug, thiserror::Error)]
pub enum BookingRefused {
    /// Part of the time is already booked.
    #[error("the slot is taken")]
    SlotTaken,
    /// The work-order number exists already (a random collision).
    #[error("work order number already used")]
    NumberTaken,
    /// The work order followed up changed since it was read.
    #[error("the work order followed up changed")]
    FollowedChanged,
    /// The idempotency key was used by a concurrent or earlier request.
    #[error("idempotency key already used")]
    IdempotencyKeyTaken,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Typed records over any [`Store`].
#[derive(Clone)]
pub struct Repository<S> {
    store: S,
}

/// Decodes a stored record. The error names the item and where decoding failed, but not
/// serde's message, which can quote stored values (a customer's name or e-mail) into logs.
fn decode<T: DeserializeOwned>(item: &Item) -> Result<T, StoreError> {
    serde_json::from_str(&item.data).map_err(|e| {
        StoreError::Backend(anyhow::anyhow!(
            "item {} does not decode as {} ({:?} error at line {}, column {})",
            item.key,
            std::any::type_name::<T>(),
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

fn encode(key: Key, record: &impl Serialize, expires_at: Option<i64>) -> Result<Item, StoreError> {
    let data = serde_json::to_string(record).map_err(|e| StoreError::Backend(e.into()))?;
    Ok(Item { key, data, expires_at })
}

/// Reads `keys` in concurrent batches of at most [`MAX_GETS`].
async fn get_all<S: Store>(store: &S, keys: &[Key]) -> Result<Vec<Item>, StoreError> {
    let batches =
        futures_util::future::try_join_all(keys.chunks(MAX_GETS).map(|chunk| store.get_many(chunk))).await?;
    Ok(batches.into_iter().flatten().collect())
}

fn put(item: Item, condition: Condition) -> Write {
    Write::Put { item, condition }
}

/// What the conditional writes of a booking stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BookingWrite {
    /// The request's idempotency record: the key is new, or its record expired.
    Idempotency,
    /// The new work order: its number is free.
    Order,
    /// A grid cell of the technician's time: nobody holds it.
    SlotLock,
    /// The order this one follows up, as it was read.
    Followed,
}

impl<S: Store> Repository<S> {
    /// Typed records in `store`.
    pub fn new(store: S) -> Self {
        Self { store }
    }

    async fn load<T: DeserializeOwned>(&self, key: &Key) -> Result<Option<T>, StoreError> {
        self.store.get(key).await?.as_ref().map(decode).transpose()
    }

    /// A site's configuration.
    pub async fn site(&self, id: &SiteId) -> Result<Option<Site>, StoreError> {
        self.load(&keys::site(id)).await
    }

    /// Creates or replaces a site's configuration (seeding; staff edits use
    /// [`Repository::save_site_if`]).
    pub async fn save_site(&self, site: &Site) -> Result<(), StoreError> {
        let item = encode(keys::site(&site.id), site, None)?;
        let listed = encode(keys::site_listing(&site.id), &site.id, None)?;
        self.store.transact(vec![put(item, Condition::Always), put(listed, Condition::Always)]).await
    }

    /// A site with the version of its stored record.
    pub async fn site_versioned(&self, id: &SiteId) -> Result<Option<(Site, String)>, StoreError> {
        let Some(item) = self.store.get(&keys::site(id)).await? else { return Ok(None) };
        Ok(Some((decode(&item)?, version_of(&item))))
    }

    /// Saves a site if `precondition` holds, with `extra` writes (the audit entry, the first
    /// member) in the same transaction; returns the new version.
    pub async fn save_site_if(
        &self,
        site: &Site,
        precondition: Precondition,
        extra: Vec<Write>,
    ) -> Result<String, SaveRefused> {
        let key = keys::site(&site.id);
        let current = self.store.get(&key).await?;
        let condition = precondition.condition(current.as_ref())?;
        let item = encode(key, site, None)?;
        let version = version_of(&item);
        let mut tx = Transaction::new();
        tx.guarded((), put(item, condition))
            .plain([put(encode(keys::site_listing(&site.id), &site.id, None)?, Condition::Always)])
            .plain(extra);
        match self.commit(tx).await {
            Ok(()) => Ok(version),
            Err(refused) if refused.failed(()) => Err(SaveRefused::Changed),
            Err(Refused::Conditions(_)) => Err(StoreError::Conflict.into()),
            Err(Refused::Store(e)) => Err(e.into()),
        }
    }

    /// Every site's id (for operators).
    pub async fn site_ids(&self) -> Result<Vec<SiteId>, StoreError> {
        let (pk, range) = keys::site_listings();
        self.store.query(&pk, &range).await?.iter().map(decode).collect()
    }

    /// Writes a booking (its schedule sheet entries and slot locks), its work order and its
    /// idempotency record atomically.
    pub async fn create_booking(&self, new: &NewBooking) -> Result<(), BookingRefused> {
        let NewBooking { booking, work_order, idempotency, booked_by, follows } = new;
        let mut tx = Transaction::new();
        if let Some((key, record, expires_at)) = idempotency {
            let now = work_order.created_at.as_second();
            let record = encode(keys::idempotency(&booking.site, key), record, Some(*expires_at))?;
            tx.guarded(BookingWrite::Idempotency, put(record, Condition::NotExistsOrExpired(now)));
        }
        let order = encode(keys::work_order(&booking.site, &work_order.number), work_order, None)?;
        tx.guarded(BookingWrite::Order, put(order, Condition::NotExists));
        let lock = SlotLock { work_order: booking.work_order.clone() };
        for cell in grid_cells(&booking.time) {
            let key = keys::slot_lock(&booking.site, &booking.technician, cell);
            tx.guarded(BookingWrite::SlotLock, put(encode(key, &lock, None)?, Condition::NotExists));
        }
        tx.plain(schedules::sheet_writes(
            &booking.site,
            &booking.work_order,
            None,
            Some((&booking.technician, booking.time)),
        ))
        .plain(work_orders::list_writes(work_order)?)
        .plain([work_orders::created_write(work_order, booked_by)?])
        .plain(outbox::event_writes(&jobslot_domain::events::booked(work_order, outbox::event_id()))?);
        if let Some(followed) = follows {
            let mut writes = work_orders::change_writes(followed)?.into_iter();
            // The followed order as it was read comes first; the rest cannot fail.
            if let Some(order) = writes.next() {
                tx.guarded(BookingWrite::Followed, order);
            }
            tx.plain(writes);
        }
        match self.commit(tx).await {
            Ok(()) => Ok(()),
            Err(refused) if refused.failed(BookingWrite::Idempotency) => {
                Err(BookingRefused::IdempotencyKeyTaken)
            }
            Err(refused) if refused.failed(BookingWrite::Followed) => Err(BookingRefused::FollowedChanged),
            Err(refused) if refused.failed(BookingWrite::SlotLock) => Err(BookingRefused::SlotTaken),
            Err(Refused::Conditions(_)) => Err(BookingRefused::NumberTaken),
            Err(Refused::Store(e)) => Err(e.into()),
        }
    }

    /// A work order by number.
    pub async fn work_order(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
    ) -> Result<Option<WorkOrder>, StoreError> {
        self.load(&keys::work_order(site, number)).await
    }

    /// The live record of an idempotency key (expired records count as absent).
    pub async fn idempotency_record(
        &self,
        site: &SiteId,
        key: &IdempotencyKey,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        match self.store.get(&keys::idempotency(site, key)).await? {
            Some(item) if !item.is_expired(now.as_second()) => decode(&item).map(Some),
            _ => Ok(None),
        }
    }
}
