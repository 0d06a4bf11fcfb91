//! Seed 003's connector over HTTP: an integrator's system creates a work order in advance,
//! and its customer books it through the link, on the public API, with the link's token.

use crate::helpers::{SITE, TestApp, fields, problem, spawn_app};
use crate::support::{FIRST_SLOT, job};
use jobslot_domain::connector::{LinkedOrder, UnscheduledOrderCreated};
use jobslot_domain::dispatch::WorkOrderPage;
use jobslot_domain::staff::Role;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

const CALLBACK: &str = "https://fieldapp.example/done";

async fn create(app: &TestApp, token: &str, body: &Value) -> Response {
    let url = format!("{}{SITE}/work-orders/unscheduled", app.base);
    app.client.post(url).bearer_auth(token).json(body).send().await.expect("create")
}

fn booking_url(app: &TestApp, number: &str) -> String {
    format!("{}{SITE}/work-orders/{number}/booking", app.base)
}

/// The numbers of the work orders `token` sees in the list.
async fn listed(app: &TestApp, token: &str) -> Vec<String> {
    let page: WorkOrderPage = app
        .client
        .get(format!("{}{SITE}/work-orders", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    page.items.into_iter().map(|s| s.number.to_string()).collect()
}

#[tokio::test]
async fn an_integrator_creates_an_order_in_advance_and_its_customer_books_it_through_the_link() {
    let app = spawn_app().await;
    let mut site =
        app.app.repository().site(&jobslot_functions::demo::site_id()).await.expect("read").expect("site");
    site.allowed_origins.push("https://fieldapp.example".into());
    app.app.repository().save_site(&site).await.expect("saved");
    let integrator = app.integrator_token().await;

    let response = create(&app, &integrator, &serde_json::to_value(job()).expect("json")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let location = response.headers()["location"].to_str().expect("location").to_owned();
    let created: UnscheduledOrderCreated = response.json().await.expect("json");
    assert_eq!(location, format!("{SITE}/work-orders/{}", created.number));
    let (path, token) = created.booking_path.split_once("?token=").expect("a token");
    assert_eq!(path, format!("/book/acme-car-servicing/work-orders/{}", created.number));
    let number = created.number.to_string();

    let shown = app
        .client
        .get(booking_url(&app, &number))
        .header("booking-token", token)
        .query(&[("callback_uri", CALLBACK)])
        .send()
        .await
        .expect("shown");
    assert_eq!(shown.status(), StatusCode::OK);
    assert_eq!(shown.headers()["cache-control"], "no-store");
    let shown: LinkedOrder = shown.json().await.expect("json");
    let job = shown.job.as_ref().expect("a waiting order shows its job");
    assert_eq!((job.customer.as_str(), shown.booked.is_none()), ("Mary Citizen", true));

    let mut flipped = token.to_owned();
    flipped.replace_range(..1, if token.starts_with('A') { "B" } else { "A" });
    for wrong in [None, Some("x".repeat(43)), Some(flipped)] {
        let mut request = app.client.get(booking_url(&app, &number));
        if let Some(wrong) = &wrong {
            request = request.header("booking-token", wrong);
        }
        problem(request.send().await.expect("get"), StatusCode::NOT_FOUND, "not-found").await;
    }
    let elsewhere = app
        .client
        .get(booking_url(&app, &number))
        .header("booking-token", token)
        .query(&[("callback_uri", "https://fieldapp.example.evil.example/")])
        .send()
        .await
        .expect("get");
    let refused = problem(elsewhere, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&refused), ["callback_uri"]);

    let slot = json!({ "technician": "sam-nguyen", "start": FIRST_SLOT, "terms_accepted": true, "callback_uri": CALLBACK });
    let booked =
        app.client.post(booking_url(&app, &number)).header("booking-token", token).json(&slot).send().await;
    let booked = booked.expect("book");
    assert_eq!(booked.status(), StatusCode::OK);
    let booked: LinkedOrder = booked.json().await.expect("json");
    assert_eq!(
        booked.return_to.as_deref(),
        Some(&*format!("{CALLBACK}?work_order={number}&status=new&progress=100"))
    );
    let elsewhere =
        json!({ "technician": "sam-nguyen", "start": "2026-11-24T22:00:00Z", "terms_accepted": true });
    let again =
        app.client.post(booking_url(&app, &number)).header("booking-token", token).json(&elsewhere).send();
    problem(again.await.expect("book"), StatusCode::CONFLICT, "work-order-not-bookable").await;
    let (_, technician) = app.staff(Role::Technician).await;
    assert_eq!(listed(&app, &technician).await, std::slice::from_ref(&number), "Sam's job now");

    // Booked, the link shows the booking and the way back, and nobody's name or address.
    let settled = app
        .client
        .get(booking_url(&app, &number))
        .header("booking-token", token)
        .query(&[("callback_uri", CALLBACK)])
        .send()
        .await
        .expect("shown");
    let settled: Value = settled.json().await.expect("json");
    assert!(settled["booked"].is_object() && settled["return_to"].is_string(), "{settled}");
    let text = settled.to_string();
    assert!(!text.contains("Mary") && !text.contains("Harbour") && settled.get("job").is_none(), "{text}");
    // …and takes no new link.
    let reissued = app
        .client
        .post(format!("{}{SITE}/work-orders/{number}/booking-link", app.base))
        .bearer_auth(&integrator)
        .send()
        .await
        .expect("reissue");
    problem(reissued, StatusCode::CONFLICT, "work-order-not-bookable").await;
}

#[tokio::test]
async fn a_reissued_booking_link_works_and_the_one_before_it_no_longer_opens_the_order() {
    let app = spawn_app().await;
    let integrator = app.integrator_token().await;
    let created: UnscheduledOrderCreated =
        create(&app, &integrator, &serde_json::to_value(job()).expect("json"))
            .await
            .json()
            .await
            .expect("json");
    let number = created.number.to_string();
    let old_token = created.booking_path.split_once("?token=").expect("a token").1.to_owned();
    let reissue_url = format!("{}{SITE}/work-orders/{number}/booking-link", app.base);

    let (_, technician) = app.staff(Role::Technician).await;
    let refused = app.client.post(&reissue_url).bearer_auth(&technician).send().await.expect("post");
    problem(refused, StatusCode::FORBIDDEN, "forbidden").await;
    let unknown = app
        .client
        .post(format!("{}{SITE}/work-orders/WO-FFFFFFFF/booking-link", app.base))
        .bearer_auth(&integrator)
        .send()
        .await
        .expect("post");
    problem(unknown, StatusCode::NOT_FOUND, "not-found").await;

    let reissued = app.client.post(&reissue_url).bearer_auth(&integrator).send().await.expect("post");
    assert_eq!(reissued.status(), StatusCode::OK);
    assert_eq!(reissued.headers()["cache-control"], "no-store");
    let reissued: UnscheduledOrderCreated = reissued.json().await.expect("json");
    let (path, new_token) = reissued.booking_path.split_once("?token=").expect("a token");
    assert_eq!(path, format!("/book/acme-car-servicing/work-orders/{number}"));
    assert_ne!(new_token, old_token);

    let opened = |token: String| {
        let request = app.client.get(booking_url(&app, &number)).header("booking-token", token).send();
        async move { request.await.expect("get") }
    };
    problem(opened(old_token).await, StatusCode::NOT_FOUND, "not-found").await;
    assert_eq!(opened(new_token.to_owned()).await.status(), StatusCode::OK);
    let order = app.staff_get(&format!("{SITE}/work-orders/{number}"), &integrator).await;
    let history = order["history"].to_string();
    assert!(history.contains("booking_link"), "the replacement is in the order's history: {history}");
}

#[tokio::test]
async fn a_bad_order_in_advance_gets_422_naming_each_field_and_writes_nothing() {
    let app = spawn_app().await;
    let integrator = app.integrator_token().await;
    let mut body = serde_json::to_value(job()).expect("json");
    body["service"] = json!("no-such-service");
    body["postcode"] = json!("20");
    body["contact"]["email"] = json!("mary@");
    body["answers"] = json!({});
    let refused =
        problem(create(&app, &integrator, &body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let named = fields(&refused);
    for field in ["service", "postcode", "contact.email"] {
        assert!(named.contains(&field), "{field} in {named:?}");
    }
    assert!(listed(&app, &integrator).await.is_empty(), "nothing was written");
    let (_, technician) = app.staff(Role::Technician).await;
    let good = serde_json::to_value(job()).expect("json");
    problem(create(&app, &technician, &good).await, StatusCode::FORBIDDEN, "forbidden").await;
    let unsigned = app.client.post(format!("{}{SITE}/work-orders/unscheduled", app.base)).json(&good).send();
    problem(unsigned.await.expect("post"), StatusCode::UNAUTHORIZED, "unauthorized").await;
    let bad_slot = json!({ "technician": "Sam!", "start": "soon" });
    let url = booking_url(&app, "WO-0000000A");
    let no_order = app.client.post(url).header("booking-token", "a".repeat(43)).json(&bad_slot).send();
    problem(no_order.await.expect("post"), StatusCode::NOT_FOUND, "not-found").await;
}
