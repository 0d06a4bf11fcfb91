//! Technicians' booked times, kept as schedule sheets: one map item per technician and UTC
//! month, with an entry per work order naming its interval (`start/end`, Unix seconds: a
//! search reads thousands of them, and integers parse many times faster than RFC 3339).
//!
//! A slots search needs every serving technician's booked times at once. Kept as one item
//! per booking they took a query per technician; kept in sheets they are known keys, read
//! with the technicians' records in one batch, so a search makes three store requests (the
//! site, the postcode's coverage bucket, the batch) however many technicians serve. A booking
//! sets its entry without reading the sheet, so bookings of one technician never refuse each
//! other; the slot locks beside the sheet are still what refuses a second booking of a time.

use super::{Repository, decode, get_all, technicians};
use crate::store::{Item, Key, MAX_WRITES, SkRange, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jobslot_domain::availability::Interval;
use jobslot_domain::booking::Booking;
use jobslot_domain::ids::{SiteId, TechnicianId, WorkOrderNumber};
use jobslot_domain::site::Technician;
use std::collections::{BTreeMap, HashMap};

/// The UTC months (`yyyy-mm`) an interval has an instant in.
fn months(time: &Interval) -> Vec<String> {
    let first_day = |t: Timestamp| {
        let date = t.to_zoned(TimeZone::UTC).date();
        Date::new(date.year(), date.month(), 1).unwrap_or(date)
    };
    let last = first_day(time.end.checked_sub(jiff::SignedDuration::from_nanos(1)).unwrap_or(time.end));
    let mut month = first_day(time.start);
    let mut found = vec![];
    while month <= last {
        found.push(month.strftime("%Y-%m").to_string());
        let Ok(next) = month.checked_add(jiff::Span::new().months(1)) else { break };
        month = next;
    }
    found
}

/// The sheets holding `tech`'s times inside `window`.
fn sheet_keys(site: &SiteId, tech: &TechnicianId, window: &Interval) -> Vec<Key> {
    months(window).iter().map(|month| keys::schedule_sheet(site, tech, month)).collect()
}

/// An interval in whole seconds, widened to them if need be: a sheet never shows taken time
/// as free.
fn entry_value(time: &Interval) -> String {
    let end = time.end.as_second() + i64::from(time.end.subsec_nanosecond() > 0);
    format!("{}/{end}", time.start.as_second())
}

fn parse_entry(value: &str) -> Option<Interval> {
    let (start, end) = value.split_once('/')?;
    let instant = |s: &str| Timestamp::from_second(s.parse().ok()?).ok();
    Some(Interval { start: instant(start)?, end: instant(end)? })
}

/// A sheet's entries: work-order numbers and their times. Read borrowed: the names and
/// values written here never need JSON escapes.
fn entries_in(item: &Item) -> Result<Vec<(&str, Interval)>, StoreError> {
    let unreadable = || StoreError::Backend(anyhow::anyhow!("sheet {} has an unreadable entry", item.key));
    let entries: HashMap<&str, &str> = serde_json::from_str(&item.data).map_err(|_| unreadable())?;
    entries.into_iter().map(|(name, value)| Ok((name, parse_entry(value).ok_or_else(unreadable)?))).collect()
}

/// The bookings a sheet item records.
fn bookings_in(item: &Item, site: &SiteId, tech: &TechnicianId) -> Result<Vec<Booking>, StoreError> {
    entries_in(item)?
        .into_iter()
        .map(|(number, time)| {
            Ok(Booking {
                site: site.clone(),
                technician: tech.clone(),
                work_order: WorkOrderNumber::parse("work_order", number).map_err(|_| {
                    StoreError::Backend(anyhow::anyhow!(
                        "sheet {}/{} names no work order",
                        item.key.pk,
                        item.key.sk
                    ))
                })?,
                time,
            })
        })
        .collect()
}

/// The sheet writes that move work order `number` from the time it held (`before`) to the
/// time it holds (`after`); either may be none. A sheet both hold it in is written once.
pub(super) fn sheet_writes(
    site: &SiteId,
    number: &WorkOrderNumber,
    before: Option<(&TechnicianId, Interval)>,
    after: Option<(&TechnicianId, Interval)>,
) -> Vec<Write> {
    let entries = |held: Option<(&TechnicianId, Interval)>| -> BTreeMap<Key, String> {
        held.map(|(tech, time)| {
            sheet_keys(site, tech, &time).into_iter().map(|k| (k, entry_value(&time))).collect()
        })
        .unwrap_or_default()
    };
    let (old, new) = (entries(before), entries(after));
    let name = number.to_string();
    let removed = old.keys().filter(|k| !new.contains_key(*k)).map(|key| Write::Entries {
        key: key.clone(),
        set: vec![],
        remove: vec![name.clone()],
    });
    let set = new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(key, value)| Write::Entries {
        key: key.clone(),
        set: vec![(name.clone(), value.clone())],
        remove: vec![],
    });
    removed.chain(set).collect()
}

impl<S: Store> Repository<S> {
    /// A technician's bookings that overlap `window`.
    pub async fn bookings(
        &self,
        site: &SiteId,
        tech: &TechnicianId,
        window: Interval,
    ) -> Result<Vec<Booking>, StoreError> {
        let mut found = vec![];
        for item in get_all(&self.store, &sheet_keys(site, tech, &window)).await? {
            found.extend(bookings_in(&item, site, tech)?.into_iter().filter(|b| b.time.overlaps(&window)));
        }
        found.sort_by(|a, b| (a.time.start, &a.work_order).cmp(&(b.time.start, &b.work_order)));
        // A booking across a month's end is in both months' sheets.
        found.dedup_by(|a, b| a.work_order == b.work_order);
        Ok(found)
    }

    /// The candidates who serve (see [`Repository::confirm_serving`]), sorted by id, and the
    /// times each has booked inside `window`: their records and sheets in one batch (more
    /// only past [`MAX_GETS`] keys, read at once).
    pub async fn serving_with_schedules(
        &self,
        site: &SiteId,
        candidates: &technicians::Candidates,
        window: Interval,
    ) -> Result<(Vec<Technician>, HashMap<TechnicianId, Vec<Interval>>), StoreError> {
        let ids = candidates.ids();
        let mut wanted: Vec<Key> = ids.iter().map(|id| keys::technician(site, id)).collect();
        let mut whose: HashMap<Key, &TechnicianId> = HashMap::new();
        for id in &ids {
            for key in sheet_keys(site, id, &window) {
                wanted.push(key.clone());
                whose.insert(key, id);
            }
        }
        let items = get_all(&self.store, &wanted).await?;
        let (sheets, records): (Vec<Item>, Vec<Item>) =
            items.into_iter().partition(|i| whose.contains_key(&i.key));
        let serving = technicians::confirmed(candidates, &records)?;
        let mut busy: HashMap<TechnicianId, Vec<Interval>> = HashMap::new();
        for sheet in &sheets {
            let tech = whose[&sheet.key];
            let times = busy.entry(tech.clone()).or_default();
            times.extend(entries_in(sheet)?.into_iter().map(|(_, t)| t).filter(|t| t.overlaps(&window)));
        }
        for times in busy.values_mut() {
            // A booking across a month's end is in both months' sheets.
            times.sort_by_key(|t| (t.start, t.end));
            times.dedup();
        }
        Ok((serving, busy))
    }

    /// Moves bookings kept as items of their own (before schedule sheets) into the sheets, in
    /// the same transactions that delete them; returns how many. Run at start-up; one query
    /// per technician when there is nothing to do.
    pub async fn move_legacy_bookings(&self, site: &SiteId) -> Result<usize, StoreError> {
        let (pk, range) = keys::technicians_of(site);
        let mut moved = 0;
        for record in self.store.query(&pk, &range).await? {
            let tech: Technician = decode(&record)?;
            let legacy = self
                .store
                .query(
                    &keys::schedule_partition(site, &tech.id),
                    &SkRange::Prefix(keys::LEGACY_BOOKING.into()),
                )
                .await?;
            // Each booking writes its delete and at most two sheets.
            for chunk in legacy.chunks(MAX_WRITES / 3) {
                let mut sheets: BTreeMap<Key, Vec<(String, String)>> = BTreeMap::new();
                let mut writes = vec![];
                for item in chunk {
                    let booking: Booking = decode(item)?;
                    for key in sheet_keys(site, &tech.id, &booking.time) {
                        sheets
                            .entry(key)
                            .or_default()
                            .push((booking.work_order.to_string(), entry_value(&booking.time)));
                    }
                    writes.push(Write::Delete { key: item.key.clone() });
                }
                writes.extend(sheets.into_iter().map(|(key, set)| Write::Entries {
                    key,
                    set,
                    remove: vec![],
                }));
                self.store.transact(writes).await?;
                moved += chunk.len();
            }
        }
        Ok(moved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("instant")
    }

    fn interval(start: &str, end: &str) -> Interval {
        Interval { start: at(start), end: at(end) }
    }

    #[test]
    fn a_time_is_filed_under_every_utc_month_it_has_an_instant_in() {
        assert_eq!(months(&interval("2026-11-30T22:00:00Z", "2026-12-01T00:00:00Z")), ["2026-11"]);
        assert_eq!(months(&interval("2026-11-30T23:00:00Z", "2026-12-01T01:00:00Z")), ["2026-11", "2026-12"]);
        assert_eq!(months(&interval("2026-12-20T00:00:00Z", "2027-01-03T00:00:00Z")), ["2026-12", "2027-01"]);
    }

    #[test]
    fn an_entry_reads_back_as_its_interval() {
        let time = interval("2026-11-24T22:00:00Z", "2026-11-24T23:30:00Z");
        assert_eq!(parse_entry(&entry_value(&time)), Some(time));
        let ragged = Interval {
            start: time.start + jiff::SignedDuration::from_millis(500),
            end: time.end - jiff::SignedDuration::from_millis(1),
        };
        assert_eq!(
            parse_entry(&entry_value(&ragged)),
            Some(time),
            "widened to whole seconds, never narrowed"
        );
        assert_eq!(parse_entry("2026-11-24T22:00:00Z"), None);
    }

    #[test]
    fn a_move_writes_only_the_sheets_that_change() {
        let site = SiteId::parse("site", "acme").expect("site");
        let (sam, priya) =
            (TechnicianId::parse("t", "sam").expect("id"), TechnicianId::parse("t", "priya").expect("id"));
        let number = WorkOrderNumber::from_random(7);
        let nov = interval("2026-11-24T22:00:00Z", "2026-11-24T23:00:00Z");
        let later = interval("2026-11-25T22:00:00Z", "2026-11-25T23:00:00Z");
        let dec = interval("2026-12-02T22:00:00Z", "2026-12-02T23:00:00Z");
        let names = |writes: Vec<Write>| -> Vec<(String, usize, usize)> {
            writes
                .into_iter()
                .map(|w| match w {
                    Write::Entries { key, set, remove } => (key.to_string(), set.len(), remove.len()),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(
            names(sheet_writes(&site, &number, Some((&sam, nov)), Some((&sam, later)))),
            [("SITE#acme#TECH#sam/SHEET#2026-11".to_owned(), 1, 0)],
            "a move within a month replaces the entry"
        );
        assert_eq!(
            names(sheet_writes(&site, &number, Some((&sam, nov)), Some((&priya, dec)))),
            [
                ("SITE#acme#TECH#sam/SHEET#2026-11".to_owned(), 0, 1),
                ("SITE#acme#TECH#priya/SHEET#2026-12".to_owned(), 1, 0)
            ]
        );
        assert!(sheet_writes(&site, &number, Some((&sam, nov)), Some((&sam, nov))).is_empty());
        assert_eq!(
            names(sheet_writes(&site, &number, Some((&sam, nov)), None)),
            [("SITE#acme#TECH#sam/SHEET#2026-11".to_owned(), 0, 1)]
        );
    }
}
