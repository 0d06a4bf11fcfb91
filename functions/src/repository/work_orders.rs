//! Work orders after booking: the list views, the history, and changes that move or free
//! the technician's time in the same transaction as the order itself.

use super::{Refused, Repository, SlotLock, Transaction, decode, encode, put, version_of};
use crate::store::{Condition, Item, Key, SkRange, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::availability::{Interval, grid_cells};
use jobslot_domain::dispatch::{Change, HistoryEntry, WorkOrderSummary, search_text};
use jobslot_domain::events;
use jobslot_domain::ids::{SiteId, TechnicianId, WorkOrderNumber};
use jobslot_domain::work_order::{OrderStatus, WorkOrder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a list view keeps of an order: its list line and the text a search looks through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The list line.
    pub summary: WorkOrderSummary,
    /// Lower-cased number, customer, contact, address and service.
    pub search: String,
}

/// Which list view a query reads: the narrowest its filters allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListView {
    /// Every order of the site.
    All,
    /// Orders in one status.
    Status(OrderStatus),
    /// One technician's orders.
    Technician(TechnicianId),
    /// Orders at one postcode (its canonical text).
    Postcode(String),
}

impl ListView {
    fn name(&self) -> String {
        match self {
            ListView::All => "ALL".into(),
            ListView::Status(status) => format!("STATUS#{}", status.name()),
            ListView::Technician(tech) => format!("TECH#{tech}"),
            ListView::Postcode(code) => format!("PC#{}", code.replace(' ', "")),
        }
    }

    /// The views an order is listed in (an order waiting for its slot is nobody's yet).
    fn of(order: &WorkOrder) -> Vec<ListView> {
        let mut views = vec![
            ListView::All,
            ListView::Status(order.status),
            ListView::Postcode(order.location.postcode.to_string()),
        ];
        views.extend(order.technician().map(|t| ListView::Technician(t.id.clone())));
        views
    }
}

/// A work order as stored, with what an edit must name to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrder {
    #[allow(missing_docs)]
    pub order: WorkOrder,
    /// Its history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Its version (the `ETag`).
    pub version: String,
    /// Exactly what is stored, for the write's condition.
    pub(super) stored: String,
}

/// What the conditional writes of a change stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeWrite {
    /// The order as it was read.
    Order,
    /// A grid cell of the new time: nobody holds it.
    SlotLock,
}

/// Why a change of a work order was not written.
#[derive(Debug, thiserror::Error)]
pub enum ChangeRefused {
    /// The order changed since it was read; nothing was written.
    #[error("changed by someone else")]
    Changed,
    /// The new time is taken, in part; nothing was written.
    #[error("the slot is taken")]
    SlotTaken,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A work order changed in the same write as a booking (the one a follow-up follows).
#[derive(Debug, Clone)]
pub struct FollowedUp {
    /// As read.
    pub before: StoredOrder,
    /// As it becomes.
    pub after: WorkOrder,
    /// The history entry of the change.
    pub entry: HistoryEntry,
}

/// The order's own writes for a change that moves no time: the order if unchanged since read
/// (first), its history entry, and its list entries.
pub(super) fn change_writes(change: &FollowedUp) -> Result<Vec<Write>, StoreError> {
    let FollowedUp { before, after, entry } = change;
    let item = encode(keys::work_order(&after.site, &after.number), after, None)?;
    let mut writes = vec![put(item, Condition::Unchanged(before.stored.clone()))];
    writes.push(history_write(&after.site, &after.number, entry)?);
    writes.extend(list_writes(after)?);
    Ok(writes)
}

/// Reads per store request when paging a list view.
const LIST_CHUNK: usize = 200;

fn list_keys(order: &WorkOrder) -> Vec<Key> {
    let sk = keys::order_list_entry(order.appointment.as_ref().map(|a| a.planned_start), &order.number);
    ListView::of(order)
        .iter()
        .map(|view| Key::new(keys::order_list(&order.site, &view.name()), sk.clone()))
        .collect()
}

/// The writes that list `order` in every view it belongs to.
pub(super) fn list_writes(order: &WorkOrder) -> Result<Vec<Write>, StoreError> {
    let entry = ListEntry { summary: WorkOrderSummary::of(order), search: search_text(order) };
    list_keys(order).into_iter().map(|key| Ok(put(encode(key, &entry, None)?, Condition::Always))).collect()
}

/// The write that records one history entry. Its key is unique by its nanosecond and a
/// random part, so it needs no condition (and cannot be the write that cancels a booking);
/// entries of one instant (a fixed test clock) keep the order this process made them in.
pub(super) fn history_write(
    site: &SiteId,
    number: &WorkOrderNumber,
    entry: &HistoryEntry,
) -> Result<Write, StoreError> {
    let id = crate::random::ordered_id();
    Ok(put(encode(keys::work_order_change(site, number, entry.at, &id), entry, None)?, Condition::Always))
}

/// The write of the history entry of a new order: `by` created it.
pub(super) fn created_write(order: &WorkOrder, by: &str) -> Result<Write, StoreError> {
    let change = Change { field: "status".into(), from: None, to: Some(order.status.name().into()) };
    let entry = HistoryEntry { at: order.created_at, by: by.to_owned(), changes: vec![change] };
    history_write(&order.site, &order.number, &entry)
}

/// Whose time an order holds, and when, if it holds any.
fn held(order: &WorkOrder) -> Option<(&TechnicianId, Interval)> {
    order.held().map(|a| (&a.technician.id, a.time()))
}

/// The slot lock items of the time an order holds, if it holds any.
fn held_locks(order: &WorkOrder) -> Result<Vec<(Key, String)>, StoreError> {
    let Some((tech, time)) = held(order) else { return Ok(Vec::new()) };
    let lock = serde_json::to_string(&SlotLock { work_order: order.number.clone() })
        .map_err(|e| StoreError::Backend(e.into()))?;
    Ok(grid_cells(&time)
        .into_iter()
        .map(|cell| (keys::slot_lock(&order.site, tech, cell), lock.clone()))
        .collect())
}

impl<S: Store> Repository<S> {
    /// A work order with its history and version.
    pub async fn stored_order(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
    ) -> Result<Option<StoredOrder>, StoreError> {
        let items = self
            .store
            .query(&keys::work_order_partition(site, number), &keys::work_order_with_history())
            .await?;
        let Some((order_item, history)) = items.split_last() else { return Ok(None) };
        if order_item.key.sk != "WO" {
            return Ok(None);
        }
        Ok(Some(StoredOrder {
            order: decode(order_item)?,
            history: history.iter().map(decode).collect::<Result<_, _>>()?,
            version: version_of(order_item),
            stored: order_item.data.clone(),
        }))
    }

    /// Writes `after` over `before` if `before` is still what is stored, with `entry` in its
    /// history, its list entries moved, and its booking and slot locks moved or freed when
    /// its technician, time or status says so, all in one transaction.
    pub async fn change_order(
        &self,
        before: &StoredOrder,
        after: &WorkOrder,
        entry: &HistoryEntry,
    ) -> Result<String, ChangeRefused> {
        let item = encode(keys::work_order(&after.site, &after.number), after, None)?;
        let version = version_of(&item);
        let mut tx = Transaction::new();
        tx.guarded(ChangeWrite::Order, put(item, Condition::Unchanged(before.stored.clone())))
            .plain([history_write(&after.site, &after.number, entry)?]);
        let new_list = list_keys(after);
        tx.plain(
            list_keys(&before.order)
                .into_iter()
                .filter(|k| !new_list.contains(k))
                .map(|key| Write::Delete { key }),
        )
        .plain(list_writes(after)?);
        for event in events::changed(&before.order, after, entry.at, super::outbox::event_id) {
            tx.plain(super::outbox::event_writes(&event)?);
        }
        tx.plain(super::schedules::sheet_writes(
            &after.site,
            &after.number,
            held(&before.order),
            held(after),
        ));
        // Cells held before and after stay as they are: the order's own condition above
        // makes sure nobody moved them meanwhile.
        let (old_time, new_time) = (held_locks(&before.order)?, held_locks(after)?);
        let old_keys: BTreeSet<&Key> = old_time.iter().map(|(k, _)| k).collect();
        let new_keys: BTreeSet<&Key> = new_time.iter().map(|(k, _)| k).collect();
        tx.plain(
            old_time
                .iter()
                .filter(|(k, _)| !new_keys.contains(k))
                .map(|(key, _)| Write::Delete { key: key.clone() }),
        );
        for (key, data) in new_time.iter().filter(|(k, _)| !old_keys.contains(k)) {
            let item = Item { key: key.clone(), data: data.clone(), expires_at: None };
            tx.guarded(ChangeWrite::SlotLock, put(item, Condition::NotExists));
        }
        match self.commit(tx).await {
            Ok(()) => Ok(version),
            Err(refused) if refused.failed(ChangeWrite::Order) => Err(ChangeRefused::Changed),
            Err(refused) if refused.failed(ChangeWrite::SlotLock) => Err(ChangeRefused::SlotTaken),
            Err(Refused::Conditions(_)) => Err(StoreError::Conflict.into()),
            Err(Refused::Store(e)) => Err(e.into()),
        }
    }

    /// Up to `limit` entries of a list view with appointments in `[from, to)`, after the
    /// entry `cursor`, that pass `keep`; and the cursor of the next page if there is one.
    /// Reads the view page by page and stops as soon as the page is full.
    pub async fn list_orders(
        &self,
        site: &SiteId,
        view: &ListView,
        (from, to): (Option<Timestamp>, Option<Timestamp>),
        cursor: Option<&str>,
        limit: usize,
        keep: impl Fn(&ListEntry) -> bool,
    ) -> Result<(Vec<WorkOrderSummary>, Option<String>), StoreError> {
        let pk = keys::order_list(site, &view.name());
        let SkRange::Between(mut lower, upper) = keys::order_list_between(from, to) else {
            unreachable!("the list range is a between")
        };
        let mut after = cursor.map(str::to_owned);
        if let Some(cursor) = &after
            && *cursor > lower
        {
            lower.clone_from(cursor);
        }
        let mut found: Vec<(String, WorkOrderSummary)> = Vec::new();
        loop {
            let items = self
                .store
                .query_page(&pk, &SkRange::Between(lower.clone(), upper.clone()), LIST_CHUNK)
                .await?;
            let exhausted = items.len() < LIST_CHUNK;
            for item in &items {
                if after.as_ref().is_some_and(|a| item.key.sk <= *a) {
                    continue;
                }
                let entry: ListEntry = decode(item)?;
                if keep(&entry) {
                    found.push((item.key.sk.clone(), entry.summary));
                    if found.len() > limit {
                        found.truncate(limit);
                        let next = found.last().map(|(sk, _)| sk.clone());
                        return Ok((found.into_iter().map(|(_, s)| s).collect(), next));
                    }
                }
            }
            match items.last() {
                Some(last) if !exhausted => {
                    lower.clone_from(&last.key.sk);
                    after = Some(last.key.sk.clone());
                }
                _ => return Ok((found.into_iter().map(|(_, s)| s).collect(), None)),
            }
        }
    }
}
