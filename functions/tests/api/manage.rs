//! The customer's manage link over HTTP: its token in the `Manage-Token` header, problem
//! documents for a wrong token and a closed change, nothing cached.

use crate::helpers::{EMBEDDING_ORIGIN, SITE, problem, spawn_app};
use crate::support::submission;
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::manage::ManagedBooking;
use jobslot_domain::staff::Role;
use jobslot_domain::work_order::OrderStatus;
use reqwest::StatusCode;

#[tokio::test]
async fn the_manage_link_reads_and_cancels_its_booking_and_refuses_anything_else() {
    let app = spawn_app().await;
    // Two days ahead of the test clock: online changes (24 hours' notice) are open.
    let booked = app.submit("manage-http-1", &submission("2026-11-25T22:00:00Z")).await;
    assert_eq!(booked.status(), StatusCode::CREATED);
    let created: WorkOrderCreated = booked.json().await.expect("json");
    let order = app.app.repository().work_order(&jobslot_functions::demo::site_id(), &created.number).await;
    let order = order.expect("read").expect("stored");
    let path = app.app.manage_path(&order).await.expect("path").expect("a booked order has a link");
    let token = path.split("token=").nth(1).expect("token").to_owned();
    let url = format!("{}{SITE}/bookings/{}", app.base, created.number);

    let shown = app.client.get(&url).header("manage-token", &token).send().await.expect("get");
    assert_eq!(shown.status(), StatusCode::OK);
    assert_eq!(shown.headers()["cache-control"], "no-store");
    let shown: ManagedBooking = shown.json().await.expect("json");
    assert!(shown.changeable_until.is_some());

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{url}/cancel"))
        .header("origin", EMBEDDING_ORIGIN)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "manage-token")
        .send()
        .await
        .expect("preflight");
    let allowed = preflight.headers()["access-control-allow-headers"].to_str().expect("header").to_owned();
    assert!(allowed.contains("manage-token"), "{allowed}");

    let forged = format!("{}.AAAA", i64::MAX);
    let refused = app.client.get(&url).header("manage-token", &forged).send().await.expect("get");
    problem(refused, StatusCode::NOT_FOUND, "not-found").await;
    problem(app.client.get(&url).send().await.expect("get"), StatusCode::NOT_FOUND, "not-found").await;

    let cancelled = app.client.post(format!("{url}/cancel")).header("manage-token", &token).send().await;
    let cancelled: ManagedBooking = cancelled.expect("cancel").json().await.expect("json");
    assert_eq!(cancelled.order.status, OrderStatus::Cancelled);
    let moved = app
        .client
        .post(format!("{url}/reschedule"))
        .header("manage-token", &token)
        .json(&serde_json::json!({ "technician": "sam-nguyen", "start": "2026-11-26T22:00:00Z" }))
        .send()
        .await
        .expect("reschedule");
    let closed = problem(moved, StatusCode::CONFLICT, "change-closed").await;
    assert_eq!(closed.detail.as_deref(), Some("This booking is cancelled."));
}

#[tokio::test]
async fn staff_replace_a_manage_link_and_every_link_sent_before_stops_opening_the_booking() {
    let app = spawn_app().await;
    let booked = app.submit("manage-http-2", &submission("2026-11-25T22:00:00Z")).await;
    let created: WorkOrderCreated = booked.json().await.expect("json");
    let site = jobslot_functions::demo::site_id();
    let read = || async {
        app.app.repository().work_order(&site, &created.number).await.expect("read").expect("stored")
    };
    let token_of = |path: String| path.split("token=").nth(1).expect("token").to_owned();
    let old = token_of(app.app.manage_path(&read().await).await.expect("path").expect("link"));
    let url = format!("{}{SITE}/bookings/{}", app.base, created.number);
    let opens = |token: String| {
        let request = app.client.get(&url).header("manage-token", token).send();
        async move { request.await.expect("get") }
    };
    assert_eq!(opens(old.clone()).await.status(), StatusCode::OK);

    let (_, dispatcher) = app.staff(Role::Dispatcher).await;
    let replaced =
        app.client.post(format!("{url}/manage-link")).bearer_auth(&dispatcher).send().await.expect("post");
    assert_eq!(replaced.status(), StatusCode::ACCEPTED);
    let new = token_of(app.app.manage_path(&read().await).await.expect("path").expect("link"));
    assert_ne!(new, old);
    problem(opens(old.clone()).await, StatusCode::NOT_FOUND, "not-found").await;
    let cancel = app.client.post(format!("{url}/cancel")).header("manage-token", &old).send().await;
    problem(cancel.expect("cancel"), StatusCode::NOT_FOUND, "not-found").await;
    assert_eq!(opens(new.clone()).await.status(), StatusCode::OK);
    // The count is signed: a token claiming the current count with the old tag opens nothing.
    let (expires, tag) = old.split_once('.').expect("parts");
    problem(opens(format!("{expires}.1.{tag}")).await, StatusCode::NOT_FOUND, "not-found").await;

    // The customer is sent the new link, and only that, in the same write.
    let events = app.app.repository().outbox(&site).await.expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "booking.manage_link_replaced").count(), 1, "{kinds:?}");

    let (_, technician) = app.staff(Role::Technician).await;
    let refused = app.client.post(format!("{url}/manage-link")).bearer_auth(&technician).send().await;
    problem(refused.expect("post"), StatusCode::FORBIDDEN, "forbidden").await;
}
