//! Conformance of seed 003's connector: work orders created in advance, and their customers
//! booking them through their links, the slot's locks in the same write as the order.

use crate::support::{FIRST_SLOT, demo_app, job};
use crate::work_orders::{dispatcher, move_at_once, patch};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::availability::Interval;
use jobslot_domain::connector::{LinkBookingInput, UnscheduledOrderCreated};
use jobslot_domain::dispatch::WorkOrderListQuery;
use jobslot_domain::events::EventKind;
use jobslot_domain::ids::{TechnicianId, UserId};
use jobslot_domain::work_order::{Assignee, OrderStatus};
use jobslot_functions::app::{App, AppError};
use jobslot_functions::demo;
use jobslot_functions::store::Store;
use serde_json::json;

const CALLBACK: &str = "https://fieldapp.example/jobs/7?from=jobslot";

async fn create<S: Store>(app: &App<S>, user: &UserId) -> (UnscheduledOrderCreated, String) {
    let created = app.create_unscheduled_order(&demo::site_id(), user, &job()).await.expect("created");
    let token = created.booking_path.split("token=").nth(1).expect("a token").to_owned();
    (created, token)
}

fn slot(technician: &str, start: &str) -> LinkBookingInput {
    LinkBookingInput {
        technician: technician.into(),
        start: start.into(),
        terms_accepted: true,
        callback_uri: CALLBACK.into(),
    }
}

async fn allow_callback<S: Store>(app: &App<S>) {
    let mut site = app.repository().site(&demo::site_id()).await.expect("read").expect("site");
    site.allowed_origins.push("https://fieldapp.example".into());
    app.repository().save_site(&site).await.expect("saved");
}

fn sam() -> TechnicianId {
    TechnicianId::parse("t", "sam-nguyen").expect("id")
}

fn hour(start: &str) -> Interval {
    let start: Timestamp = start.parse().expect("start");
    Interval { start, end: start + SignedDuration::from_hours(1) }
}

pub async fn an_order_created_in_advance_is_listed_unscheduled_and_holds_no_time(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let (created, token) = create(&app, &user).await;
    assert_eq!(created.status, OrderStatus::New);
    assert_eq!(token.len(), 43, "32 random bytes");
    assert_eq!(
        created.booking_path,
        format!("/book/{}/work-orders/{}?token={token}", demo::DEMO_SITE, created.number)
    );
    let hash = app.repository().booking_link(&demo::site_id(), &created.number).await.expect("read");
    assert!(hash.is_some_and(|h| h.len() == 64 && !h.contains(&token)), "only the token's hash is kept");

    let detail = app.work_order_detail(&demo::site_id(), &user, &created.number).await.expect("read");
    assert_eq!(detail.value.order.appointment, None);
    assert_eq!(detail.value.history.len(), 1);
    assert_eq!(detail.value.history[0].by, "dispatch@acme.example");
    let all = app.work_orders(&demo::site_id(), &user, &WorkOrderListQuery::default()).await.expect("list");
    let listed = all.items.iter().find(|s| s.number == created.number).expect("listed");
    assert_eq!((listed.start, listed.technician.as_ref()), (None, None));
    let this_week = WorkOrderListQuery { from: Some("2026-11-23".into()), ..Default::default() };
    let dated = app.work_orders(&demo::site_id(), &user, &this_week).await.expect("list");
    assert!(dated.items.iter().all(|s| s.number != created.number), "in no date range");
    let sams = WorkOrderListQuery { technician: Some("sam-nguyen".into()), ..Default::default() };
    let sams = app.work_orders(&demo::site_id(), &user, &sams).await.expect("list");
    assert!(sams.items.is_empty(), "nobody's job yet");
    let day = hour("2026-11-23T13:00:00Z");
    let whole_day = Interval { start: day.start, end: day.start + SignedDuration::from_hours(24) };
    let bookings = app.repository().bookings(&demo::site_id(), &sam(), whole_day).await.expect("bookings");
    assert!(bookings.is_empty());
    let events = app.repository().outbox(&demo::site_id()).await.expect("outbox");
    assert!(events.is_empty(), "nothing is booked yet");

    let early = patch(&app, &user, &created.number, json!({ "status": "enroute" })).await;
    assert!(matches!(early, Err(AppError::Validation(e)) if e[0].field == "status"), "nowhere to go yet");
    let called_off = patch(&app, &user, &created.number, json!({ "status": "cancelled" })).await.expect("ok");
    assert_eq!(called_off.order.status, OrderStatus::Cancelled);
}

pub async fn the_customer_books_an_order_through_its_link_and_only_its_link(store: impl Store) {
    let app = demo_app(store).await;
    allow_callback(&app).await;
    let user = dispatcher(&app).await;
    let (created, token) = create(&app, &user).await;
    let (other, other_token) = create(&app, &user).await;
    let number = &created.number;

    let shown = app
        .linked_order(&demo::site_id(), number, crate::support::booking_token(&token).as_ref(), CALLBACK)
        .await
        .expect("shown");
    let job = shown.job.as_ref().expect("a waiting order shows its job");
    assert_eq!((job.postcode.as_str(), shown.service.as_str()), ("2000", "basic-service"));
    assert_eq!(
        shown.return_to.as_deref(),
        Some(&*format!("{CALLBACK}&work_order={number}&status=new&progress=0"))
    );
    for (n, t) in [(number, other_token.as_str()), (&other.number, token.as_str()), (number, "")] {
        let refused =
            app.linked_order(&demo::site_id(), n, crate::support::booking_token(t).as_ref(), "").await;
        assert!(matches!(refused, Err(AppError::NotFound)), "a link opens its own order only");
        let refused = app
            .book_linked_order(
                &demo::site_id(),
                n,
                crate::support::booking_token(t).as_ref(),
                &slot("sam-nguyen", FIRST_SLOT),
            )
            .await;
        assert!(matches!(refused, Err(AppError::NotFound)));
    }
    let elsewhere = app
        .linked_order(
            &demo::site_id(),
            number,
            crate::support::booking_token(&token).as_ref(),
            "https://evil.example/",
        )
        .await;
    assert!(matches!(elsewhere, Err(AppError::Validation(e)) if e[0].field == "callback_uri"));

    let booked = app
        .book_linked_order(
            &demo::site_id(),
            number,
            crate::support::booking_token(&token).as_ref(),
            &slot("sam-nguyen", FIRST_SLOT),
        )
        .await
        .expect("booked");
    let appointment = booked.booked.as_ref().expect("booked");
    assert_eq!(
        (appointment.start, appointment.technician_name.as_str()),
        (hour(FIRST_SLOT).start, "Sam Nguyen")
    );
    assert!(booked.return_to.as_deref().is_some_and(|r| r.ends_with("&status=new&progress=100")));
    let again = app
        .book_linked_order(
            &demo::site_id(),
            number,
            crate::support::booking_token(&token).as_ref(),
            &slot("sam-nguyen", FIRST_SLOT),
        )
        .await
        .expect("the same answer for a retry");
    assert_eq!(again, booked);
    let moved = app
        .book_linked_order(
            &demo::site_id(),
            number,
            crate::support::booking_token(&token).as_ref(),
            &slot("sam-nguyen", "2026-11-24T22:00:00Z"),
        )
        .await;
    assert!(matches!(moved, Err(AppError::NotBookable(_))), "a link books once");

    let window = Interval { start: hour(FIRST_SLOT).start, end: hour(FIRST_SLOT).end };
    let holders = app.repository().bookings(&demo::site_id(), &sam(), window).await.expect("bookings");
    assert_eq!(holders.iter().map(|b| &b.work_order).collect::<Vec<_>>(), [&created.number]);
    let taken = app
        .book_linked_order(
            &demo::site_id(),
            &other.number,
            crate::support::booking_token(&other_token).as_ref(),
            &slot("sam-nguyen", FIRST_SLOT),
        )
        .await;
    assert!(matches!(taken, Err(AppError::SlotUnavailable)), "the slot is Sam's now");
    let sams = WorkOrderListQuery { technician: Some("sam-nguyen".into()), ..Default::default() };
    let sams = app.work_orders(&demo::site_id(), &user, &sams).await.expect("list");
    assert_eq!(sams.items.iter().map(|s| &s.number).collect::<Vec<_>>(), [&created.number]);
    let detail = app.work_order_detail(&demo::site_id(), &user, number).await.expect("read").value;
    let last = detail.history.last().expect("history");
    assert_eq!((last.by.as_str(), last.changes.len()), ("customer", 2));
    let events = app.repository().outbox(&demo::site_id()).await.expect("outbox");
    let kinds: Vec<_> =
        events.iter().filter(|e| e.data.work_order == created.number).map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::BookingCreated]);

    let cancelled = patch(&app, &user, &other.number, json!({ "status": "cancelled" })).await.expect("ok");
    assert_eq!(cancelled.order.status, OrderStatus::Cancelled);
    let late = app
        .book_linked_order(
            &demo::site_id(),
            &other.number,
            crate::support::booking_token(&other_token).as_ref(),
            &slot("sam-nguyen", "2026-11-24T22:00:00Z"),
        )
        .await;
    assert!(matches!(late, Err(AppError::NotBookable(_))), "a cancelled order takes no booking");
}

pub async fn a_dispatcher_books_an_order_created_in_advance_from_the_console(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let (created, _) = create(&app, &user).await;
    let booked =
        patch(&app, &user, &created.number, json!({ "technician": "sam-nguyen", "start": FIRST_SLOT }))
            .await
            .expect("booked");
    assert_eq!(booked.order.appointment.map(|a| a.time()), Some(hour(FIRST_SLOT)));
    let holders =
        app.repository().bookings(&demo::site_id(), &sam(), hour(FIRST_SLOT)).await.expect("bookings");
    assert_eq!(holders.len(), 1);
    let events = app.repository().outbox(&demo::site_id()).await.expect("outbox");
    assert_eq!(events.iter().map(|e| e.kind).collect::<Vec<_>>(), [EventKind::BookingCreated]);
}

/// Two tabs of one link (or the customer and a dispatcher) book one order at different
/// times at the same moment, released together at the repository: one booking stands, and
/// only its time is locked.
pub async fn two_bookings_of_one_linked_order_at_once_leave_one(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let (created, _) = create(&app, &user).await;
    let stored = app
        .repository()
        .stored_order(&demo::site_id(), &created.number)
        .await
        .expect("read")
        .expect("stored");
    let starts = [FIRST_SLOT, "2026-11-23T23:00:00Z", "2026-11-24T00:00:00Z", "2026-11-24T01:00:00Z"];
    let sam_nguyen = Assignee { id: sam(), name: "Sam Nguyen".into() };
    let winners = move_at_once(app.repository(), &stored, &starts, sam_nguyen).await;
    assert_eq!(winners.len(), 1, "exactly one booking stands");
    let all_day = Interval { start: hour(FIRST_SLOT).start, end: hour("2026-11-24T02:00:00Z").end };
    let holders = app.repository().bookings(&demo::site_id(), &sam(), all_day).await.expect("bookings");
    assert_eq!(holders.iter().map(|b| b.time).collect::<Vec<_>>(), winners, "the locks match the winner");
    let order = app.repository().work_order(&demo::site_id(), &created.number).await.expect("read");
    assert_eq!(order.and_then(|o| o.appointment).map(|a| a.time()), Some(winners[0]));
}
