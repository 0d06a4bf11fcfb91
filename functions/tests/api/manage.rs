//! The customer's manage link over HTTP: its token in the `Manage-Token` header, problem
//! documents for a wrong token and a closed change, nothing cached.

use crate::helpers::{EMBEDDING_ORIGIN, SITE, problem, spawn_app};
use crate::support::submission;
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::manage::ManagedBooking;
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
