//! The conformance tests, generic over the store.

use crate::support::{CountingStore, FIRST_SLOT, demo_app, submission};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::area::ServiceArea;
use jobslot_domain::audit::AuditEntry;
use jobslot_domain::availability::Interval;
use jobslot_domain::booking::Booking;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::UserId;
use jobslot_domain::ids::{SiteId, TechnicianId};
use jobslot_domain::postcode::{Country, Postcode};
use jobslot_functions::app::AppError;
use jobslot_functions::demo;
use jobslot_functions::repository::AuditWrite;
use jobslot_functions::repository::{
    Account, AccountRefused, BookingRefused, Member, NewBooking, Precondition, Repository, SaveRefused,
};
use jobslot_functions::store::{Condition, Item, Key, SkRange, Store, StoreError, Write, entries_of, keys};
use std::sync::Arc;
use tokio::sync::Barrier;

pub use crate::connector::*;
pub use crate::deliveries::*;
pub use crate::follow_ups::*;
pub use crate::manage::*;
pub use crate::members::*;
pub use crate::webhooks::*;
pub use crate::work_orders::*;

fn item(pk: &str, sk: &str, data: &str) -> Item {
    Item { key: Key::new(pk, sk), data: data.into(), expires_at: None }
}

fn put(item: Item, condition: Condition) -> Write {
    Write::Put { item, condition }
}

pub async fn an_item_reads_back_as_written(store: impl Store) {
    let written = Item { expires_at: Some(1_900_000_000), ..item("P#1", "S#1", r#"{"a":"é"}"#) };
    store.transact(vec![put(written.clone(), Condition::NotExists)]).await.expect("put");
    assert_eq!(store.get(&written.key).await.expect("get"), Some(written));
}

pub async fn a_missing_key_reads_as_nothing(store: impl Store) {
    assert_eq!(store.get(&Key::new("P#none", "S")).await.expect("get"), None);
}

pub async fn a_query_returns_its_range_of_one_partition_in_order(store: impl Store) {
    let writes = ["B#2", "A#1", "B#1", "B#3", "C#1"]
        .into_iter()
        .map(|sk| put(item("P#q", sk, "{}"), Condition::Always))
        .chain([
            put(item("P#other", "B#1", "{}"), Condition::Always),
            put(item("P#q2", "B#1", "{}"), Condition::Always),
        ])
        .collect();
    store.transact(writes).await.expect("put");
    let sks = |items: Vec<Item>| items.into_iter().map(|i| i.key.sk).collect::<Vec<_>>();
    let prefixed = store.query("P#q", &SkRange::Prefix("B#".into())).await.expect("query");
    assert_eq!(sks(prefixed), ["B#1", "B#2", "B#3"]);
    let between = store.query("P#q", &SkRange::Between("A#1".into(), "B#2".into())).await.expect("query");
    assert_eq!(sks(between), ["A#1", "B#1", "B#2"]);
    let none = store.query("P#q", &SkRange::Prefix("Z#".into())).await.expect("query");
    assert!(none.is_empty());
}

pub async fn a_failed_condition_writes_nothing(store: impl Store) {
    store.transact(vec![put(item("P#c", "taken", "{}"), Condition::Always)]).await.expect("seed");
    let result = store
        .transact(vec![
            put(item("P#c", "new", "{}"), Condition::NotExists),
            put(item("P#c", "taken", r#"{"changed":true}"#), Condition::NotExists),
            put(item("P#c", "other", "{}"), Condition::Always),
        ])
        .await;
    assert!(matches!(result, Err(StoreError::ConditionFailed(ref failed)) if failed == &[1]), "{result:?}");
    assert_eq!(store.get(&Key::new("P#c", "new")).await.expect("get"), None);
    assert_eq!(store.get(&Key::new("P#c", "other")).await.expect("get"), None);
    let taken = store.get(&Key::new("P#c", "taken")).await.expect("get").expect("still there");
    assert_eq!(taken.data, "{}");
}

pub async fn an_expired_item_can_be_replaced_but_a_live_one_cannot(store: impl Store) {
    let expired = Item { expires_at: Some(1_000), ..item("P#e", "old", "{}") };
    let live = Item { expires_at: Some(5_000), ..item("P#e", "live", "{}") };
    store.transact(vec![put(expired, Condition::Always), put(live, Condition::Always)]).await.expect("seed");
    let replace = |sk: &str| {
        put(
            Item { expires_at: Some(9_000), ..item("P#e", sk, r#"{"new":1}"#) },
            Condition::NotExistsOrExpired(2_000),
        )
    };
    store.transact(vec![replace("old")]).await.expect("expired item is replaceable");
    let refused = store.transact(vec![replace("live")]).await;
    assert!(matches!(refused, Err(StoreError::ConditionFailed(_))), "{refused:?}");
    let old = store.get(&Key::new("P#e", "old")).await.expect("get").expect("replaced");
    assert_eq!((old.data.as_str(), old.expires_at), (r#"{"new":1}"#, Some(9_000)));
    assert!(old.is_expired(9_000) && !old.is_expired(8_999));
}

pub async fn a_delete_removes_the_item(store: impl Store) {
    store.transact(vec![put(item("P#d", "x", "{}"), Condition::Always)]).await.expect("seed");
    store.transact(vec![Write::Delete { key: Key::new("P#d", "x") }]).await.expect("delete");
    assert_eq!(store.get(&Key::new("P#d", "x")).await.expect("get"), None);
}

pub async fn a_transaction_writing_one_key_twice_is_refused(store: impl Store) {
    let result = store
        .transact(vec![
            put(item("P#t", "x", "{}"), Condition::Always),
            put(item("P#t", "x", "{}"), Condition::Always),
        ])
        .await;
    assert!(matches!(result, Err(StoreError::Invalid(_))), "{result:?}");
    assert_eq!(store.get(&Key::new("P#t", "x")).await.expect("get"), None);
}

fn areas(country: Country, raw: &[&str]) -> Vec<ServiceArea> {
    raw.iter().map(|a| ServiceArea::parse("areas", country, a).expect("area")).collect()
}

fn postcode(country: Country, raw: &str) -> Postcode {
    Postcode::parse("postcode", country, raw).expect("postcode")
}

async fn serving_ids<S: Store>(
    repo: &Repository<S>,
    site: &SiteId,
    country: Country,
    code: &str,
) -> Vec<String> {
    let found = repo.technicians_serving(site, &postcode(country, code)).await.expect("query");
    found.into_iter().map(|t| t.id.to_string()).collect()
}

pub async fn coverage_follows_a_technicians_areas(store: impl Store) {
    let repo = Repository::new(store);
    let mut tech = demo::technicians().expect("demo")[0].clone();
    let site = tech.site.clone();
    tech.areas = areas(Country::Au, &["2000", "2010-2019"]);
    let v1 = repo.save_technician(&tech, Country::Au, Precondition::Absent, None).await.expect("save");
    assert_eq!(serving_ids(&repo, &site, Country::Au, "2015").await, ["sam-nguyen"]);
    assert!(serving_ids(&repo, &site, Country::Au, "2020").await.is_empty());
    tech.areas = areas(Country::Au, &["2000", "21*"]);
    let v2 = repo
        .save_technician(&tech, Country::Au, Precondition::Version(v1.clone()), None)
        .await
        .expect("save again");
    assert!(serving_ids(&repo, &site, Country::Au, "2015").await.is_empty(), "the old range is gone");
    assert_eq!(serving_ids(&repo, &site, Country::Au, "2150").await, ["sam-nguyen"]);
    let stale = repo.save_technician(&tech, Country::Au, Precondition::Version(v1), None).await;
    assert!(matches!(stale, Err(SaveRefused::Changed)), "{stale:?}");
    let again = repo.save_technician(&tech, Country::Au, Precondition::Absent, None).await;
    assert!(matches!(again, Err(SaveRefused::Exists)), "{again:?}");
    tech.active = false;
    repo.save_technician(&tech, Country::Au, Precondition::Version(v2), None).await.expect("deactivate");
    assert!(
        serving_ids(&repo, &site, Country::Au, "2000").await.is_empty(),
        "inactive technicians serve nobody"
    );
    let all: Vec<String> =
        repo.technicians(&site).await.expect("all").into_iter().map(|t| t.id.to_string()).collect();
    assert_eq!(all, ["sam-nguyen"]);
}

pub async fn a_technician_covering_two_thousand_zip_codes_saves_and_is_found(store: impl Store) {
    let repo = Repository::new(store.clone());
    let mut tech = demo::technicians().expect("demo")[0].clone();
    let site = tech.site.clone();
    // Every tenth ZIP from 10000: 2,000 codes in 200 buckets, two transactions' worth of index.
    let zips: Vec<String> = (0..2_000).map(|i| format!("{:05}", 10_000 + i * 10)).collect();
    tech.areas = zips.iter().map(|z| ServiceArea::parse("areas", Country::Us, z).expect("zip")).collect();
    repo.save_technician(&tech, Country::Us, Precondition::Any, None).await.expect("saved");
    assert_eq!(serving_ids(&repo, &site, Country::Us, "10000").await, ["sam-nguyen"]);
    assert_eq!(serving_ids(&repo, &site, Country::Us, "29990-1234").await, ["sam-nguyen"]);
    assert!(serving_ids(&repo, &site, Country::Us, "10001").await.is_empty());
    tech.areas = areas(Country::Us, &["94105"]);
    repo.save_technician(&tech, Country::Us, Precondition::Any, None).await.expect("shrunk");
    assert!(serving_ids(&repo, &site, Country::Us, "10000").await.is_empty());
    let bucket = jobslot_functions::store::keys::coverage_partition(&site, "100");
    let leftovers = store.query(&bucket, &SkRange::Prefix("TECH#".into())).await.expect("query");
    assert!(leftovers.is_empty(), "the previous save's entries are deleted: {leftovers:?}");
    let current = jobslot_functions::store::keys::coverage_partition(&site, "941");
    assert_eq!(store.query(&current, &SkRange::Prefix("TECH#".into())).await.expect("query").len(), 1);
}

pub async fn get_many_returns_the_items_that_exist(store: impl Store) {
    let writes = (0..5).map(|i| put(item("P#m", &format!("S#{i}"), "{}"), Condition::Always)).collect();
    store.transact(writes).await.expect("put");
    let keys: Vec<Key> = [0, 2, 4, 7].iter().map(|i| Key::new("P#m", format!("S#{i}"))).collect();
    let mut found: Vec<String> =
        store.get_many(&keys).await.expect("get").into_iter().map(|i| i.key.sk).collect();
    found.sort();
    assert_eq!(found, ["S#0", "S#2", "S#4"]);
    assert!(store.get_many(&[]).await.expect("empty").is_empty());
}

pub async fn an_unchanged_condition_refuses_a_write_over_a_newer_record(store: impl Store) {
    store.transact(vec![put(item("P#u", "x", r#"{"v":1}"#), Condition::Always)]).await.expect("seed");
    let stale = Condition::Unchanged(r#"{"v":0}"#.into());
    let refused = store.transact(vec![put(item("P#u", "x", r#"{"v":2}"#), stale)]).await;
    assert!(matches!(refused, Err(StoreError::ConditionFailed(_))), "{refused:?}");
    let current = Condition::Unchanged(r#"{"v":1}"#.into());
    store.transact(vec![put(item("P#u", "x", r#"{"v":2}"#), current.clone())]).await.expect("fresh");
    let missing = store.transact(vec![put(item("P#u", "absent", "{}"), current)]).await;
    assert!(matches!(missing, Err(StoreError::ConditionFailed(_))), "an absent item is not unchanged");
}

fn slot(start: &str, minutes: i64) -> Interval {
    let start: Timestamp = start.parse().expect("start");
    Interval { start, end: start + SignedDuration::from_mins(minutes) }
}

pub async fn a_booking_is_stored_with_its_work_order(store: impl Store) {
    let app = demo_app(store).await;
    let submitted = app
        .submit_work_order(&demo::site_id(), &crate::support::key("key-00000001"), &submission(FIRST_SLOT))
        .await
        .expect("booked");
    let site = demo::site_id();
    let sam = TechnicianId::parse("t", "sam-nguyen").expect("id");
    let bookings = app.repository().bookings(&site, &sam, slot(FIRST_SLOT, 24 * 60)).await.expect("bookings");
    assert_eq!(bookings.len(), 1);
    assert_eq!(bookings[0].time, slot(FIRST_SLOT, 60));
    assert_eq!(bookings[0].work_order, submitted.created.number);
    let order =
        app.repository().work_order(&site, &submitted.created.number).await.expect("read").expect("stored");
    assert_eq!(order.contact.email.as_str(), "mary@example.com");
    assert_eq!(order.appointment.map(|a| a.planned_start), Some(bookings[0].time.start));
}

pub async fn an_overlapping_booking_is_refused_and_leaves_nothing(store: impl Store) {
    let app = demo_app(store).await;
    app.submit_work_order(&demo::site_id(), &crate::support::key("key-00000001"), &submission(FIRST_SLOT))
        .await
        .expect("booked");
    let first = app.repository().bookings(&demo::site_id(), &sam(), slot(FIRST_SLOT, 60)).await.expect("b")
        [0]
    .clone();
    // Straight to the repository, past availability: the store's locks alone must refuse it.
    let overlapping = Booking {
        time: slot("2026-11-23T22:30:00Z", 60),
        work_order: jobslot_domain::ids::WorkOrderNumber::from_random(42),
        ..first.clone()
    };
    let order = app.repository().work_order(&first.site, &first.work_order).await.expect("r").expect("wo");
    let new = NewBooking {
        booked_by: "customer".into(),
        follows: None,
        booking: overlapping.clone(),
        work_order: jobslot_domain::work_order::WorkOrder { number: overlapping.work_order.clone(), ..order },
        idempotency: None,
    };
    let refused = app.repository().create_booking(&new).await;
    assert!(matches!(refused, Err(BookingRefused::SlotTaken)), "{refused:?}");
    assert_eq!(app.repository().work_order(&first.site, &overlapping.work_order).await.expect("r"), None);
    let bookings =
        app.repository().bookings(&first.site, &sam(), slot(FIRST_SLOT, 24 * 60)).await.expect("b");
    assert_eq!(bookings, [first]);
}

fn sam() -> TechnicianId {
    TechnicianId::parse("t", "sam-nguyen").expect("id")
}

pub async fn thirty_two_concurrent_submissions_for_one_slot_book_it_once(store: impl Store) {
    let app = demo_app(store).await;
    let barrier = Arc::new(Barrier::new(32));
    let attempts: Vec<_> = (0..32)
        .map(|i| {
            let (app, barrier) = (app.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                let key = format!("race-key-{i:04}");
                barrier.wait().await;
                app.submit_work_order(&demo::site_id(), &crate::support::key(&key), &submission(FIRST_SLOT))
                    .await
            })
        })
        .collect();
    let mut booked = 0;
    let mut conflicts = 0;
    for attempt in futures::future::join_all(attempts).await {
        match attempt.expect("task") {
            Ok(_) => booked += 1,
            Err(AppError::SlotUnavailable) => conflicts += 1,
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!((booked, conflicts), (1, 31));
    let site = SiteId::parse("s", demo::DEMO_SITE).expect("site");
    let bookings =
        app.repository().bookings(&site, &sam(), slot(FIRST_SLOT, 24 * 60)).await.expect("bookings");
    assert_eq!(bookings.len(), 1, "exactly one booking is stored");
}

pub async fn a_retried_submission_gets_the_first_answer(store: impl Store) {
    let app = demo_app(store).await;
    let request = submission(FIRST_SLOT);
    let first = app
        .submit_work_order(&demo::site_id(), &crate::support::key("retry-key-1"), &request)
        .await
        .expect("booked");
    let again = app
        .submit_work_order(&demo::site_id(), &crate::support::key("retry-key-1"), &request)
        .await
        .expect("replayed");
    assert!(!first.replayed && again.replayed);
    assert_eq!(first.created, again.created);
    let mut changed = request.clone();
    changed.job.contact.name = "Someone Else".into();
    let reused = app.submit_work_order(&demo::site_id(), &crate::support::key("retry-key-1"), &changed).await;
    assert!(matches!(reused, Err(AppError::IdempotencyKeyReused)), "{reused:?}");
    let bookings =
        app.repository().bookings(&demo::site_id(), &sam(), slot(FIRST_SLOT, 24 * 60)).await.expect("b");
    assert_eq!(bookings.len(), 1);
}

/// Books Sam at each of `times` at once, straight through the repository (past every check
/// of the service: only the store's conditions stand between them), as copies of one booked
/// order; returns each write's outcome.
async fn race_bookings_of_sam<S: Store>(
    app: &jobslot_functions::app::App<S>,
    times: Vec<Interval>,
) -> Vec<Result<(), BookingRefused>> {
    let template = app
        .submit_work_order(
            &demo::site_id(),
            &crate::support::key("template-key"),
            &submission("2026-11-24T00:00:00Z"),
        )
        .await
        .expect("a booking to copy");
    let site = demo::site_id();
    let order = app.repository().work_order(&site, &template.created.number).await.expect("r").expect("wo");
    let barrier = Arc::new(Barrier::new(times.len()));
    let writers: Vec<_> = (1_000u64..)
        .zip(times)
        .map(|(i, time)| {
            let (repo, barrier) = (app.repository().clone(), Arc::clone(&barrier));
            let number = jobslot_domain::ids::WorkOrderNumber::from_random(i);
            let new = NewBooking {
                booked_by: "customer".into(),
                follows: None,
                booking: Booking { site: site.clone(), technician: sam(), work_order: number.clone(), time },
                work_order: jobslot_domain::work_order::WorkOrder { number, ..order.clone() },
                idempotency: None,
            };
            tokio::spawn(async move {
                barrier.wait().await;
                repo.create_booking(&new).await
            })
        })
        .collect();
    futures::future::join_all(writers).await.into_iter().map(|w| w.expect("task")).collect()
}

pub async fn sixteen_writes_racing_for_one_slot_at_the_repository_store_one(store: impl Store) {
    let app = demo_app(store).await;
    let site = demo::site_id();
    let outcomes = race_bookings_of_sam(&app, vec![slot(FIRST_SLOT, 60); 16]).await;
    let mut counts = (0, 0);
    for outcome in outcomes {
        match outcome {
            Ok(()) => counts.0 += 1,
            Err(BookingRefused::SlotTaken) => counts.1 += 1,
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!(counts, (1, 15));
    let bookings = app.repository().bookings(&site, &sam(), slot(FIRST_SLOT, 60)).await.expect("b");
    assert_eq!(bookings.len(), 1, "exactly one booking holds the slot");
}

pub async fn twenty_concurrent_retries_with_one_key_all_get_the_one_booking(store: impl Store) {
    let app = demo_app(store).await;
    let barrier = Arc::new(Barrier::new(20));
    let retries: Vec<_> = (0..20)
        .map(|_| {
            let (app, barrier) = (app.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                app.submit_work_order(
                    &demo::site_id(),
                    &crate::support::key("one-key-20"),
                    &submission(FIRST_SLOT),
                )
                .await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for retry in futures::future::join_all(retries).await {
        match retry.expect("task") {
            Ok(submitted) => numbers.push(submitted.created.number),
            Err(other) => panic!("a retry was refused: {other:?}"),
        }
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every retry names the same work order");
    let bookings =
        app.repository().bookings(&demo::site_id(), &sam(), slot(FIRST_SLOT, 24 * 60)).await.expect("b");
    assert_eq!(bookings.len(), 1);
}

pub async fn a_retry_after_the_form_changed_gets_the_first_answer(store: impl Store) {
    let app = demo_app(store).await;
    let request = submission(FIRST_SLOT);
    let first = app
        .submit_work_order(&demo::site_id(), &crate::support::key("form-change-1"), &request)
        .await
        .expect("booked");
    let mut site = app.repository().site(&demo::site_id()).await.expect("read").expect("site");
    site.order_form.fields.push(
        serde_json::from_value(serde_json::json!({
            "id": "vin", "label": "VIN", "kind": "text", "max_length": 17, "required": true
        }))
        .expect("field"),
    );
    app.repository().save_site(&site).await.expect("form changed");
    let again =
        app.submit_work_order(&demo::site_id(), &crate::support::key("form-change-1"), &request).await;
    let again = again.expect("a genuine retry is answered, not validated against the new form");
    assert!(again.replayed);
    assert_eq!(again.created, first.created);
    let fresh = app
        .submit_work_order(
            &demo::site_id(),
            &crate::support::key("form-change-2"),
            &submission("2026-11-24T00:00:00Z"),
        )
        .await;
    assert!(matches!(fresh, Err(AppError::Validation(_))), "a new request meets the new form: {fresh:?}");
}

pub async fn a_slot_overlapping_a_booking_is_refused_before_any_write(store: impl Store) {
    let store = CountingStore::new(store);
    let app = demo_app(store.clone()).await;
    // 09:30-10:30 Sydney is booked; 09:00-10:00 overlaps it from its second half-hour on.
    app.submit_work_order(
        &demo::site_id(),
        &crate::support::key("later-half-1"),
        &submission("2026-11-23T22:30:00Z"),
    )
    .await
    .expect("booked");
    let before = store.transactions();
    let refused = app
        .submit_work_order(&demo::site_id(), &crate::support::key("earlier-1"), &submission(FIRST_SLOT))
        .await;
    assert!(matches!(refused, Err(AppError::SlotUnavailable)), "{refused:?}");
    assert_eq!(store.transactions(), before, "the availability check refused it, not a failed write");
}

fn member(site: &str, user: &str, role: jobslot_domain::staff::Role) -> Member {
    Member {
        site: SiteId::parse("s", site).expect("site"),
        user: UserId::parse("u", user).expect("user"),
        email: Email::parse("e", &format!("{user}@example.com")).expect("email"),
        role,
        technician: None,
        invited_at: None,
    }
}

pub async fn members_are_listed_per_site_and_per_user(store: impl Store) {
    use jobslot_domain::staff::Role;
    let repo = Repository::new(store);
    repo.save_member(&member("acme", "ann", Role::Owner)).await.expect("save");
    repo.save_member(&member("acme", "bob", Role::Dispatcher)).await.expect("save");
    repo.save_member(&member("other", "ann", Role::Technician)).await.expect("save");
    let acme = SiteId::parse("s", "acme").expect("site");
    let ann = UserId::parse("u", "ann").expect("user");
    let users: Vec<_> = repo
        .members(&acme)
        .await
        .expect("members")
        .into_iter()
        .map(|m| (m.user.to_string(), m.role))
        .collect();
    assert_eq!(users, [("ann".to_owned(), Role::Owner), ("bob".to_owned(), Role::Dispatcher)]);
    let sites: Vec<_> = repo
        .memberships(&ann)
        .await
        .expect("sites")
        .into_iter()
        .map(|m| (m.site.to_string(), m.role))
        .collect();
    assert_eq!(sites, [("acme".to_owned(), Role::Owner), ("other".to_owned(), Role::Technician)]);
    repo.save_member(&member("acme", "ann", Role::Dispatcher)).await.expect("demote");
    assert_eq!(repo.member(&acme, &ann).await.expect("read").map(|m| m.role), Some(Role::Dispatcher));
    assert_eq!(
        repo.memberships(&ann).await.expect("sites")[0].role,
        Role::Dispatcher,
        "both copies change together"
    );
    assert!(!repo.is_operator(&ann).await.expect("read"));
    repo.add_operator(&ann).await.expect("operator");
    assert!(repo.is_operator(&ann).await.expect("read"));
}

pub async fn an_account_email_is_taken_once_whatever_its_case(store: impl Store) {
    let repo = Repository::new(store);
    let account = |email: &str, user: &str| Account {
        user: UserId::parse("u", user).expect("user"),
        email: Email::parse("e", email).expect("email"),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        created_at: crate::support::now(),
        sessions_since: None,
    };
    repo.create_account(&account("Ann@Example.com", "ann")).await.expect("created");
    let again = repo.create_account(&account("ann@example.com", "impostor")).await;
    assert!(matches!(again, Err(AccountRefused::EmailTaken)), "{again:?}");
    let found = repo.account(&Email::parse("e", "ANN@example.com").expect("email")).await.expect("read");
    assert_eq!(found.map(|a| a.user.to_string()), Some("ann".to_owned()));
}

pub async fn the_first_signing_key_stays_the_key(store: impl Store) {
    let repo = Repository::new(store);
    let first = repo.signing_key_or_insert(b"first-key").await.expect("insert");
    let second = repo.signing_key_or_insert(b"second-key").await.expect("read");
    assert_eq!((first.as_slice(), second.as_slice()), (&b"first-key"[..], &b"first-key"[..]));
}

pub async fn a_grant_is_used_once_even_by_racing_requests(store: impl Store) {
    let repo = Repository::new(store);
    let now = crate::support::now();
    let expires = now.as_second() + 60;
    repo.save_grant("hash-1", &serde_json::json!({ "user": "ann" }), expires).await.expect("saved");
    let barrier = Arc::new(Barrier::new(8));
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let (repo, barrier) = (repo.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                repo.use_grant::<serde_json::Value>("hash-1", now, None).await.expect("store")
            })
        })
        .collect();
    let winners =
        futures::future::join_all(racers).await.into_iter().filter(|r| matches!(r, Ok(Some(_)))).count();
    assert_eq!(winners, 1, "one racer gets the grant, the others nothing");

    repo.save_grant("hash-2", &serde_json::json!({ "user": "bob" }), expires).await.expect("saved");
    let later = now + SignedDuration::from_secs(61);
    assert_eq!(
        repo.use_grant::<serde_json::Value>("hash-2", later, None).await.expect("store"),
        None,
        "expired"
    );

    repo.save_grant("hash-3", &serde_json::json!({ "n": 3 }), expires).await.expect("saved");
    let rotated = repo
        .use_grant::<serde_json::Value>(
            "hash-3",
            now,
            Some(("hash-4", &serde_json::json!({ "n": 4 }), expires)),
        )
        .await
        .expect("store");
    assert_eq!(rotated, Some(serde_json::json!({ "n": 3 })));
    let next: Option<serde_json::Value> = repo.get_grant("hash-4", now).await.expect("store");
    assert_eq!(next, Some(serde_json::json!({ "n": 4 })), "the replacement is saved in the same write");
}

pub async fn the_audit_trail_pages_newest_first(store: impl Store) {
    let repo = Repository::new(store.clone());
    let site = SiteId::parse("s", "acme").expect("site");
    let start = crate::support::now();
    let writes: Vec<Write> = (0..7)
        .map(|i| {
            AuditEntry {
                at: start + SignedDuration::from_secs(i),
                user: UserId::parse("u", "ann").expect("user"),
                email: "ann@example.com".into(),
                action: "technician.changed".into(),
                target: format!("tech-{i}"),
            }
            .write(&site)
            .expect("write")
        })
        .collect();
    store.transact(writes).await.expect("recorded");
    let first = repo.audit(&site, None, 3).await.expect("page");
    let targets = |page: &jobslot_domain::audit::AuditPage| {
        page.entries.iter().map(|e| e.target.clone()).collect::<Vec<_>>()
    };
    assert_eq!(targets(&first), ["tech-6", "tech-5", "tech-4"]);
    let second = repo.audit(&site, first.next.as_deref(), 3).await.expect("page");
    assert_eq!(targets(&second), ["tech-3", "tech-2", "tech-1"]);
    let last = repo.audit(&site, second.next.as_deref(), 3).await.expect("page");
    assert_eq!((targets(&last), last.next), (vec!["tech-0".to_owned()], None));
    let other = SiteId::parse("s", "other").expect("site");
    assert!(repo.audit(&other, None, 3).await.expect("page").entries.is_empty(), "trails are per site");
}

pub async fn saved_sites_are_listed_and_versioned(store: impl Store) {
    let repo = Repository::new(store);
    let mut site = demo::site().expect("demo");
    let v1 = repo.save_site_if(&site, Precondition::Absent, vec![]).await.expect("created");
    assert_eq!(repo.site_ids().await.expect("ids"), [site.id.clone()]);
    site.business_name = "Acme Mobile Mechanics".into();
    let v2 = repo.save_site_if(&site, Precondition::Version(v1.clone()), vec![]).await.expect("changed");
    assert_ne!(v1, v2);
    let stale = repo.save_site_if(&site, Precondition::Version(v1), vec![]).await;
    assert!(matches!(stale, Err(SaveRefused::Changed)), "{stale:?}");
    let (stored, version) = repo.site_versioned(&site.id).await.expect("read").expect("site");
    assert_eq!((stored.business_name.as_str(), version), ("Acme Mobile Mechanics", v2));
}

pub async fn a_slots_search_makes_three_store_requests_however_many_technicians_serve(store: impl Store) {
    let store = CountingStore::new(store);
    let app = demo_app(store.clone()).await;
    let sam = demo::technicians().expect("demo")[0].clone();
    for i in 0..20 {
        let extra = jobslot_domain::site::Technician {
            id: TechnicianId::parse("id", &format!("extra-{i:02}")).expect("id"),
            name: format!("Extra {i}"),
            areas: areas(Country::Au, &["2000"]),
            ..sam.clone()
        };
        app.repository()
            .save_technician(&extra, Country::Au, Precondition::Absent, None)
            .await
            .expect("save");
    }
    store.reset_reads();
    let query = jobslot_domain::api::SlotsQuery {
        postcode: "2000".into(),
        service: "basic-service".into(),
        from: None,
        days: Some(14),
    };
    let found = app.slots(&demo::site_id(), &query).await.expect("slots");
    assert!(found.technicians.len() > 20, "{} technicians serve 2000", found.technicians.len());
    // The site; the postcode's coverage bucket; then every record and schedule at once.
    assert_eq!(store.read_rounds(), 3, "rounds of reads, whatever the number of technicians");
    assert_eq!(store.reads(), 3, "one batch of records and schedule sheets");
}

/// The entries of a map item, none when it is absent.
async fn entries(store: &impl Store, key: &Key) -> Vec<(String, String)> {
    match store.get(key).await.expect("get") {
        Some(item) => entries_of(&item.data).expect("a map item").into_iter().collect(),
        None => vec![],
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

pub async fn a_map_item_sets_replaces_and_removes_entries_without_reading(store: impl Store) {
    let key = Key::new("P#map", "SHEET#2026-11");
    let entries_write = |set: &[(&str, &str)], remove: &[&str]| Write::Entries {
        key: key.clone(),
        set: pairs(set),
        remove: remove.iter().map(|n| (*n).to_owned()).collect(),
    };
    // Names as work-order numbers and worse: dots, hashes and spaces are not paths.
    let first = entries_write(&[("WO-00000001", "a/b"), ("x.y#z w", "é")], &["never-there"]);
    store.transact(vec![first]).await.expect("created");
    assert_eq!(entries(&store, &key).await, pairs(&[("WO-00000001", "a/b"), ("x.y#z w", "é")]));
    store.transact(vec![entries_write(&[("WO-00000001", "c/d")], &["x.y#z w"])]).await.expect("changed");
    assert_eq!(entries(&store, &key).await, pairs(&[("WO-00000001", "c/d")]));

    let taken = item("P#map", "TAKEN", "{}");
    store.transact(vec![put(taken.clone(), Condition::Always)]).await.expect("put");
    let refused =
        store.transact(vec![put(taken, Condition::NotExists), entries_write(&[("WO-2", "e/f")], &[])]).await;
    assert!(matches!(refused, Err(StoreError::ConditionFailed(ref f)) if *f == [0]), "{refused:?}");
    assert_eq!(
        entries(&store, &key).await,
        pairs(&[("WO-00000001", "c/d")]),
        "nothing of a refused transaction"
    );

    store.transact(vec![entries_write(&[], &["WO-00000001"])]).await.expect("emptied");
    assert_eq!(entries(&store, &key).await, vec![]);
    let nameless = store.transact(vec![entries_write(&[], &[])]).await;
    assert!(matches!(nameless, Err(StoreError::Invalid(_))), "{nameless:?}");
    let twice = store.transact(vec![entries_write(&[("WO-3", "a")], &["WO-3"])]).await;
    assert!(matches!(twice, Err(StoreError::Invalid(_))), "{twice:?}");
}

pub async fn bookings_of_one_technician_at_different_times_racing_at_the_repository_all_land(
    store: impl Store,
) {
    let app = demo_app(store).await;
    let site = demo::site_id();
    // Twelve hours of one day, one booking each, all written into the same month's sheet.
    let start: Timestamp = "2026-11-25T00:00:00Z".parse().expect("t");
    let times = (0..12)
        .map(|h| {
            let start = start + SignedDuration::from_hours(h);
            Interval { start, end: start + SignedDuration::from_hours(1) }
        })
        .collect();
    for outcome in race_bookings_of_sam(&app, times).await {
        outcome.expect("a free time is booked");
    }
    let day = slot("2026-11-25T00:00:00Z", 24 * 60);
    let booked = app.repository().bookings(&site, &sam(), day).await.expect("bookings");
    assert_eq!(booked.len(), 12, "no booking lost another's entry");
}

pub async fn bookings_kept_as_items_before_sheets_are_moved_into_them(store: impl Store) {
    let app = demo_app(store.clone()).await;
    let site = demo::site_id();
    let number = jobslot_domain::ids::WorkOrderNumber::from_random(77);
    let time = slot(FIRST_SLOT, 60);
    let legacy = Booking { site: site.clone(), technician: sam(), work_order: number.clone(), time };
    let legacy_key = Key::new(
        keys::schedule_partition(&site, &sam()),
        format!("{}{}#{number}", keys::LEGACY_BOOKING, FIRST_SLOT),
    );
    let data = serde_json::to_string(&legacy).expect("json");
    store
        .transact(vec![put(item(&legacy_key.pk, &legacy_key.sk, &data), Condition::Always)])
        .await
        .expect("put");
    assert!(
        app.repository().bookings(&site, &sam(), time).await.expect("read").is_empty(),
        "not in a sheet yet"
    );

    assert_eq!(app.repository().move_legacy_bookings(&site).await.expect("moved"), 1);
    assert_eq!(app.repository().bookings(&site, &sam(), time).await.expect("read"), [legacy]);
    assert_eq!(store.get(&legacy_key).await.expect("get"), None, "the old item goes in the same write");
    assert_eq!(app.repository().move_legacy_bookings(&site).await.expect("again"), 0);
}
