//! The single-table key design, shared by both stores.
//!
//! | item          | PK                              | SK                          |
//! |---------------|---------------------------------|-----------------------------|
//! | site          | `SITE#{site}`                   | `SITE`                      |
//! | site listing  | `SITES`                         | `SITE#{site}`               |
//! | technician    | `SITE#{site}`                   | `TECH#{tech}`               |
//! | coverage      | `SITE#{site}#AREA#{bucket}`     | `TECH#{tech}#{token}`       |
//! | schedule sheet| `SITE#{site}#TECH#{tech}`       | `SHEET#{yyyy-mm}` (UTC)     |
//! | slot lock     | `SITE#{site}#TECH#{tech}`       | `LOCK#{cell start}`         |
//! | work order    | `SITE#{site}#WO#{number}`       | `WO`                        |
//! | its history   | `SITE#{site}#WO#{number}`       | `HIST#{at}#{id}`            |
//! | order list    | `SITE#{site}#WOLIST#{view}`     | `AT#{start}#{number}`       |
//! | booking link  | `SITE#{site}#WO#{number}`       | `WO#LINK` (its token's hash)|
//! | outbox event  | `SITE#{site}#OUTBOX`            | `EV#{at}#{id}` (TTL)        |
//! | delivery      | `SITE#{site}#OUTBOX`            | `MSG#{event}#{audience}`    |
//! | waiting event | `OUTBOX#PENDING#{shard}`        | `EV#{at}#{site}#{id}` (TTL) |
//! | link key      | `SECRETS`                       | `MANAGE_LINKS`              |
//! | webhook       | `SITE#{site}#WEBHOOKS`          | `EP#{endpoint}`             |
//! | idempotency   | `SITE#{site}#IDEM#{key}`        | `IDEM`                      |
//! | member        | `SITE#{site}`                   | `MEMBER#{user}`             |
//! | owners guard  | `SITE#{site}`                   | `OWNERS`                    |
//! | membership    | `USER#{user}`                   | `SITE#{site}` (a copy)      |
//! | operator      | `OPERATORS`                     | `USER#{user}`               |
//! | local account | `ACCOUNT#{e-mail}`              | `ACCOUNT`                   |
//! | its e-mail    | `USER#{user}`                   | `ACCOUNT`                   |
//! | account e-mail| `ACCOUNTMAIL`                   | `MAIL#{at}#{id}` (TTL)      |
//! | machine client| `CLIENT#{client id}`            | `CLIENT`                    |
//! | signing key   | `ISSUER`                        | `SIGNING_KEY`               |
//! | one-time grant| `GRANT#{sha256 of the secret}`  | `GRANT`, then `USED`        |
//! | ended sign-in | `GRANT#FAMILY#{family}`         | `REVOKED`                   |
//!
//! Every site's key starts with the site, so no query can cross tenants; the few items that
//! belong to no site (operators, the local issuer's accounts, keys and grants) start with
//! their own words, which no site key does. Instants are RFC 3339 UTC
//! with whole seconds, which sort as text in time order. Coverage items file a technician's
//! service areas under the postcode buckets they touch (see `jobslot_domain::area`), so "who
//! serves this postcode" is one query on one bucket's partition, not a scan; the `token` ties
//! each entry to one save of the technician, so entries of an older or unfinished save are
//! ignored (a technician with a thousand buckets cannot be indexed in one transaction).
//!
//! The order list keeps one entry per work order in each of four views: `ALL`,
//! `STATUS#{status}`, `TECH#{tech}` and `PC#{postcode}`, each sorted by appointment. A list
//! query reads the narrowest view its filters allow, page by page, and checks the other
//! filters on the entries it reads; every change of an order rewrites its entries in the
//! same transaction, so the list never shows an order as it no longer is.

use super::{Key, SkRange};
use jiff::Timestamp;
use jobslot_domain::ids::{IdempotencyKey, SiteId, TechnicianId, UserId, WorkOrderNumber};
use jobslot_domain::webhook::EndpointId;

/// The site's own item.
pub fn site(site: &SiteId) -> Key {
    Key::new(format!("SITE#{site}"), "SITE")
}

/// The entry listing a site among all sites.
pub fn site_listing(site: &SiteId) -> Key {
    Key::new("SITES", format!("SITE#{site}"))
}

/// The range of all site listings.
pub fn site_listings() -> (String, SkRange) {
    ("SITES".into(), SkRange::Prefix("SITE#".into()))
}

/// A technician's item.
pub fn technician(site: &SiteId, tech: &TechnicianId) -> Key {
    Key::new(format!("SITE#{site}"), format!("TECH#{tech}"))
}

/// The sort-key range of all technicians of a site, in the site's partition.
pub fn technicians_of(site: &SiteId) -> (String, SkRange) {
    (format!("SITE#{site}"), SkRange::Prefix("TECH#".into()))
}

/// Partition of the coverage index for one postcode bucket.
pub fn coverage_partition(site: &SiteId, bucket: &str) -> String {
    format!("SITE#{site}#AREA#{bucket}")
}

/// The coverage entry of one save (`token`) of `tech` in `bucket`.
pub fn coverage(site: &SiteId, bucket: &str, tech: &TechnicianId, token: &str) -> Key {
    Key::new(coverage_partition(site, bucket), format!("TECH#{tech}#{token}"))
}

/// The audit partition of a site.
pub fn audit_partition(site: &SiteId) -> String {
    format!("SITE#{site}#AUDIT")
}

/// One audit entry, sorted by time to the nanosecond (changes a second apart are common).
pub fn audit(site: &SiteId, at: Timestamp, id: &str) -> Key {
    Key::new(audit_partition(site), format!("AT#{}.{:09}#{id}", instant(at), at.subsec_nanosecond()))
}

/// Partition holding a technician's schedule sheets and slot locks.
pub fn schedule_partition(site: &SiteId, tech: &TechnicianId) -> String {
    format!("SITE#{site}#TECH#{tech}")
}

/// The map item of `tech`'s booked times in one UTC month (`yyyy-mm`), an entry per work
/// order (see `repository::schedules`).
pub fn schedule_sheet(site: &SiteId, tech: &TechnicianId, month: &str) -> Key {
    Key::new(schedule_partition(site, tech), format!("SHEET#{month}"))
}

/// The sort-key prefix of bookings kept as items of their own, `BOOKING#{start}#{number}`,
/// before schedule sheets; read only to move them into sheets.
pub const LEGACY_BOOKING: &str = "BOOKING#";

/// The lock on one grid cell of a technician's time.
pub fn slot_lock(site: &SiteId, tech: &TechnicianId, cell: Timestamp) -> Key {
    Key::new(schedule_partition(site, tech), format!("LOCK#{}", instant(cell)))
}

/// A work order's item.
pub fn work_order(site: &SiteId, number: &WorkOrderNumber) -> Key {
    Key::new(work_order_partition(site, number), "WO")
}

/// Partition of a work order and its history.
pub fn work_order_partition(site: &SiteId, number: &WorkOrderNumber) -> String {
    format!("SITE#{site}#WO#{number}")
}

/// One entry of a work order's history, sorted by time to the nanosecond.
pub fn work_order_change(site: &SiteId, number: &WorkOrderNumber, at: Timestamp, id: &str) -> Key {
    Key::new(
        work_order_partition(site, number),
        format!("HIST#{}.{:09}#{id}", instant(at), at.subsec_nanosecond()),
    )
}

/// The booking link of a work order created in advance. Its sort key sorts after `WO`, out
/// of [`work_order_with_history`]'s range: reading an order never reads its link.
pub fn work_order_link(site: &SiteId, number: &WorkOrderNumber) -> Key {
    Key::new(work_order_partition(site, number), "WO#LINK")
}

/// The sort keys of a work order's partition: its history entries, then the order itself.
pub fn work_order_with_history() -> SkRange {
    SkRange::Between("HIST#".into(), "WO".into())
}

/// Partition of one view of a site's work-order list (`ALL`, `STATUS#new`, `TECH#sam`, …).
pub fn order_list(site: &SiteId, view: &str) -> String {
    format!("SITE#{site}#WOLIST#{view}")
}

/// The sort key of a work order in the list views: by appointment, then number; orders
/// waiting for a slot (`AT#~#…`) after every appointment and outside every date range.
pub fn order_list_entry(start: Option<Timestamp>, number: &WorkOrderNumber) -> String {
    match start {
        Some(start) => format!("AT#{}#{number}", instant(start)),
        None => format!("AT#~#{number}"),
    }
}

/// Sort keys of list entries with appointments from `from` (inclusive) to `to` (exclusive);
/// unbounded where not given.
pub fn order_list_between(from: Option<Timestamp>, to: Option<Timestamp>) -> SkRange {
    let lower = from.map_or_else(|| "AT#".to_owned(), |t| format!("AT#{}", instant(t)));
    // The entry of an order at exactly `to` is `AT#{to}#WO-…`, which sorts after `AT#{to}`;
    // the first second before `to` with '$' (after '#') takes every number at that second.
    let upper = to.map_or_else(
        // With a start, the orders waiting for a slot (`AT#~#…`, after `AT#~`) are left out.
        || if from.is_some() { "AT#~".to_owned() } else { "AT$".to_owned() },
        |t| format!("AT#{}$", instant(t.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap_or(t))),
    );
    SkRange::Between(lower, upper)
}

/// The partition of a site's outbox.
pub fn outbox_partition(site: &SiteId) -> String {
    format!("SITE#{site}#OUTBOX")
}

/// One event in a site's outbox, in time order to the nanosecond.
pub fn outbox_event(site: &SiteId, at: Timestamp, id: &str) -> Key {
    Key::new(outbox_partition(site), format!("EV#{}.{:09}#{id}", instant(at), at.subsec_nanosecond()))
}

/// Shards of the index of events waiting for delivery: writes spread over these partitions
/// instead of one hot one; the dispatcher reads them all.
pub const PENDING_SHARDS: u32 = 4;

/// Partition of one shard of the events waiting for delivery, across every site.
pub fn pending_partition(shard: u32) -> String {
    format!("OUTBOX#PENDING#{shard}")
}

/// An event waiting for delivery, in its shard (chosen from its id), in time order.
pub fn pending_delivery(site: &SiteId, at: Timestamp, id: &str) -> Key {
    let shard = id.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % PENDING_SHARDS;
    Key::new(
        pending_partition(shard),
        format!("EV#{}.{:09}#{site}#{id}", instant(at), at.subsec_nanosecond()),
    )
}

/// The delivery record of one message of an event (`audience`: `customer`, `business`, …).
pub fn delivery(site: &SiteId, event_id: &str, audience: &str) -> Key {
    Key::new(outbox_partition(site), format!("MSG#{event_id}#{audience}"))
}

/// The partition of a site's webhook endpoints.
pub fn webhooks_partition(site: &SiteId) -> String {
    format!("SITE#{site}#WEBHOOKS")
}

/// A site's webhook endpoint, with its signing secrets.
pub fn webhook(site: &SiteId, endpoint: &EndpointId) -> Key {
    Key::new(webhooks_partition(site), format!("EP#{endpoint}"))
}

/// The record of an idempotency key.
pub fn idempotency(site: &SiteId, key: &IdempotencyKey) -> Key {
    Key::new(format!("SITE#{site}#IDEM#{}", key.as_str()), "IDEM")
}

/// A member of a site.
pub fn member(site: &SiteId, user: &UserId) -> Key {
    Key::new(format!("SITE#{site}"), format!("MEMBER#{user}"))
}

/// The sort-key range of a site's members, in the site's partition.
pub fn members_of(site: &SiteId) -> (String, SkRange) {
    (format!("SITE#{site}"), SkRange::Prefix("MEMBER#".into()))
}

/// The copy of a membership under its user, to list a user's sites.
pub fn membership(user: &UserId, site: &SiteId) -> Key {
    Key::new(format!("USER#{user}"), format!("SITE#{site}"))
}

/// The sort-key range of a user's memberships.
pub fn memberships_of(user: &UserId) -> (String, SkRange) {
    (format!("USER#{user}"), SkRange::Prefix("SITE#".into()))
}

/// The item every change of a site's owners rewrites under a condition, so two concurrent
/// changes cannot each leave the other as the last owner and then remove them.
pub fn owners_guard(site: &SiteId) -> Key {
    Key::new(format!("SITE#{site}"), "OWNERS")
}

/// The e-mail address of a local account, by its user id.
pub fn account_of_user(user: &UserId) -> Key {
    Key::new(format!("USER#{user}"), "ACCOUNT")
}

/// An e-mail about a staff account waiting to be sent.
pub fn account_mail(at: Timestamp, id: &str) -> Key {
    Key::new("ACCOUNTMAIL", format!("MAIL#{}#{id}", instant(at)))
}

/// The range of every waiting e-mail about staff accounts, oldest first.
pub fn account_mails() -> (String, SkRange) {
    ("ACCOUNTMAIL".into(), SkRange::Prefix("MAIL#".into()))
}

/// A platform operator.
pub fn operator(user: &UserId) -> Key {
    Key::new("OPERATORS", format!("USER#{user}"))
}

/// An account of the local issuer, by lower-cased e-mail address.
pub fn account(email: &str) -> Key {
    Key::new(format!("ACCOUNT#{}", email.to_lowercase()), "ACCOUNT")
}

/// A machine client of the local issuer.
pub fn machine_client(client_id: &UserId) -> Key {
    Key::new(format!("CLIENT#{client_id}"), "CLIENT")
}

/// A secret of the deployment (a key for signing customers' links).
pub fn secret(name: &str) -> Key {
    Key::new("SECRETS", name)
}

/// The local issuer's signing key.
pub fn signing_key() -> Key {
    Key::new("ISSUER", "SIGNING_KEY")
}

/// A one-time grant (authorization code, refresh token) by the hash of its secret.
pub fn grant(secret_hash: &str) -> Key {
    Key::new(format!("GRANT#{secret_hash}"), "GRANT")
}

/// The marker that ends a whole sign-in family of refresh tokens.
pub fn grant_family_revoked(family: &str) -> Key {
    Key::new(format!("GRANT#FAMILY#{family}"), "REVOKED")
}

/// The marker written when a grant is used; its creation is what makes use single.
pub fn grant_used(secret_hash: &str) -> Key {
    Key::new(format!("GRANT#{secret_hash}"), "USED")
}

/// An instant as sortable text: RFC 3339, UTC, whole seconds.
fn instant(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_fall_in_the_range_of_their_days_and_history_before_the_order() {
        let number = WorkOrderNumber::from_random(7);
        let nine: Timestamp = "2026-11-24T09:00:00Z".parse().expect("t");
        let midnight: Timestamp = "2026-11-25T00:00:00Z".parse().expect("t");
        let day = order_list_between(Some("2026-11-24T00:00:00Z".parse().expect("t")), Some(midnight));
        let at = |t: Timestamp| order_list_entry(Some(t), &number);
        assert!(day.contains(&at(nine)));
        assert!(!day.contains(&at(midnight)));
        assert!(day.contains(&at(midnight - jiff::SignedDuration::from_secs(1))));
        assert!(order_list_between(None, None).contains(&at(nine)));
        let waiting = order_list_entry(None, &number);
        assert!(order_list_between(None, None).contains(&waiting), "listed, after every appointment");
        assert!(waiting > at("2099-12-31T23:59:59Z".parse().expect("t")));
        assert!(!order_list_between(Some(nine), None).contains(&waiting), "in no date range");
        assert!(!day.contains(&waiting));
        let site = SiteId::parse("s", "acme").expect("site");
        let change = work_order_change(&site, &number, nine, "x");
        assert!(work_order_with_history().contains(&change.sk));
        assert!(work_order_with_history().contains(&work_order(&site, &number).sk));
        assert!(!work_order_with_history().contains(&work_order_link(&site, &number).sk));
    }
}
