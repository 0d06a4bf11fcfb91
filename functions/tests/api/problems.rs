//! Requests that must fail cleanly: unknown sites and routes, bad bodies, CORS.

use crate::helpers::{EMBEDDING_ORIGIN, SITE, problem, spawn_app};
use reqwest::StatusCode;

#[tokio::test]
async fn an_unknown_site_is_404_on_every_function() {
    let app = spawn_app().await;
    for path in [
        "/api/sites/nobody/config",
        "/api/sites/nobody/coverage?postcode=2000",
        "/api/sites/nobody/slots?postcode=2000&service=basic-service",
        "/api/sites/Not%20A%20Slug/config",
    ] {
        problem(app.get(path).await, StatusCode::NOT_FOUND, "unknown-site").await;
    }
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    problem(app.get("/api/nothing-here").await, StatusCode::NOT_FOUND, "not-found").await;
}

#[tokio::test]
async fn malformed_json_is_a_400_problem_and_stores_nothing() {
    let app = spawn_app().await;
    problem(
        app.post_raw("{\"service\": ", "application/json").await,
        StatusCode::BAD_REQUEST,
        "malformed-body",
    )
    .await;
    problem(
        app.post_raw("{\"start\": 5}", "application/json").await,
        StatusCode::BAD_REQUEST,
        "malformed-body",
    )
    .await;
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_a_400_even_where_every_field_is_optional() {
    let app = spawn_app().await;
    for body in ["[]", " [\"basic-service\"]", "null", "\"x\"", "5"] {
        let answer =
            problem(app.post_raw(body, "application/json").await, StatusCode::BAD_REQUEST, "malformed-body")
                .await;
        assert_eq!(answer.detail.as_deref(), Some("The body must be a JSON object."), "{body}");
    }
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    for content_type in ["text/plain", "application/jsonx", "application/x-www-form-urlencoded"] {
        problem(
            app.post_raw("service=basic", content_type).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "malformed-body",
        )
        .await;
    }
    let json_with_charset = app.post_raw("{}", "Application/JSON; charset=utf-8").await;
    assert_eq!(json_with_charset.status(), StatusCode::UNPROCESSABLE_ENTITY, "read as JSON");
}

#[tokio::test]
async fn an_oversized_body_is_a_413_problem() {
    let app = spawn_app().await;
    let huge = format!("{{\"notes\": \"{}\"}}", "x".repeat(100 * 1024));
    problem(app.post_raw(huge, "application/json").await, StatusCode::PAYLOAD_TOO_LARGE, "body-too-large")
        .await;
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn browsers_on_an_embedding_site_may_call_the_api_and_others_may_not() {
    let app = spawn_app().await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}{SITE}/work-orders", app.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,idempotency-key")
            .send()
    };
    let allowed = preflight(EMBEDDING_ORIGIN).await.expect("preflight");
    assert_eq!(
        allowed.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()),
        Some(EMBEDDING_ORIGIN)
    );
    let allowed_headers = allowed
        .headers()
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(allowed_headers.contains("idempotency-key"), "{allowed_headers}");
    let other = preflight("https://evil.example").await.expect("preflight");
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_path_segment_that_is_no_id_is_a_404_naming_it_before_the_handler_runs() {
    let app = spawn_app().await;
    // No token: the path is read first, and a segment that is no id names nothing.
    for (method, path, kind, named) in [
        ("GET", format!("{SITE}/work-orders/not-a-number"), "not-found", "number"),
        ("GET", format!("{SITE}/bookings/WO-!"), "not-found", "number"),
        ("GET", format!("{SITE}/technicians/Sam%20Nguyen"), "not-found", "technician"),
        ("DELETE", format!("{SITE}/webhooks/hook-1"), "not-found", "endpoint"),
        ("GET", "/api/sites/Not%20A%20Slug/work-orders/WO-0000000A".to_owned(), "unknown-site", ""),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let response = app.client.request(method, format!("{}{path}", app.base)).send().await.expect("sent");
        let found = problem(response, StatusCode::NOT_FOUND, kind).await;
        let detail = found.detail.unwrap_or_default();
        assert!(detail.contains(named), "{path}: {detail}");
        assert!(
            !detail.contains("not-a-number") && !detail.contains("Sam"),
            "the segment is not echoed: {detail}"
        );
    }
}
