//! Webhook endpoints over HTTP: who may register them, what a bad address gets, and that a
//! secret is shown when made or rotated and never again.

use crate::helpers::{SITE, TestApp, fields, problem, spawn_app};
use jobslot_domain::staff::Role;
use jobslot_domain::webhook::{Endpoint, EndpointPage, EndpointWithSecret};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Response {
    let mut request =
        app.client.request(method, format!("{}{SITE}/webhooks{path}", app.base)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request")
}

fn body(url: &str) -> Value {
    json!({ "url": url, "events": ["booking.created", "work_order.status_changed"], "description": "Our CRM" })
}

#[tokio::test]
async fn an_owner_registers_changes_rotates_and_removes_an_endpoint() {
    let app = spawn_app().await;
    let owner = app.owner_token().await;
    let response =
        send(&app, reqwest::Method::POST, "", &owner, Some(&body("https://crm.example/hooks"))).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let location = response.headers()["location"].to_str().expect("location").to_owned();
    let created: EndpointWithSecret = response.json().await.expect("json");
    let id = created.endpoint.id.to_string();
    assert_eq!(location, format!("{SITE}/webhooks/{id}"));
    assert!(created.secret.starts_with("whsec_"));

    let listed = send(&app, reqwest::Method::GET, "", &owner, None).await.text().await.expect("text");
    assert!(!listed.contains(&created.secret) && !listed.contains("whsec_"), "the secret is shown once");
    let page: EndpointPage = serde_json::from_str(&listed).expect("page");
    assert_eq!(page.items, std::slice::from_ref(&created.endpoint));

    let paused =
        json!({ "url": "https://crm.example/v2", "events": ["booking.cancelled"], "enabled": false });
    let changed: Endpoint = send(&app, reqwest::Method::PUT, &format!("/{id}"), &owner, Some(&paused))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!((changed.url.as_str(), changed.enabled), ("https://crm.example/v2", false));
    assert_eq!(changed.created_at, created.endpoint.created_at);

    let rotated = send(&app, reqwest::Method::POST, &format!("/{id}/rotate-secret"), &owner, None).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: EndpointWithSecret = rotated.json().await.expect("json");
    assert_ne!(rotated.secret, created.secret);
    assert!(rotated.previous_secret_valid_until.is_some());

    let removed = send(&app, reqwest::Method::DELETE, &format!("/{id}"), &owner, None).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let again = send(&app, reqwest::Method::DELETE, &format!("/{id}"), &owner, None).await;
    problem(again, StatusCode::NOT_FOUND, "not-found").await;
    let unknown = send(&app, reqwest::Method::PUT, "/customer", &owner, Some(&paused)).await;
    problem(unknown, StatusCode::NOT_FOUND, "not-found").await;
}

#[tokio::test]
async fn an_address_our_servers_must_not_call_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let owner = app.owner_token().await;
    for url in [
        "http://crm.example/hooks",
        "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.8/hooks",
        "https://localhost/hooks",
        "https://admin:secret@crm.example/hooks",
    ] {
        let response = send(&app, reqwest::Method::POST, "", &owner, Some(&body(url))).await;
        let refused = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
        assert_eq!(fields(&refused), ["url"], "{url}");
    }
    let bad_events = json!({ "url": "https://crm.example/h", "events": ["booking.created", "order.paid"] });
    let response = send(&app, reqwest::Method::POST, "", &owner, Some(&bad_events)).await;
    let refused = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&refused), ["events.1"]);
    let listed: EndpointPage =
        send(&app, reqwest::Method::GET, "", &owner, None).await.json().await.expect("json");
    assert!(listed.items.is_empty(), "nothing was written");
}

#[tokio::test]
async fn integrators_register_their_own_endpoints_and_dispatchers_may_not() {
    let app = spawn_app().await;
    let integrator = app.integrator_token().await;
    let response =
        send(&app, reqwest::Method::POST, "", &integrator, Some(&body("https://crm.example/h"))).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let (_, dispatcher) = app.staff(Role::Dispatcher).await;
    let response = send(&app, reqwest::Method::GET, "", &dispatcher, None).await;
    problem(response, StatusCode::FORBIDDEN, "forbidden").await;
    let outsider = app.member_of_other_site().await;
    let response = send(&app, reqwest::Method::GET, "", &outsider, None).await;
    problem(response, StatusCode::NOT_FOUND, "unknown-site").await;
}

/// An integrator that could rotate the owner's endpoint's secret could forge signed events to
/// the owner's systems; one that could change its address could read them.
#[tokio::test]
async fn an_integrator_sees_and_manages_only_its_own_endpoints_and_owners_all() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let integrator = app.integrator_token().await;
    let created = |token: String, url: &'static str| {
        let app = &app;
        async move {
            let response = send(app, reqwest::Method::POST, "", &token, Some(&body(url))).await;
            assert_eq!(response.status(), StatusCode::CREATED);
            response.json::<EndpointWithSecret>().await.expect("json").endpoint
        }
    };
    let owners = created(owner.clone(), "https://office.example/hooks").await;
    let theirs = created(integrator.clone(), "https://crm.example/hooks").await;
    let listed = |token: String| {
        let app = &app;
        async move {
            let page: EndpointPage =
                send(app, reqwest::Method::GET, "", &token, None).await.json().await.expect("json");
            page.items.into_iter().map(|e| e.id.to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(integrator.clone()).await, [theirs.id.to_string()]);
    assert_eq!(listed(owner.clone()).await.len(), 2, "owners see every endpoint");

    let others = format!("/{}", owners.id);
    for (method, path, payload) in [
        (reqwest::Method::POST, format!("{others}/rotate-secret"), None),
        (reqwest::Method::PUT, others.clone(), Some(body("https://crm.example/stolen"))),
        (reqwest::Method::DELETE, others.clone(), None),
    ] {
        let response = send(&app, method.clone(), &path, &integrator, payload.as_ref()).await;
        problem(response, StatusCode::NOT_FOUND, "not-found").await;
    }
    let rotated =
        send(&app, reqwest::Method::POST, &format!("/{}/rotate-secret", theirs.id), &integrator, None).await;
    assert_eq!(rotated.status(), StatusCode::OK, "its own, it may");
    let removed = send(&app, reqwest::Method::DELETE, &format!("/{}", theirs.id), &owner, None).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT, "owners manage every endpoint");
}

#[tokio::test]
async fn a_console_on_another_origin_may_remove_and_patch() {
    let app = spawn_app().await;
    for (method, path) in
        [("DELETE", "/webhooks/wh_aaaaaaaaaaaaaaaaaaaa"), ("PATCH", "/work-orders/WO-00000000")]
    {
        let preflight = app
            .client
            .request(reqwest::Method::OPTIONS, format!("{}{SITE}{path}", app.base))
            .header("origin", crate::helpers::EMBEDDING_ORIGIN)
            .header("access-control-request-method", method)
            .header("access-control-request-headers", "authorization")
            .send()
            .await
            .expect("preflight");
        let allowed =
            preflight.headers()["access-control-allow-methods"].to_str().expect("header").to_owned();
        assert!(allowed.contains(method), "{method}: {allowed}");
    }
}
