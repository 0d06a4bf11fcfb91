//! Each Lambda function's binary started as a real process against a Lambda Runtime API served
//! here on 127.0.0.1 (the interface the Lambda service offers a runtime: `next`, `response`,
//! `error`, `init/error`), fed API Gateway HTTP API (v2) events; and how long each takes from
//! process start until it asks for its first event.
//!
//! The functions warm their DynamoDB connection at init, so these need a DynamoDB-compatible
//! server: `#[ignore]`d in a plain `cargo test`, run by `cargo xtask test` against moto.

#[path = "support/mod.rs"]
mod support;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};

const ORIGIN: &str = "https://acme.example";

/// What a runtime told the Runtime API about one invocation.
#[derive(Debug)]
enum Outcome {
    Response(Value),
    Error(Value),
}

#[derive(Default)]
struct Shared {
    waiting: HashMap<String, oneshot::Sender<Outcome>>,
    /// When the runtime first asked for an event.
    ready: Option<oneshot::Sender<Instant>>,
    init_error: Option<Value>,
}

/// A Lambda Runtime API for one runtime process: events are handed out in the order they are
/// queued, and each answer goes back to whoever queued its event.
struct RuntimeApi {
    addr: std::net::SocketAddr,
    events: mpsc::UnboundedSender<(String, Value)>,
    shared: Arc<Mutex<Shared>>,
    ready: Option<oneshot::Receiver<Instant>>,
    next_id: usize,
}

#[derive(Clone)]
struct ApiState {
    events: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, Value)>>>,
    shared: Arc<Mutex<Shared>>,
}

async fn next(State(state): State<ApiState>) -> Response {
    if let Some(ready) = state.shared.lock().expect("lock").ready.take() {
        let _ = ready.send(Instant::now());
    }
    let Some((id, event)) = state.events.lock().await.recv().await else {
        return StatusCode::GONE.into_response();
    };
    let deadline = std::time::SystemTime::now()
        .checked_add(Duration::from_secs(10))
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis());
    (
        [
            ("lambda-runtime-aws-request-id", id),
            ("lambda-runtime-deadline-ms", deadline.to_string()),
            (
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:ap-southeast-2:123456789012:function:jobslot".into(),
            ),
            ("lambda-runtime-trace-id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1".into()),
            ("content-type", "application/json".into()),
        ],
        event.to_string(),
    )
        .into_response()
}

fn answered(state: &ApiState, id: &str, outcome: Outcome) -> StatusCode {
    match state.shared.lock().expect("lock").waiting.remove(id) {
        Some(waiter) => {
            let _ = waiter.send(outcome);
            StatusCode::ACCEPTED
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn response(State(state): State<ApiState>, Path(id): Path<String>, body: String) -> StatusCode {
    answered(&state, &id, Outcome::Response(serde_json::from_str(&body).unwrap_or(Value::String(body))))
}

async fn error(State(state): State<ApiState>, Path(id): Path<String>, body: String) -> StatusCode {
    answered(&state, &id, Outcome::Error(serde_json::from_str(&body).unwrap_or(Value::String(body))))
}

async fn init_error(State(state): State<ApiState>, _headers: HeaderMap, body: String) -> StatusCode {
    state.shared.lock().expect("lock").init_error =
        Some(serde_json::from_str(&body).unwrap_or(Value::String(body)));
    StatusCode::ACCEPTED
}

impl RuntimeApi {
    async fn start() -> Self {
        let (events, receiver) = mpsc::unbounded_channel();
        let (ready_tx, ready) = oneshot::channel();
        let shared = Arc::new(Mutex::new(Shared { ready: Some(ready_tx), ..Shared::default() }));
        let state = ApiState { events: Arc::new(tokio::sync::Mutex::new(receiver)), shared: shared.clone() };
        let app = axum::Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, events, shared, ready: Some(ready), next_id: 0 }
    }

    /// Hands `event` to the runtime and waits for what it answers.
    async fn invoke(&mut self, event: Value) -> Outcome {
        self.next_id += 1;
        let id = format!("req-{}", self.next_id);
        let (tx, rx) = oneshot::channel();
        self.shared.lock().expect("lock").waiting.insert(id.clone(), tx);
        self.events.send((id, event)).expect("queued");
        tokio::time::timeout(Duration::from_secs(20), rx).await.expect("an answer in time").expect("answered")
    }

    /// When the runtime first asked for an event.
    async fn ready(&mut self) -> Instant {
        let ready = self.ready.take().expect("asked once");
        tokio::time::timeout(Duration::from_secs(20), ready).await.expect("ready in time").expect("ready")
    }

    fn init_error(&self) -> Option<Value> {
        self.shared.lock().expect("lock").init_error.clone()
    }
}

/// The environment Lambda gives a function, plus the function's own configuration.
fn environment(api: &RuntimeApi, function: &str, table: &str) -> Vec<(&'static str, String)> {
    let endpoint = std::env::var("JOBSLOT_DYNAMODB_ENDPOINT").expect("JOBSLOT_DYNAMODB_ENDPOINT");
    vec![
        ("AWS_LAMBDA_RUNTIME_API", api.addr.to_string()),
        ("AWS_LAMBDA_FUNCTION_NAME", format!("jobslot-{function}")),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256".into()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/02/[$LATEST]0123456789abcdef".into()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/jobslot-{function}")),
        // The region the test's own client made the table in (moto keeps regions apart).
        ("AWS_REGION", std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into())),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("JOBSLOT_TABLE", table.into()),
        ("JOBSLOT_DYNAMODB_ENDPOINT", endpoint.clone()),
        ("JOBSLOT_ALLOWED_ORIGINS", ORIGIN.into()),
        ("JOBSLOT_ISSUER", "https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_test".into()),
        ("JOBSLOT_CLIENT_IDS", "console-client".into()),
        ("JOBSLOT_PUBLIC_URL", "https://book.jobslot.test".into()),
        ("JOBSLOT_MAIL_FROM", "bookings@jobslot.test".into()),
        ("JOBSLOT_SES_ENDPOINT", endpoint),
        ("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true".into()),
        ("RUST_LOG", "warn".into()),
    ]
}

fn binary(function: &str) -> &'static str {
    match function {
        "assets" => env!("CARGO_BIN_EXE_assets"),
        "bookings" => env!("CARGO_BIN_EXE_bookings"),
        "work-orders" => env!("CARGO_BIN_EXE_work-orders"),
        "staff" => env!("CARGO_BIN_EXE_staff"),
        "dispatcher" => env!("CARGO_BIN_EXE_dispatcher"),
        other => panic!("no function {other}"),
    }
}

/// Starts `function` against `api` with `env` (minus the names in `without`). Its log goes to
/// the test's output, unless `without` names something: then the test reads it.
fn spawn(function: &str, env: &[(&'static str, String)], without: &[&str]) -> Child {
    let mut command = Command::new(binary(function));
    let log = if without.is_empty() { Stdio::inherit() } else { Stdio::piped() };
    command.env_clear().stdin(Stdio::null()).stdout(Stdio::inherit()).stderr(log).kill_on_drop(true);
    for (name, value) in env.iter().filter(|(name, _)| !without.contains(name)) {
        command.env(name, value);
    }
    command.spawn().expect("the function starts")
}

/// A seeded demo site in a fresh table; its name.
async fn table() -> String {
    let store = support::dynamodb_store().await;
    jobslot_functions::demo::seed_site(&jobslot_functions::repository::Repository::new(store.clone()))
        .await
        .expect("seed");
    store.table_name().to_owned()
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

/// An API Gateway v2 response's status and decoded body.
fn answer(outcome: Outcome) -> (u16, Value, Value) {
    let Outcome::Response(response) = outcome else { panic!("an error instead of a response: {outcome:?}") };
    let status = response["statusCode"].as_u64().expect("statusCode") as u16;
    let raw = response["body"].as_str().unwrap_or_default();
    let body = if response["isBase64Encoded"] == true {
        let bytes = base64::engine::general_purpose::STANDARD.decode(raw).expect("base64");
        String::from_utf8(bytes).expect("utf-8")
    } else {
        raw.to_owned()
    };
    (status, response["headers"].clone(), serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

#[tokio::test]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn every_function_answers_api_gateway_events_as_a_real_process() {
    let table = table().await;

    let mut api = RuntimeApi::start().await;
    let _assets = spawn("assets", &environment(&api, "assets", &table), &[]);
    let (status, headers, config) = answer(api.invoke(fixture("apigw-v2-get-config.json")).await);
    assert_eq!(status, 200);
    assert_eq!(headers["access-control-allow-origin"], ORIGIN);
    assert_eq!(config["business_name"], "Acme Car Servicing");
    let (status, headers, _) = answer(api.invoke(fixture("apigw-v2-preflight.json")).await);
    assert!((200..300).contains(&status), "preflight: {status}");
    assert!(headers["access-control-allow-methods"].as_str().unwrap_or_default().contains("POST"));
    // Not an API Gateway event at all: the runtime reports an invocation error and goes on.
    let Outcome::Error(error) = api.invoke(json!({ "not": "an API Gateway event" })).await else {
        panic!("a malformed event is an error")
    };
    assert!(error["errorType"].is_string() && error["errorMessage"].is_string(), "{error}");
    let (status, _, _) = answer(api.invoke(fixture("apigw-v2-get-config.json")).await);
    assert_eq!(status, 200, "still serving after the malformed event");

    let mut api = RuntimeApi::start().await;
    let _bookings = spawn("bookings", &environment(&api, "bookings", &table), &[]);
    // Two weeks from today (by the system clock the functions run on), so some slot is free.
    let mut search = fixture("apigw-v2-slots-named-stage.json");
    search["rawQueryString"] = json!("postcode=2000&service=basic-service&days=14");
    search["queryStringParameters"]["days"] = json!("14");
    let (status, _, slots) = answer(api.invoke(search).await);
    assert_eq!(status, 200, "the stage prefix is removed: {slots}");
    let slot = slots["days"]
        .as_array()
        .and_then(|days| days.iter().find_map(|d| d["slots"].as_array().and_then(|s| s.first()).cloned()))
        .expect("a free slot within two weeks");

    let mut api = RuntimeApi::start().await;
    let _orders = spawn("work-orders", &environment(&api, "work-orders", &table), &[]);
    let mut request = support::submission(slot["start"].as_str().expect("start"));
    request.technician = slot["technician"].as_str().expect("technician").to_owned();
    let body = base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&request).expect("json"));
    let mut submit = fixture("apigw-v2-submit-base64.json");
    submit["body"] = json!(body);
    submit["headers"]["origin"] = json!(ORIGIN);
    let (status, headers, created) = answer(api.invoke(submit).await);
    assert_eq!(status, 201, "booked from a base64 body: {created}");
    assert!(created["number"].as_str().is_some_and(|n| n.starts_with("WO-")));
    assert_eq!(headers["access-control-allow-origin"], ORIGIN);

    let mut api = RuntimeApi::start().await;
    let _staff = spawn("staff", &environment(&api, "staff", &table), &[]);
    let mut me = fixture("apigw-v2-get-config.json");
    me["rawPath"] = json!("/api/me");
    me["requestContext"]["http"]["path"] = json!("/api/me");
    me["routeKey"] = json!("GET /api/me");
    let (status, _, problem) = answer(api.invoke(me).await);
    assert_eq!(status, 401, "staff routes check the token themselves: {problem}");
    assert_eq!(problem["type"], "https://jobslot.dev/problems/unauthorized");

    let mut api = RuntimeApi::start().await;
    let _dispatcher = spawn("dispatcher", &environment(&api, "dispatcher", &table), &[]);
    let schedule =
        json!({ "version": "0", "source": "aws.events", "detail-type": "Scheduled Event", "detail": {} });
    let Outcome::Response(round) = api.invoke(schedule).await else { panic!("the dispatcher failed") };
    assert_eq!(round["delivered"], 0, "{round}");
}

#[tokio::test]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn a_missing_or_bad_variable_fails_init_with_a_clear_message() {
    let table = table().await;
    for (function, without, bad, says) in [
        ("assets", "JOBSLOT_TABLE", None, "JOBSLOT_TABLE is not set"),
        ("staff", "JOBSLOT_CLIENT_IDS", None, "JOBSLOT_CLIENT_IDS is not set"),
        ("bookings", "", Some(("JOBSLOT_ALLOWED_ORIGINS", "not an origin")), "JOBSLOT_ALLOWED_ORIGINS"),
        ("dispatcher", "JOBSLOT_PUBLIC_URL", None, "JOBSLOT_PUBLIC_URL is not set"),
    ] {
        let api = RuntimeApi::start().await;
        let mut env = environment(&api, function, &table);
        if let Some((name, value)) = bad {
            env.retain(|(n, _)| *n != name);
            env.push((name, value.to_owned()));
        }
        let child = spawn(function, &env, &[without]);
        let output = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
            .await
            .expect("exits in time")
            .expect("output");
        assert!(!output.status.success(), "{function} must not start without {without}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{function}: {stderr}");
        let reported = api.init_error().expect("the init error is reported to the Runtime API");
        assert!(reported["errorMessage"].as_str().unwrap_or_default().contains(says), "{reported}");
        assert_eq!(reported["errorType"], "Runtime.ConfigError");
    }
}

/// Process start until the first `next`, for each function, median of 20 (printed; a figure,
/// not a gate: timings on a shared machine would flake).
#[tokio::test]
#[ignore = "a figure: cargo xtask bench runs it against the moto server it starts"]
async fn start_to_ready_of_each_function() {
    let table = table().await;
    println!("start-to-ready (process start to its first `next`), median of 20, debug host build:");
    for function in ["assets", "bookings", "work-orders", "staff", "dispatcher"] {
        let mut times = Vec::new();
        for _ in 0..20 {
            let mut api = RuntimeApi::start().await;
            let env = environment(&api, function, &table);
            let started = Instant::now();
            let mut child = spawn(function, &env, &[]);
            let ready = api.ready().await;
            times.push(ready.duration_since(started));
            let _ = child.kill().await;
        }
        times.sort();
        let median = (times[9] + times[10]) / 2;
        println!(
            "  {function:<12} {:>7.1} ms  (min {:.1}, max {:.1})",
            ms(median),
            ms(times[0]),
            ms(times[19])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
