//! Conformance of follow-up bookings: the new order and its link to the first are written
//! with the new booking's locks, or nothing is.

use crate::support::{FIRST_SLOT, demo_app, submission};
use crate::work_orders::{book, dispatcher, patch};
use jobslot_domain::follow_up::FollowUpInput;
use jobslot_domain::ids::{UserId, WorkOrderNumber};
use jobslot_functions::app::{App, AppError};
use jobslot_functions::demo;
use jobslot_functions::store::Store;
use serde_json::json;

async fn closed_incomplete<S: Store>(app: &App<S>, user: &UserId) -> WorkOrderNumber {
    let number = book(app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    patch(app, user, &number, json!({ "status": "onsite" })).await.expect("onsite");
    patch(app, user, &number, json!({ "status": "closed_incomplete", "reason_code": "parts-needed" }))
        .await
        .expect("closed incomplete");
    number
}

fn at(technician: &str, start: &str) -> FollowUpInput {
    FollowUpInput { technician: technician.into(), start: start.into() }
}

pub async fn a_follow_up_books_a_linked_order_for_the_same_place_and_service(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let first = closed_incomplete(&app, &user).await;
    let slots =
        app.follow_up_slots(&demo::site_id(), &user, &first, &Default::default()).await.expect("slots");
    let day = slots.days.first().expect("a day with slots");
    assert_eq!(day.slots[0].technician.as_str(), "sam-nguyen", "the same technician's slots come first");
    let start = "2026-11-24T22:00:00Z";
    let booked = app
        .book_follow_up(
            &demo::site_id(),
            &user,
            &first,
            &crate::support::key("follow-up-key-1"),
            &at("priya-shah", start),
        )
        .await
        .expect("booked");
    let again = app
        .book_follow_up(
            &demo::site_id(),
            &user,
            &first,
            &crate::support::key("follow-up-key-1"),
            &at("priya-shah", start),
        )
        .await
        .expect("replayed");
    assert!(again.replayed && again.created == booked.created);
    let new = app.work_order_detail(&demo::site_id(), &user, &booked.created.number).await.expect("new");
    let new = new.value.order;
    let old = app.work_order_detail(&demo::site_id(), &user, &first).await.expect("first").value;
    assert_eq!(new.follow_up_of.as_ref(), Some(&first));
    assert_eq!(old.order.follow_ups, std::slice::from_ref(&booked.created.number));
    assert_eq!(
        (new.location, new.contact, new.asset),
        (old.order.location, old.order.contact, old.order.asset)
    );
    assert_eq!(new.service.id, old.order.service.id);
    assert_eq!(old.history.last().map(|e| e.by.as_str()), Some("dispatch@acme.example"));
    // The slot is the follow-up's now.
    let mut request = submission(start);
    request.technician = "priya-shah".into();
    let taken =
        app.submit_work_order(&demo::site_id(), &crate::support::key("key-after-follow-up"), &request).await;
    assert!(matches!(taken, Err(AppError::SlotUnavailable)), "{taken:?}");
}

pub async fn a_follow_up_is_refused_unless_closed_incomplete_with_the_rule_on_and_the_slot_free(
    store: impl Store,
) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let open = book(&app, "sam-nguyen", "2026-11-24T00:00:00Z", "Bob").await;
    let not_closed = app
        .book_follow_up(
            &demo::site_id(),
            &user,
            &open,
            &crate::support::key("fu-key-open"),
            &at("sam-nguyen", FIRST_SLOT),
        )
        .await;
    assert!(matches!(not_closed, Err(AppError::FollowUpNotAllowed(_))), "{not_closed:?}");

    let first = closed_incomplete(&app, &user).await;
    // Bob's booking holds this hour.
    let taken = app
        .book_follow_up(
            &demo::site_id(),
            &user,
            &first,
            &crate::support::key("fu-key-taken"),
            &at("sam-nguyen", "2026-11-24T00:00:00Z"),
        )
        .await;
    assert!(matches!(taken, Err(AppError::SlotUnavailable)), "{taken:?}");

    let mut site = app.repository().site(&demo::site_id()).await.expect("read").expect("site");
    site.order_rules.clear();
    app.repository().save_site(&site).await.expect("rules off");
    let rule_off = app
        .book_follow_up(
            &demo::site_id(),
            &user,
            &first,
            &crate::support::key("fu-key-rule"),
            &at("sam-nguyen", "2026-11-24T22:00:00Z"),
        )
        .await;
    assert!(matches!(rule_off, Err(AppError::FollowUpNotAllowed(_))), "{rule_off:?}");
    let first_now = app.work_order_detail(&demo::site_id(), &user, &first).await.expect("read").value;
    assert!(first_now.order.follow_ups.is_empty(), "nothing was linked");
}
