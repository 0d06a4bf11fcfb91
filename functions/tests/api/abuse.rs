//! Abuse: per-client rate limits, a request timeout, a concurrency limit, and panics.

use crate::helpers::{SITE, problem, serve, spawn_app_with};
use crate::support::{FIRST_SLOT, submission};
use axum::Router;
use axum::routing::get;
use jobslot_functions::http::limits::{Quotas, RateLimits, quota};
use jobslot_functions::http::{HttpConfig, with_layers};
use reqwest::StatusCode;
use std::time::Duration;

/// Quotas that run out after `burst` requests and stay out for the test's lifetime.
fn strict(burst: u32) -> Quotas {
    let hour = Duration::from_secs(3600);
    Quotas { search: quota(burst, hour), booking: quota(burst, hour), sign_in: quota(burst, hour) }
}

/// A client connecting from another loopback address: another customer.
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<std::net::IpAddr>().ok())
        .build()
        .expect("client")
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"].to_str().expect("text").parse().expect("seconds")
}

#[tokio::test]
async fn a_client_over_its_booking_quota_gets_429_and_others_still_book() {
    let app = spawn_app_with(|http| http.rate_limits = Some(RateLimits::new(strict(2)))).await;
    assert_eq!(app.submit("first-booking", &submission(FIRST_SLOT)).await.status(), StatusCode::CREATED);
    let taken = app.submit("second-booking", &submission(FIRST_SLOT)).await;
    assert_eq!(taken.status(), StatusCode::CONFLICT, "refused for the slot, still counted");
    let refused = app.submit("third-booking", &submission(FIRST_SLOT)).await;
    let seconds = retry_after(&refused);
    assert!((1..=3600).contains(&seconds), "Retry-After {seconds}");
    let problem = problem(refused, StatusCode::TOO_MANY_REQUESTS, "too-many-requests").await;
    assert!(problem.detail.unwrap_or_default().contains("try again"));

    // The limit is per client and per kind: searching still works, and another client books.
    let search = app.get(&format!("{SITE}/slots?postcode=2000&service=basic-service&days=1")).await;
    assert_eq!(search.status(), StatusCode::OK);
    let other = client_from("127.0.0.2")
        .post(format!("{}{SITE}/work-orders", app.base))
        .header("Idempotency-Key", "another-customer")
        .json(&submission("2026-11-23T23:00:00Z"))
        .send()
        .await
        .expect("request");
    assert_eq!(other.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn searching_too_fast_is_limited() {
    let app = spawn_app_with(|http| http.rate_limits = Some(RateLimits::new(strict(3)))).await;
    let path = format!("{SITE}/slots?postcode=2000&service=basic-service&days=1");
    for _ in 0..3 {
        assert_eq!(app.get(&path).await.status(), StatusCode::OK);
    }
    problem(app.get(&path).await, StatusCode::TOO_MANY_REQUESTS, "too-many-requests").await;
}

#[tokio::test]
async fn password_guessing_is_slowed_to_a_few_tries() {
    let app = spawn_app_with(|http| http.rate_limits = Some(RateLimits::new(strict(3)))).await;
    let guess = |n: usize| {
        let form = [
            ("response_type", "code".to_owned()),
            ("client_id", "jobslot-console".to_owned()),
            ("redirect_uri", format!("{}/admin/", app.base)),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned()),
            ("code_challenge_method", "S256".to_owned()),
            ("email", "owner@acme.example".to_owned()),
            ("password", format!("guess number {n}")),
        ];
        app.client.post(format!("{}/oauth2/authorize", app.base)).form(&form).send()
    };
    for n in 0..3 {
        let wrong = guess(n).await.expect("post");
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "a wrong password shows the form again");
    }
    let refused = guess(3).await.expect("post");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&refused) >= 1);
    assert!(refused.text().await.expect("page").contains("Too many sign-in attempts"));
}

/// Serves `routes` inside the layers every host puts around its routers.
async fn serve_layered(routes: Router, http: &HttpConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    serve(listener, with_layers(routes, http));
    base
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_keeps_serving() {
    let routes = Router::new()
        .route(
            "/boom",
            get(|| async {
                if true {
                    panic!("a bug");
                }
                "unreachable"
            }),
        )
        .route("/fine", get(|| async { "fine" }));
    let base = serve_layered(routes, &HttpConfig::default()).await;
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let response = client.get(format!("{base}/boom")).send().await.expect("an answer, not a reset");
        let problem = problem(response, StatusCode::INTERNAL_SERVER_ERROR, "internal").await;
        assert!(!format!("{problem:?}").contains("a bug"), "the panic message stays inside");
    }
    assert_eq!(client.get(format!("{base}/fine")).send().await.expect("get").status(), StatusCode::OK);
}

#[tokio::test]
async fn a_request_over_the_timeout_gets_503_with_retry_after() {
    let routes = Router::new().route(
        "/stuck",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "too late"
        }),
    );
    let http = HttpConfig { request_timeout: Duration::from_millis(200), ..HttpConfig::default() };
    let base = serve_layered(routes, &http).await;
    let response = reqwest::get(format!("{base}/stuck")).await.expect("get");
    assert!(retry_after(&response) >= 1);
    problem(response, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
}

#[tokio::test]
async fn no_more_requests_than_the_limit_are_handled_at_once_and_the_rest_wait_their_turn() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (inside, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (inside_h, peak_h) = (Arc::clone(&inside), Arc::clone(&peak));
    let routes = Router::new().route(
        "/work",
        get(move || {
            let (inside, peak) = (Arc::clone(&inside_h), Arc::clone(&peak_h));
            async move {
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(100)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
                "done"
            }
        }),
    );
    let http = HttpConfig { max_in_flight: 2, ..HttpConfig::default() };
    let base = serve_layered(routes, &http).await;
    let client = reqwest::Client::new();
    let requests = (0..6).map(|_| client.get(format!("{base}/work")).send());
    for response in futures::future::join_all(requests).await {
        assert_eq!(response.expect("get").status(), StatusCode::OK, "waiting requests are served");
    }
    let peak = peak.load(Ordering::SeqCst);
    assert!((1..=2).contains(&peak), "{peak} handled at once with a limit of 2");
}

#[tokio::test]
async fn a_request_waiting_for_a_turn_gets_503_within_the_timeout() {
    let (entered_tx, entered_rx) = tokio::sync::oneshot::channel::<()>();
    let entered = std::sync::Arc::new(std::sync::Mutex::new(Some(entered_tx)));
    let routes = Router::new().route(
        "/stuck",
        get(move || {
            if let Some(entered) = entered.lock().expect("lock").take() {
                let _ = entered.send(());
            }
            async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "too late"
            }
        }),
    );
    let http =
        HttpConfig { max_in_flight: 1, request_timeout: Duration::from_millis(300), ..HttpConfig::default() };
    let base = serve_layered(routes, &http).await;
    let client = reqwest::Client::new();
    let first = tokio::spawn(client.get(format!("{base}/stuck")).send());
    entered_rx.await.expect("the first request holds the only turn");
    // The second never gets a turn before its own timeout: answered, not queued for ever.
    let second = tokio::time::timeout(Duration::from_secs(10), client.get(format!("{base}/stuck")).send())
        .await
        .expect("answered within the hang guard")
        .expect("get");
    problem(second, StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    let first = first.await.expect("join").expect("get");
    assert_eq!(first.status(), StatusCode::SERVICE_UNAVAILABLE);
}
