//! Running work orders over HTTP: the list, the detail with its version, PATCH with
//! `If-Match`, and what a technician may do with their own jobs.

use crate::helpers::{SITE, TestApp, fields, problem, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::dispatch::{WorkOrderDetail, WorkOrderPage};
use jobslot_domain::staff::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

async fn book(app: &TestApp, key: &str, start: &str) -> String {
    let response = app.submit(key, &submission(start)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: WorkOrderCreated = response.json().await.expect("json");
    created.number.to_string()
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    etag: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut request = app.client.request(method, format!("{}{SITE}{path}", app.base)).bearer_auth(token);
    if let Some(etag) = etag {
        request = request.header("if-match", etag);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request")
}

async fn detail(app: &TestApp, number: &str, token: &str) -> (WorkOrderDetail, String) {
    let response = send(app, Method::GET, &format!("/work-orders/{number}"), token, None, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let etag = response.headers()["etag"].to_str().expect("etag").to_owned();
    (response.json().await.expect("json"), etag)
}

async fn change(app: &TestApp, number: &str, token: &str, body: Value) -> Response {
    let (_, etag) = detail(app, number, token).await;
    send(app, Method::PATCH, &format!("/work-orders/{number}"), token, Some(&etag), Some(body)).await
}

#[tokio::test]
async fn a_dispatcher_finds_an_order_and_changes_it_with_its_version() {
    let app = spawn_app().await;
    let number = book(&app, "dispatch-http-1", FIRST_SLOT).await;
    let (_, token) = app.staff(Role::Dispatcher).await;

    let response =
        send(&app, Method::GET, "/work-orders?q=mary%20george&status=new", &token, None, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page: WorkOrderPage = response.json().await.expect("json");
    assert_eq!(
        page.items.iter().map(|s| s.number.to_string()).collect::<Vec<_>>(),
        std::slice::from_ref(&number)
    );
    let bad =
        send(&app, Method::GET, "/work-orders?status=done&from=2026-13-01&limit=500", &token, None, None)
            .await;
    assert_eq!(
        fields(&problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation").await),
        ["status", "from", "limit"]
    );

    let (before, etag) = detail(&app, &number, &token).await;
    assert_eq!(before.history.len(), 1);
    let path = format!("/work-orders/{number}");
    let unversioned = send(&app, Method::PATCH, &path, &token, None, Some(json!({ "priority": 1 }))).await;
    problem(unversioned, StatusCode::PRECONDITION_REQUIRED, "if-match-required").await;
    let fixed = json!({ "number": "WO-00000000", "site": "elsewhere", "created_at": "2020-01-01T00:00:00Z" });
    let refused = send(&app, Method::PATCH, &path, &token, Some(&etag), Some(fixed)).await;
    let refused = problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let mut named = fields(&refused);
    named.sort_unstable();
    assert_eq!(named, ["created_at", "number", "site"]);

    let body = json!({ "priority": 10, "remarks": "Gate code 1234", "staff_notes": [{ "text": "Call on arrival" }] });
    let changed = send(&app, Method::PATCH, &path, &token, Some(&etag), Some(body)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let new_etag = changed.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(new_etag, etag);
    let changed: WorkOrderDetail = changed.json().await.expect("json");
    assert_eq!((changed.order.priority, changed.order.staff_notes.len()), (10, 1));
    assert_eq!(changed.history.len(), 2);

    // An edit based on the version before: refused, and nothing of it is kept.
    let stale = send(&app, Method::PATCH, &path, &token, Some(&etag), Some(json!({ "priority": 99 }))).await;
    let stale = problem(stale, StatusCode::PRECONDITION_FAILED, "changed-by-someone-else").await;
    assert!(stale.detail.is_some());
    let (after, _) = detail(&app, &number, &token).await;
    assert_eq!(after.order.priority, 10);
    assert_eq!(after.history.len(), 2);
}

#[tokio::test]
async fn a_technician_moves_their_own_job_through_the_field_statuses_and_nothing_else() {
    let app = spawn_app().await;
    let number = book(&app, "tech-http-1", FIRST_SLOT).await;
    let mut priyas = submission(FIRST_SLOT);
    priyas.technician = "priya-shah".into();
    let response = app.submit("tech-http-2", &priyas).await;
    let theirs: WorkOrderCreated = response.json().await.expect("json");
    let (_, token) = app.staff(Role::Technician).await;

    let page: WorkOrderPage =
        send(&app, Method::GET, "/work-orders", &token, None, None).await.json().await.expect("json");
    assert_eq!(
        page.items.iter().map(|s| s.number.to_string()).collect::<Vec<_>>(),
        std::slice::from_ref(&number)
    );
    let others = send(&app, Method::GET, "/work-orders?technician=priya-shah", &token, None, None).await;
    problem(others, StatusCode::FORBIDDEN, "forbidden").await;
    let theirs =
        send(&app, Method::GET, &format!("/work-orders/{}", theirs.number), &token, None, None).await;
    problem(theirs, StatusCode::NOT_FOUND, "not-found").await;

    let reassign = change(&app, &number, &token, json!({ "technician": "priya-shah" })).await;
    problem(reassign, StatusCode::FORBIDDEN, "forbidden").await;
    for status in ["enroute", "onsite"] {
        assert_eq!(change(&app, &number, &token, json!({ "status": status })).await.status(), StatusCode::OK);
    }
    let no_reason = change(&app, &number, &token, json!({ "status": "closed_incomplete" })).await;
    let no_reason = problem(no_reason, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&no_reason), ["reason_code"]);
    let closed = change(
        &app,
        &number,
        &token,
        json!({ "status": "closed_incomplete", "reason_code": "parts-needed" }),
    );
    assert_eq!(closed.await.status(), StatusCode::OK);
    let reopened = change(&app, &number, &token, json!({ "status": "onsite" })).await;
    assert_eq!(fields(&problem(reopened, StatusCode::UNPROCESSABLE_ENTITY, "validation").await), ["status"]);
    let (closed, _) = detail(&app, &number, &token).await;
    let statuses: Vec<_> = closed
        .history
        .iter()
        .flat_map(|e| &e.changes)
        .filter(|c| c.field == "status")
        .filter_map(|c| c.to.clone())
        .collect();
    assert_eq!(statuses, ["new", "enroute", "onsite", "closed_incomplete"]);
    assert_eq!(closed.order.reason.map(|r| r.code.to_string()).as_deref(), Some("parts-needed"));
}

#[tokio::test]
async fn a_follow_up_is_booked_over_http_only_for_a_job_closed_incomplete() {
    let app = spawn_app().await;
    let number = book(&app, "follow-up-http-1", FIRST_SLOT).await;
    let (_, token) = app.staff(Role::Technician).await;
    let path = format!("/work-orders/{number}/follow-up");
    let body = json!({ "technician": "sam-nguyen", "start": "2026-11-24T22:00:00Z" });
    let keyed = |key: &'static str| {
        app.client
            .post(format!("{}{SITE}{path}", app.base))
            .bearer_auth(&token)
            .header("idempotency-key", key)
            .json(&body)
    };
    let early = keyed("follow-up-key-01").send().await.expect("request");
    problem(early, StatusCode::CONFLICT, "follow-up-not-allowed").await;
    for status in ["onsite"] {
        assert_eq!(change(&app, &number, &token, json!({ "status": status })).await.status(), StatusCode::OK);
    }
    let closed = json!({ "status": "closed_incomplete", "reason_code": "customer-absent" });
    assert_eq!(change(&app, &number, &token, closed).await.status(), StatusCode::OK);
    let slots = send(&app, Method::GET, &format!("{path}/slots?days=3"), &token, None, None).await;
    assert_eq!(slots.status(), StatusCode::OK);
    let booked = keyed("follow-up-key-02").send().await.expect("request");
    assert_eq!(booked.status(), StatusCode::CREATED);
    assert!(booked.headers()["location"].to_str().expect("location").contains("/work-orders/WO-"));
    let created: WorkOrderCreated = booked.json().await.expect("json");
    let (first, _) = detail(&app, &number, &token).await;
    assert_eq!(first.order.follow_ups, [created.number]);
}
