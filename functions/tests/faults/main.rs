//! The API when its store misbehaves, checked by the answers customers get.
//!
//! On DynamoDB a proxy between the SDK and the DynamoDB-compatible server fails chosen calls;
//! those tests are `#[ignore]`d in a plain `cargo test` because they need the server, and
//! `cargo xtask test` starts moto and runs them with `--ignored`. The embedded store's faults
//! need nothing and run everywhere.

mod embedded;
mod proxy;
#[path = "../support/mod.rs"]
mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jobslot_domain::api::{Problem, SlotsResponse, WorkOrderCreated};
use jobslot_functions::app::App;
use jobslot_functions::http::{AppState, HttpConfig, IDEMPOTENCY_HEADER, api_router, with_layers};
use jobslot_functions::store::dynamodb::{ClientLimits, DynamoStore};
use jobslot_functions::store::{SkRange, Store, entries_of};
use proxy::{Fault, FaultProxy};
use std::time::Duration;
use support::{FIRST_SLOT, demo_app, local_auth, submission};
use tower::ServiceExt;

const SLOTS: &str = "/api/sites/acme-car-servicing/slots?postcode=2000&service=basic-service&days=2";
const SUBMIT: &str = "/api/sites/acme-car-servicing/work-orders";
/// Longer than any request may take with [`LIMITS`]: a guard against hanging, not a timing.
const HANG_GUARD: Duration = Duration::from_secs(20);
/// Short limits, so a test of a store that stays down ends in seconds.
const LIMITS: ClientLimits = ClientLimits {
    connect: Duration::from_millis(500),
    attempt: Duration::from_millis(500),
    operation: Duration::from_secs(2),
    attempts: 3,
    first_backoff: Duration::from_millis(10),
};

struct Faulty {
    proxy: FaultProxy,
    store: DynamoStore,
    app: App<DynamoStore>,
    router: axum::Router,
}

/// The demo site on a fresh table reached through a fault proxy, and the API over it.
async fn faulty() -> Faulty {
    let upstream = std::env::var("JOBSLOT_DYNAMODB_ENDPOINT").expect(
        "JOBSLOT_DYNAMODB_ENDPOINT must name a DynamoDB-compatible server (cargo xtask test starts one)",
    );
    let proxy = FaultProxy::start(&upstream).await;
    let client = DynamoStore::client(Some(&proxy.endpoint), LIMITS).await;
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("randomness");
    let store = DynamoStore::new(client, format!("jobslot-faults-{}", hex::encode(bytes)));
    store.ensure_table().await.expect("create table");
    let app = demo_app(store.clone()).await;
    let (_, identity, verifier) = local_auth(&app, "http://127.0.0.1:9");
    let state = AppState {
        app: app.clone(),
        verifier,
        accounts: Some(identity.clone()),
        clients: Some(std::sync::Arc::new(identity)),
    };
    let router = with_layers(api_router(state), &HttpConfig::default());
    Faulty { proxy, store, app, router }
}

impl Faulty {
    async fn call(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let response = tokio::time::timeout(HANG_GUARD, self.router.clone().oneshot(request))
            .await
            .expect("the API answered before the hang guard")
            .expect("infallible");
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
        (parts.status, parts.headers, bytes.to_vec())
    }

    async fn slots(&self) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        self.call(Request::get(SLOTS).body(Body::empty()).expect("request")).await
    }

    async fn submit(&self, key: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let body = serde_json::to_vec(&submission(FIRST_SLOT)).expect("json");
        let request = Request::post(SUBMIT)
            .header(header::CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_HEADER, key)
            .body(Body::from(body))
            .expect("request");
        self.call(request).await
    }

    /// Sam's bookings, read without the proxy's faults.
    async fn sams_bookings(&self) -> usize {
        self.proxy.heal();
        sams_bookings(&self.store).await
    }
}

/// How many work orders Sam's schedule sheets hold time for, in any month.
async fn sams_bookings(store: &impl Store) -> usize {
    let sheets = store
        .query("SITE#acme-car-servicing#TECH#sam-nguyen", &SkRange::Prefix("SHEET#".into()))
        .await
        .expect("query");
    let orders: std::collections::BTreeSet<String> =
        sheets.iter().flat_map(|s| entries_of(&s.data).expect("a sheet").into_keys()).collect();
    orders.len()
}

fn assert_unavailable(status: StatusCode, headers: &axum::http::HeaderMap, body: &[u8]) {
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    let seconds: u64 = headers[header::RETRY_AFTER].to_str().expect("text").parse().expect("seconds");
    assert!((1..=60).contains(&seconds), "Retry-After {seconds}");
    let problem: Problem = serde_json::from_slice(body).expect("problem document");
    assert!(problem.type_uri.ends_with("/unavailable"), "{}", problem.type_uri);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn a_conflicting_transaction_is_retried_and_books_once() {
    let t = faulty().await;
    let seeded = t.proxy.calls("TransactWriteItems");
    t.proxy.fail("TransactWriteItems", Fault::TransactionConflict, 2);
    let (status, _, body) = t.submit("conflict-1").await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    assert_eq!(t.proxy.calls("TransactWriteItems") - seeded, 3, "two conflicts, then the write");
    assert_eq!(t.sams_bookings().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn throttling_server_errors_and_dropped_connections_are_retried() {
    let t = faulty().await;
    let counts = || (t.proxy.calls("GetItem"), t.proxy.calls("Query"), t.proxy.calls("BatchGetItem"));
    let start = counts();
    let (status, _, clean) = t.slots().await;
    assert_eq!(status, StatusCode::OK);
    let before = counts();
    let search = (before.0 - start.0, before.1 - start.1, before.2 - start.2);
    assert_eq!(
        search,
        (1, 1, 1),
        "the site, the postcode's coverage bucket, one batch of records and sheets"
    );

    t.proxy.fail("GetItem", Fault::Throttling, 1);
    t.proxy.fail("Query", Fault::ThroughputExceeded, 1);
    t.proxy.fail("BatchGetItem", Fault::ServerError, 1);
    t.proxy.fail("Query", Fault::DropRequest, 1);
    let (status, _, body) = t.slots().await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let (clean, faulted): (SlotsResponse, SlotsResponse) =
        (serde_json::from_slice(&clean).expect("slots"), serde_json::from_slice(&body).expect("slots"));
    assert_eq!(faulted, clean, "the retried search finds the same slots");
    let after = counts();
    assert_eq!(after.0 - before.0, search.0 + 1, "one GetItem retried");
    assert_eq!(after.1 - before.1, search.1 + 2, "two Queries retried");
    assert_eq!(after.2 - before.2, search.2 + 1, "one BatchGetItem retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn a_booking_whose_answer_was_lost_is_retried_without_booking_twice() {
    let t = faulty().await;
    // DynamoDB did the write; the SDK never heard back, so it sends the transaction again.
    t.proxy.fail("TransactWriteItems", Fault::DropResponse, 1);
    let (status, _, body) = t.submit("lost-answer").await;
    assert_eq!(status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let created: WorkOrderCreated = serde_json::from_slice(&body).expect("created");
    assert_eq!(t.sams_bookings().await, 1);
    let order = t.app.repository().work_order(&jobslot_functions::demo::site_id(), &created.number).await;
    assert!(order.expect("read").is_some(), "the answer names the stored work order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn a_store_that_stays_down_gives_503_with_retry_after_and_writes_nothing() {
    let t = faulty().await;
    for fault in [Fault::ServerError, Fault::Throttling, Fault::DropRequest] {
        t.proxy.fail_everything(fault);
        let (status, headers, body) = t.slots().await;
        assert_unavailable(status, &headers, &body);
        let (status, headers, body) = t.submit("while-down").await;
        assert_unavailable(status, &headers, &body);
        t.proxy.heal();
    }
    // Down only for writes: everything before the transaction succeeds, the write never does.
    t.proxy.fail("TransactWriteItems", Fault::ServerError, u32::MAX);
    let (status, headers, body) = t.submit("write-down").await;
    assert_unavailable(status, &headers, &body);
    assert_eq!(t.sams_bookings().await, 0, "the refused booking left nothing behind");

    let (status, _, body) = t.submit("while-down").await;
    assert_eq!(status, StatusCode::CREATED, "the slot is still free: {}", String::from_utf8_lossy(&body));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn a_store_too_slow_to_answer_gives_503_not_a_hung_request() {
    let t = faulty().await;
    t.proxy.fail_everything(Fault::Slow(Duration::from_secs(30)));
    let (status, headers, body) = t.slots().await;
    assert_unavailable(status, &headers, &body);
    t.proxy.heal();
    let (status, _, _) = t.slots().await;
    assert_eq!(status, StatusCode::OK, "the API recovers with the store");
}
