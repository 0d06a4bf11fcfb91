//! Conformance of work-order operations after booking: the list views, changes that move or
//! free a technician's time, and racing edits.

use crate::support::{FIRST_SLOT, demo_app, submission};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::availability::Interval;
use jobslot_domain::booking::Booking;
use jobslot_domain::contact::Email;
use jobslot_domain::dispatch::{HistoryEntry, WorkOrderListQuery, WorkOrderPatch};
use jobslot_domain::ids::{TechnicianId, UserId, WorkOrderNumber};
use jobslot_domain::staff::Role;
use jobslot_domain::work_order::{Appointment, Assignee};
use jobslot_functions::app::setup::Expect;
use jobslot_functions::app::{App, AppError};
use jobslot_functions::demo;
use jobslot_functions::repository::{ChangeRefused, Member, NewBooking, Repository, StoredOrder};
use jobslot_functions::store::{SkRange, Store};
use serde_json::json;
use std::sync::Arc;
use tokio::sync::Barrier;

fn tech(id: &str) -> TechnicianId {
    TechnicianId::parse("t", id).expect("id")
}

fn at(instant: &str) -> Timestamp {
    instant.parse().expect("instant")
}

fn day() -> Interval {
    Interval { start: at("2026-11-23T13:00:00Z"), end: at("2026-11-24T13:00:00Z") }
}

pub async fn dispatcher<S: Store>(app: &App<S>) -> UserId {
    member(app, "dispatcher-1", "dispatch@acme.example", Role::Dispatcher).await
}

/// A member of the demo site with `role`.
pub async fn member<S: Store>(app: &App<S>, id: &str, email: &str, role: Role) -> UserId {
    let user = UserId::parse("u", id).expect("user");
    let member = Member {
        site: demo::site_id(),
        user: user.clone(),
        email: Email::parse("e", email).expect("email"),
        role,
        technician: None,
        invited_at: None,
    };
    app.repository().save_member(&member).await.expect("member");
    user
}

pub async fn book<S: Store>(app: &App<S>, technician: &str, start: &str, name: &str) -> WorkOrderNumber {
    let mut request = submission(start);
    request.technician = technician.into();
    request.job.contact.name = name.into();
    let key = format!("key-{technician}-{name}-{}", start.replace(':', "-"));
    app.submit_work_order(&demo::site_id(), &crate::support::key(&key), &request)
        .await
        .expect("booked")
        .created
        .number
}

/// Moves `stored` to each of `starts` with `technician` at the same moment (a barrier at the
/// repository releases the edits together); the times whose edit was written.
pub async fn move_at_once<S: Store>(
    repo: &Repository<S>,
    stored: &StoredOrder,
    starts: &[&str],
    technician: Assignee,
) -> Vec<Interval> {
    let barrier = Arc::new(Barrier::new(starts.len()));
    let edits: Vec<_> = starts
        .iter()
        .map(|start| {
            let (repo, barrier, stored, technician) =
                (repo.clone(), Arc::clone(&barrier), stored.clone(), technician.clone());
            let time = hour(start);
            tokio::spawn(async move {
                let mut after = stored.order.clone();
                after.appointment =
                    Some(Appointment { planned_start: time.start, planned_end: time.end, technician });
                let entry = HistoryEntry { at: time.start, by: "race".into(), changes: Vec::new() };
                barrier.wait().await;
                (time, repo.change_order(&stored, &after, &entry).await)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for edit in futures::future::join_all(edits).await {
        match edit.expect("task") {
            (time, Ok(_)) => winners.push(time),
            (_, Err(ChangeRefused::Changed)) => {}
            (_, Err(other)) => panic!("unexpected outcome: {other:?}"),
        }
    }
    winners
}

pub async fn patch<S: Store>(
    app: &App<S>,
    user: &UserId,
    number: &WorkOrderNumber,
    body: serde_json::Value,
) -> Result<jobslot_domain::dispatch::WorkOrderDetail, AppError> {
    let current = app.work_order_detail(&demo::site_id(), user, number).await.expect("read");
    let patch: WorkOrderPatch = serde_json::from_value(body).expect("patch");
    app.change_work_order(&demo::site_id(), user, number, &Expect::Version(current.version), &patch)
        .await
        .map(|v| v.value)
}

async fn held<S: Store>(app: &App<S>, technician: &str) -> Vec<(Interval, WorkOrderNumber)> {
    let bookings =
        app.repository().bookings(&demo::site_id(), &tech(technician), day()).await.expect("bookings");
    bookings.into_iter().map(|b| (b.time, b.work_order)).collect()
}

fn hour(start: &str) -> Interval {
    Interval { start: at(start), end: at(start) + SignedDuration::from_hours(1) }
}

async fn list<S: Store>(
    app: &App<S>,
    user: &UserId,
    query: WorkOrderListQuery,
) -> (Vec<String>, Option<String>) {
    let page = app.work_orders(&demo::site_id(), user, &query).await.expect("list");
    (page.items.into_iter().map(|s| s.customer).collect(), page.next)
}

pub async fn work_orders_are_listed_by_appointment_a_page_at_a_time_in_every_view(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    book(&app, "sam-nguyen", "2026-11-24T00:00:00Z", "Carol").await;
    book(&app, "priya-shah", FIRST_SLOT, "Bob").await;
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    book(&app, "sam-nguyen", "2026-11-24T22:00:00Z", "Dave").await;
    book(&app, "priya-shah", "2026-11-25T22:00:00Z", "Erin").await;

    let paged = |cursor: Option<String>| WorkOrderListQuery { limit: Some(2), cursor, ..Default::default() };
    let (first, next) = list(&app, &user, paged(None)).await;
    assert_eq!(first.len(), 2);
    let (second, next) = list(&app, &user, paged(next)).await;
    let (third, last) = list(&app, &user, paged(next)).await;
    assert_eq!(last, None);
    let all: Vec<String> = [first, second, third].concat();
    // Alice and Bob start together; the number decides between them.
    assert_eq!(all[2..], ["Carol", "Dave", "Erin"]);
    assert!(all[..2].contains(&"Alice".to_string()) && all[..2].contains(&"Bob".to_string()));

    let sams =
        list(&app, &user, WorkOrderListQuery { technician: Some("sam-nguyen".into()), ..Default::default() });
    assert_eq!(sams.await.0, ["Alice", "Carol", "Dave"]);
    let tuesday = WorkOrderListQuery {
        from: Some("2026-11-24".into()),
        to: Some("2026-11-24".into()),
        ..Default::default()
    };
    assert_eq!(list(&app, &user, tuesday).await.0.len(), 3, "the 24th in Sydney");
    let words = WorkOrderListQuery { q: Some("erin sydney".into()), ..Default::default() };
    assert_eq!(list(&app, &user, words).await.0, ["Erin"]);
    let at_2000 =
        WorkOrderListQuery { postcode: Some("2000".into()), limit: Some(100), ..Default::default() };
    assert_eq!(list(&app, &user, at_2000).await.0.len(), 5);
    let elsewhere = WorkOrderListQuery { postcode: Some("2060".into()), ..Default::default() };
    assert!(list(&app, &user, elsewhere).await.0.is_empty());
}

pub async fn the_list_follows_every_change_of_an_order(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    patch(&app, &user, &number, json!({ "status": "enroute" })).await.expect("enroute");
    let status = |s: &str| WorkOrderListQuery { status: Some(s.into()), ..Default::default() };
    assert_eq!(list(&app, &user, status("enroute")).await.0, ["Alice"]);
    assert!(list(&app, &user, status("new")).await.0.is_empty(), "the old status's view forgot it");
    patch(&app, &user, &number, json!({ "technician": "priya-shah" })).await.expect("reassigned");
    let of = |t: &str| WorkOrderListQuery { technician: Some(t.into()), ..Default::default() };
    assert!(list(&app, &user, of("sam-nguyen")).await.0.is_empty());
    assert_eq!(list(&app, &user, of("priya-shah")).await.0, ["Alice"]);
    let detail = app.work_order_detail(&demo::site_id(), &user, &number).await.expect("read").value;
    let fields: Vec<_> =
        detail.history.iter().flat_map(|e| e.changes.iter().map(|c| c.field.as_str())).collect();
    assert_eq!(fields, ["status", "status", "technician"], "{:?}", detail.history);
    assert_eq!(detail.history[0].by, "customer");
    assert_eq!(detail.history[1].by, "dispatch@acme.example");
}

pub async fn rescheduling_and_reassigning_move_the_booked_time_in_the_same_write(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    // 13:00 Sydney, after Sam's lunch break.
    patch(&app, &user, &number, json!({ "start": "2026-11-24T02:00:00Z" })).await.expect("rescheduled");
    assert_eq!(held(&app, "sam-nguyen").await, [(hour("2026-11-24T02:00:00Z"), number.clone())]);
    // The old time is free for a customer again; the new one is not.
    book(&app, "sam-nguyen", FIRST_SLOT, "Bob").await;
    let taken = app
        .submit_work_order(
            &demo::site_id(),
            &crate::support::key("key-taken-1"),
            &submission("2026-11-24T02:00:00Z"),
        )
        .await;
    assert!(matches!(taken, Err(AppError::SlotUnavailable)), "{taken:?}");

    patch(&app, &user, &number, json!({ "technician": "priya-shah" })).await.expect("reassigned");
    assert_eq!(held(&app, "priya-shah").await, [(hour("2026-11-24T02:00:00Z"), number.clone())]);
    assert_eq!(held(&app, "sam-nguyen").await.len(), 1, "only Bob's booking is left with Sam");
    // Moving onto booked or closed time is refused, and nothing moves.
    let onto_bob =
        patch(&app, &user, &number, json!({ "technician": "sam-nguyen", "start": FIRST_SLOT })).await;
    assert!(matches!(onto_bob, Err(AppError::SlotUnavailable)), "{onto_bob:?}");
    let lunch = patch(&app, &user, &number, json!({ "start": "2026-11-24T01:00:00Z" })).await;
    assert!(matches!(lunch, Err(AppError::SlotUnavailable)), "{lunch:?}");
    assert_eq!(held(&app, "priya-shah").await, [(hour("2026-11-24T02:00:00Z"), number.clone())]);
    let nobody = patch(&app, &user, &number, json!({ "technician": "tom-kelly" })).await;
    assert!(matches!(nobody, Err(AppError::Validation(ref e)) if e[0].field == "technician"), "{nobody:?}");
}

pub async fn cancelling_or_rejecting_frees_the_time_and_closing_keeps_it(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let cancelled = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let rejected = book(&app, "sam-nguyen", "2026-11-24T00:00:00Z", "Bob").await;
    let closed = book(&app, "priya-shah", FIRST_SLOT, "Carol").await;
    patch(&app, &user, &cancelled, json!({ "status": "cancelled" })).await.expect("cancelled");
    patch(&app, &user, &rejected, json!({ "status": "rejected", "reason_code": "duplicate" }))
        .await
        .expect("rej");
    patch(&app, &user, &closed, json!({ "status": "onsite" })).await.expect("onsite");
    patch(&app, &user, &closed, json!({ "status": "closed_complete" })).await.expect("closed");
    assert!(held(&app, "sam-nguyen").await.is_empty());
    assert_eq!(held(&app, "priya-shah").await.len(), 1);
    // The freed hour books again.
    book(&app, "sam-nguyen", FIRST_SLOT, "Dave").await;
    let moved = patch(&app, &user, &cancelled, json!({ "start": "2026-11-24T02:00:00Z" })).await;
    assert!(
        matches!(moved, Err(AppError::Validation(_))),
        "a cancelled order has no time to move: {moved:?}"
    );
}

pub async fn dispatchers_rescheduling_one_order_at_once_one_wins_and_the_locks_match(store: impl Store) {
    let app = demo_app(store.clone()).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let repo = app.repository().clone();
    let stored = repo.stored_order(&demo::site_id(), &number).await.expect("read").expect("stored");
    // Eight edits of the same version, each to its own hour; past the service's checks, so
    // only the store's condition on the order stands between them.
    let targets = [
        "2026-11-24T00:00:00Z",
        "2026-11-24T02:00:00Z",
        "2026-11-24T03:00:00Z",
        "2026-11-24T04:00:00Z",
        "2026-11-24T05:00:00Z",
        "2026-11-24T22:00:00Z",
        "2026-11-24T23:00:00Z",
        "2026-11-25T00:00:00Z",
    ];
    let technician = stored.order.technician().cloned().expect("booked");
    let winners = move_at_once(&repo, &stored, &targets, technician).await;
    assert_eq!(winners.len(), 1, "exactly one edit wins");
    let winner = winners[0];
    let order = repo.work_order(&demo::site_id(), &number).await.expect("read").expect("stored");
    assert_eq!(order.appointment.map(|a| a.time()), Some(winner));
    let bookings = repo
        .bookings(
            &demo::site_id(),
            &tech("sam-nguyen"),
            Interval { start: at("2026-11-23T00:00:00Z"), end: at("2026-11-26T00:00:00Z") },
        )
        .await
        .expect("bookings");
    assert_eq!(bookings.iter().map(|b| b.time).collect::<Vec<_>>(), [winner]);
    let locks = store
        .query(&format!("SITE#{}#TECH#sam-nguyen", demo::DEMO_SITE), &SkRange::Prefix("LOCK#".into()))
        .await
        .expect("locks");
    let cells: Vec<String> = locks.into_iter().map(|l| l.key.sk).collect();
    let expected: Vec<String> = jobslot_domain::availability::grid_cells(&winner)
        .into_iter()
        .map(|c| format!("LOCK#{}", c.strftime("%Y-%m-%dT%H:%M:%SZ")))
        .collect();
    assert_eq!(cells, expected, "the locks are the winner's and only the winner's");
}

pub async fn a_stale_version_gets_412_and_a_missing_one_428(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let first = app.work_order_detail(&demo::site_id(), &user, &number).await.expect("read");
    let body: WorkOrderPatch = serde_json::from_value(json!({ "priority": 5 })).expect("patch");
    let expect = Expect::Version(first.version.clone());
    app.change_work_order(&demo::site_id(), &user, &number, &expect, &body).await.expect("first edit");
    let again: WorkOrderPatch = serde_json::from_value(json!({ "priority": 7 })).expect("patch");
    let stale = app.change_work_order(&demo::site_id(), &user, &number, &expect, &again).await;
    assert!(matches!(stale, Err(AppError::PreconditionFailed)), "{stale:?}");
    let unstated = app.change_work_order(&demo::site_id(), &user, &number, &Expect::Unstated, &again).await;
    assert!(matches!(unstated, Err(AppError::PreconditionRequired)), "{unstated:?}");
    let order = app.work_order_detail(&demo::site_id(), &user, &number).await.expect("read").value.order;
    assert_eq!(order.priority, 5);
}

pub async fn every_change_writes_its_events_in_its_own_transaction(store: impl Store) {
    use jobslot_domain::events::EventKind::*;
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let before = app.work_order_detail(&demo::site_id(), &user, &number).await.expect("read");
    patch(&app, &user, &number, json!({ "status": "enroute" })).await.expect("enroute");
    patch(&app, &user, &number, json!({ "start": "2026-11-24T02:00:00Z" })).await.expect("moved");
    // Refused changes leave no event: a stale version, a taken slot.
    let stale: WorkOrderPatch = serde_json::from_value(json!({ "status": "onsite" })).expect("patch");
    let refused = app
        .change_work_order(&demo::site_id(), &user, &number, &Expect::Version(before.version), &stale)
        .await;
    assert!(matches!(refused, Err(AppError::PreconditionFailed)), "{refused:?}");
    book(&app, "sam-nguyen", FIRST_SLOT, "Bob").await;
    let onto_bob = patch(&app, &user, &number, json!({ "start": FIRST_SLOT })).await;
    assert!(matches!(onto_bob, Err(AppError::SlotUnavailable)), "{onto_bob:?}");
    patch(&app, &user, &number, json!({ "status": "cancelled" })).await.expect("cancelled");

    let events = app.repository().outbox(&demo::site_id()).await.expect("outbox");
    let alice: Vec<_> = events.iter().filter(|e| e.data.work_order == number).map(|e| e.kind).collect();
    assert_eq!(alice, [BookingCreated, StatusChanged, BookingRescheduled, StatusChanged, BookingCancelled]);
    assert_eq!(events.iter().filter(|e| e.kind == BookingCreated).count(), 2, "Alice's and Bob's bookings");
    let ids: std::collections::HashSet<_> = events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), events.len(), "every event has its own id");
}

pub async fn a_reassignment_and_a_booking_racing_for_one_slot_leave_one_holder(store: impl Store) {
    let app = demo_app(store).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let repo = app.repository().clone();
    let site = demo::site_id();
    // Eight rounds, each a fresh hour of Priya's: the reassignment and a new booking of the same
    // hour leave the repository at the same instant; only the locks decide.
    for (round, start) in [
        "2026-11-24T00:00:00Z",
        "2026-11-24T02:00:00Z",
        "2026-11-24T03:00:00Z",
        "2026-11-24T04:00:00Z",
        "2026-11-24T05:00:00Z",
        "2026-11-24T22:00:00Z",
        "2026-11-24T23:00:00Z",
        "2026-11-25T00:00:00Z",
    ]
    .into_iter()
    .enumerate()
    {
        let stored = repo.stored_order(&site, &number).await.expect("read").expect("stored");
        let time = hour(start);
        let mut moved = stored.order.clone();
        moved.appointment = Some(Appointment {
            planned_start: time.start,
            planned_end: time.end,
            technician: Assignee { id: tech("priya-shah"), name: "Priya Shah".into() },
        });
        let rival_number = WorkOrderNumber::from_random(90_000 + round as u64);
        let rival = NewBooking {
            booking: Booking {
                site: site.clone(),
                technician: tech("priya-shah"),
                work_order: rival_number.clone(),
                time,
            },
            work_order: jobslot_domain::work_order::WorkOrder { number: rival_number, ..moved.clone() },
            idempotency: None,
            booked_by: "customer".into(),
            follows: None,
        };
        let barrier = Arc::new(Barrier::new(2));
        let entry = HistoryEntry { at: time.start, by: "race".into(), changes: Vec::new() };
        let (r1, b1, r2, b2) = (repo.clone(), Arc::clone(&barrier), repo.clone(), Arc::clone(&barrier));
        let reassign = tokio::spawn(async move {
            b1.wait().await;
            r1.change_order(&stored, &moved, &entry).await.is_ok()
        });
        let booking = tokio::spawn(async move {
            b2.wait().await;
            r2.create_booking(&rival).await.is_ok()
        });
        let (reassigned, booked) = (reassign.await.expect("task"), booking.await.expect("task"));
        assert!(reassigned ^ booked, "exactly one holds {start}: reassigned {reassigned}, booked {booked}");
        let holders = repo.bookings(&site, &tech("priya-shah"), time).await.expect("bookings");
        assert_eq!(holders.len(), 1, "one booking holds {start}");
        if reassigned {
            // Put the order back with Sam for the next round.
            let stored = repo.stored_order(&site, &number).await.expect("read").expect("stored");
            let mut back = stored.order.clone();
            back.appointment = Some(Appointment {
                planned_start: at(FIRST_SLOT),
                planned_end: at(FIRST_SLOT) + SignedDuration::from_hours(1),
                technician: Assignee { id: tech("sam-nguyen"), name: "Sam Nguyen".into() },
            });
            let entry = HistoryEntry { at: time.start, by: "reset".into(), changes: Vec::new() };
            repo.change_order(&stored, &back, &entry).await.expect("moved back");
        }
    }
}
