//! Booking: the happy path, retries, and every refusal storing nothing.

use crate::helpers::{SITE, fields, problem, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::work_order::WorkOrder;
use reqwest::StatusCode;

#[tokio::test]
async fn a_booking_creates_a_work_order_and_takes_the_slot() {
    let app = spawn_app().await;
    assert!(app.sams_starts().await.contains(&FIRST_SLOT.to_owned()));
    let response = app.submit("first-booking-1", &submission(FIRST_SLOT)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location =
        response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let created: WorkOrderCreated = response.json().await.expect("json");
    assert_eq!(location, format!("{SITE}/work-orders/{}", created.number));
    assert_eq!(
        (created.technician_name.as_str(), created.start.to_string()),
        ("Sam Nguyen", FIRST_SLOT.to_owned())
    );

    assert!(
        !app.sams_starts().await.contains(&FIRST_SLOT.to_owned()),
        "the booked slot is no longer offered"
    );
    let order = app
        .client
        .get(format!("{}{location}", app.base))
        .bearer_auth(app.owner_token().await)
        .send()
        .await
        .expect("get");
    assert_eq!(order.status(), StatusCode::OK);
    let order: WorkOrder = order.json().await.expect("json");
    assert_eq!(order.status.code(), 1);
    assert_eq!(order.order_type.code(), 1003, "a basic service is maintenance");
    assert_eq!(order.location.postcode.as_str(), "2000");
    assert_eq!(
        order.asset.iter().map(|a| a.label.as_str()).collect::<Vec<_>>(),
        ["Car make", "Model", "Year of manufacture", "Fuel type", "I need a loan car"]
    );
}

#[tokio::test]
async fn reading_a_work_order_needs_the_staff_token() {
    let app = spawn_app().await;
    let created: WorkOrderCreated =
        app.submit("staff-token-1", &submission(FIRST_SLOT)).await.json().await.expect("json");
    let url = format!("{}{SITE}/work-orders/{}", app.base, created.number);
    problem(app.client.get(&url).send().await.expect("get"), StatusCode::UNAUTHORIZED, "unauthorized").await;
    let wrong = app.client.get(&url).bearer_auth("guess").send().await.expect("get");
    problem(wrong, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let missing = app
        .client
        .get(format!("{}{SITE}/work-orders/WO-00000000", app.base))
        .bearer_auth(app.owner_token().await)
        .send()
        .await;
    problem(missing.expect("get"), StatusCode::NOT_FOUND, "not-found").await;
}

#[tokio::test]
async fn a_retry_with_the_same_key_returns_the_same_work_order() {
    let app = spawn_app().await;
    let first = app.submit("same-key-123", &submission(FIRST_SLOT)).await;
    let second = app.submit("same-key-123", &submission(FIRST_SLOT)).await;
    assert_eq!(second.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    let (first, second): (WorkOrderCreated, WorkOrderCreated) =
        (first.json().await.expect("json"), second.json().await.expect("json"));
    assert_eq!(first, second);
    assert_eq!(app.bookings_stored().await, 1);
}

#[tokio::test]
async fn a_missing_idempotency_key_is_named() {
    let app = spawn_app().await;
    let response =
        app.client.post(format!("{}{SITE}/work-orders", app.base)).json(&submission(FIRST_SLOT)).send().await;
    let problem = problem(response.expect("post"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&problem), ["Idempotency-Key"]);
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn missing_required_fields_are_all_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut request = submission(FIRST_SLOT);
    request.job.answers.remove("car_make");
    request.job.contact.email = "mary-at-example".into();
    request.job.address.city = "  ".into();
    request.terms_accepted = false;
    let problem =
        problem(app.submit("missing-1", &request).await, StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
    assert_eq!(fields(&problem), ["address.city", "contact.email", "answers.car_make", "terms_accepted"]);
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn over_long_strings_are_refused() {
    let app = spawn_app().await;
    let mut request = submission(FIRST_SLOT);
    request.job.contact.name = "M".repeat(101);
    request.job.address.line1 = "1".repeat(121);
    request.job.answers.insert("car_model".into(), serde_json::json!("C".repeat(41)));
    request.job.notes = "n".repeat(1001);
    let problem =
        problem(app.submit("long-strings-1", &request).await, StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
    assert_eq!(fields(&problem), ["address.line1", "contact.name", "answers.car_model", "notes"]);
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn tracking_values_from_the_page_are_kept_on_the_work_order_and_odd_ones_refused() {
    let app = spawn_app().await;
    let mut request = submission(FIRST_SLOT);
    request.job.tracking = [("utm_source", "newsletter"), ("utm_campaign", "spring-2027"), ("utm_term", "")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut odd = request.clone();
    odd.job.tracking.insert("utm_medium".into(), "e-mail\u{202e}".into());
    odd.job.tracking.insert("<script>".into(), "x".into());
    let refused =
        problem(app.submit("tracking-odd-1", &odd).await, StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
    assert_eq!(fields(&refused), ["tracking", "tracking.utm_medium"]);
    assert!(!format!("{refused:?}").contains("<script>"), "a key sent is not echoed: {refused:?}");
    assert_eq!(app.bookings_stored().await, 0);

    let created: WorkOrderCreated = app.submit("tracking-1", &request).await.json().await.expect("json");
    let order =
        app.staff_get(&format!("{SITE}/work-orders/{}", created.number), &app.owner_token().await).await;
    let order: WorkOrder = serde_json::from_value(order).expect("work order");
    assert_eq!(
        order.tracking.values().collect::<Vec<_>>(),
        [("utm_campaign", "spring-2027"), ("utm_source", "newsletter")],
        "blank values say nothing and are dropped"
    );
}

#[tokio::test]
async fn a_slot_that_is_not_offered_is_a_conflict() {
    let app = spawn_app().await;
    // 07:00 Sydney is before the technicians start; 09:10 is off the half-hour step.
    for (key, start) in [("early-slot-1", "2026-11-23T20:00:00Z"), ("offgrid-slot-1", "2026-11-23T22:10:00Z")]
    {
        let problem =
            problem(app.submit(key, &submission(start)).await, StatusCode::CONFLICT, "slot-unavailable")
                .await;
        assert_eq!(fields(&problem), ["start"]);
    }
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn a_slot_taken_meanwhile_is_a_conflict() {
    let app = spawn_app().await;
    assert_eq!(app.submit("taker-key-1", &submission(FIRST_SLOT)).await.status(), StatusCode::CREATED);
    let mut late = submission(FIRST_SLOT);
    late.job.contact.name = "Late Comer".into();
    problem(app.submit("taker-key-2", &late).await, StatusCode::CONFLICT, "slot-unavailable").await;
    assert_eq!(app.bookings_stored().await, 1);
}

#[tokio::test]
async fn a_technician_who_does_not_serve_the_postcode_cannot_be_booked_there() {
    let app = spawn_app().await;
    let mut request = submission(FIRST_SLOT);
    request.technician = "tom-kelly".into();
    let problem =
        problem(app.submit("wrong-tech-1", &request).await, StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
    assert_eq!(fields(&problem), ["technician"]);
    request.job.postcode = "9999".into();
    problem_not_served(app.submit("wrong-tech-2", &request).await).await;
    assert_eq!(app.bookings_stored().await, 0);
}

async fn problem_not_served(response: reqwest::Response) {
    problem(response, StatusCode::UNPROCESSABLE_ENTITY, "postcode-not-served").await;
}
