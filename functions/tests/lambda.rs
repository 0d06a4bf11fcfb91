//! Each function's router fed real API Gateway (HTTP API, payload v2) events, as Lambda does.

#[path = "support/mod.rs"]
mod support;

use axum::http::HeaderValue;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jobslot_domain::api::{Problem, SlotsResponse, WorkOrderCreated};
use jobslot_functions::http::{
    AppState, HttpConfig, assets_router, bookings_router, with_layers, work_orders_router,
};
use jobslot_functions::lambda::handler;
use jobslot_functions::store::embedded::EmbeddedStore;
use support::{FIRST_SLOT, demo_app, embedded_store, local_auth, submission};
use tower::ServiceExt;

async fn state() -> (AppState<EmbeddedStore>, tempfile::TempDir) {
    let (store, dir) = embedded_store();
    let app = demo_app(store).await;
    // Lambda's staff routes are not exercised here; the verifier points at an issuer nobody runs.
    let (_, _, verifier) = local_auth(&app, "http://127.0.0.1:9");
    (AppState { app, verifier, accounts: None, clients: None }, dir)
}

fn http() -> HttpConfig {
    HttpConfig {
        allowed_origins: vec![HeaderValue::from_static("https://acme.example")],
        ..HttpConfig::default()
    }
}

fn event(name: &str) -> lambda_http::Request {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(&path).expect("fixture");
    lambda_http::request::from_str(&json).expect("an API Gateway v2 event")
}

async fn body<T: serde::de::DeserializeOwned>(response: Response) -> T {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

#[tokio::test]
async fn the_assets_function_answers_a_config_event_with_cors() {
    let (state, _dir) = state().await;
    let response = handler(with_layers(assets_router(state), &http()))
        .oneshot(event("apigw-v2-get-config.json"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()),
        Some("https://acme.example")
    );
    let config: jobslot_domain::api::SiteConfigResponse = body(response).await;
    assert_eq!(config.business_name, "Acme Car Servicing");
}

#[tokio::test]
async fn the_bookings_function_routes_under_a_named_stage() {
    let (state, _dir) = state().await;
    let response = handler(with_layers(bookings_router(state), &http()))
        .oneshot(event("apigw-v2-slots-named-stage.json"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), 200);
    let slots: SlotsResponse = body(response).await;
    assert_eq!(slots.days.len(), 1);
    assert_eq!(slots.days[0].slots[0].start.to_string(), FIRST_SLOT);
}

#[tokio::test]
async fn the_work_orders_function_books_from_a_base64_body() {
    let (state, _dir) = state().await;
    let json = serde_json::to_vec(&submission(FIRST_SLOT)).expect("json");
    let path = format!("{}/tests/fixtures/apigw-v2-submit-base64.json", env!("CARGO_MANIFEST_DIR"));
    let raw = std::fs::read_to_string(path).expect("fixture").replace("BODY_BASE64", &STANDARD.encode(&json));
    let request = lambda_http::request::from_str(&raw).expect("event");
    let router = handler(with_layers(work_orders_router(state), &http()));
    let response = router.clone().oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), 201);
    let created: WorkOrderCreated = body(response).await;
    assert!(created.number.as_str().starts_with("WO-"));
    // Another function's route is not served by this one.
    let response = router.oneshot(event("apigw-v2-get-config.json")).await.expect("infallible");
    assert_eq!(response.status(), 404);
    let problem: Problem = body(response).await;
    assert!(problem.type_uri.ends_with("/not-found"));
}

#[tokio::test]
async fn the_work_orders_function_answers_the_browsers_preflight() {
    let (state, _dir) = state().await;
    let router = handler(with_layers(work_orders_router(state), &http()));
    let response = router.oneshot(event("apigw-v2-preflight.json")).await.expect("infallible");
    assert!(response.status().is_success(), "{}", response.status());
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(header("access-control-allow-origin"), "https://acme.example");
    assert!(header("access-control-allow-headers").contains("idempotency-key"));
    assert!(header("access-control-allow-methods").contains("POST"));
}
