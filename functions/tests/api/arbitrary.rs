//! Every body and query the API parses, fed arbitrary bytes and mutated valid JSON over HTTP:
//! the answer is never a 5xx (a panic or a parser the server did not expect to fail), and every
//! refusal is a problem document.

use crate::helpers::{SITE, TestApp, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};

static KEYS: AtomicUsize = AtomicUsize::new(0);

/// Cases per body: enough to reach past serde into every field's parser, quick enough to run
/// on every `cargo xtask test`.
const CASES: u32 = 300;

fn runner() -> TestRunner {
    // A failing case is printed, shrunk, and turned into a named regression test by hand;
    // nothing is written next to the sources.
    TestRunner::new(Config { cases: CASES, failure_persistence: None, ..Config::default() })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        1 => vec(any::<u8>(), 0..80).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        // Near misses of the real formats: digits, separators, zones, dates, times.
        3 => "[0-9A-Za-z +:/#()._@-]{0,24}",
        1 => Just("9".repeat(5_000)),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ]
}

fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            vec((text(), inner), 0..4).prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer inside `value`, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                pointers(inner, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                pointers(inner, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// `base` with one to three of its parts replaced by arbitrary JSON.
fn mutated(base: Value) -> impl Strategy<Value = Value> {
    let mut paths = Vec::new();
    pointers(&base, String::new(), &mut paths);
    // Mostly text where text was: that is what reaches the field parsers.
    let replacement = prop_oneof![3 => text().prop_map(Value::String), 1 => json()];
    vec((0..paths.len(), replacement), 1..4).prop_map(move |changes| {
        let mut value = base.clone();
        for (path, replacement) in changes {
            if let Some(slot) = value.pointer_mut(&paths[path]) {
                *slot = replacement;
            }
        }
        value
    })
}

/// A body: raw bytes, or mutated JSON.
fn body(base: Value) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => vec(any::<u8>(), 0..256),
        4 => mutated(base).prop_map(|v| serde_json::to_vec(&v).expect("json")),
    ]
}

struct Route {
    method: reqwest::Method,
    path: String,
    token: Option<String>,
}

async fn send(app: &TestApp, route: &Route, bytes: Vec<u8>) -> (reqwest::StatusCode, String) {
    let mut request = app
        .client
        .request(route.method.clone(), format!("{}{}", app.base, route.path))
        .header("content-type", "application/json")
        // A new key each time: a reused one is answered from its record without parsing.
        .header("idempotency-key", format!("arbitrary-{}", KEYS.fetch_add(1, Ordering::Relaxed)))
        // A version nobody has: edits are parsed in full, then refused, so state stays put.
        .header("if-match", "\"not-the-current-version\"")
        .body(bytes);
    if let Some(token) = &route.token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("an answer");
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (response.status(), content_type)
}

#[test]
fn no_body_or_query_makes_the_api_fail_on_its_side() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
    let (app, owner, operator) = runtime.block_on(async {
        let app = spawn_app().await;
        let owner = app.owner_token().await;
        let operator = app.operator().await;
        (app, owner, operator)
    });
    let staff = |method: reqwest::Method, path: &str| Route {
        method,
        path: format!("{SITE}{path}"),
        token: Some(owner.clone()),
    };
    let read = |path: &str| runtime.block_on(app.staff_get(&format!("{SITE}{path}"), &owner));
    let booked: jobslot_domain::api::WorkOrderCreated = runtime.block_on(async {
        app.submit("arbitrary-patch-1", &submission("2026-11-24T00:00:00Z")).await.json().await.expect("json")
    });
    let bodies: Vec<(Route, Value)> = vec![
        (
            Route { method: reqwest::Method::POST, path: format!("{SITE}/work-orders"), token: None },
            serde_json::to_value(submission(FIRST_SLOT)).expect("json"),
        ),
        (
            staff(reqwest::Method::PATCH, &format!("/work-orders/{}", booked.number)),
            json!({
                "status": "enroute", "priority": 10, "remarks": "Gate code", "technician": "priya-shah",
                "start": "2026-11-24T02:00:00Z", "contact": { "phone": "0412 345 678" },
                "location": { "line2": "Unit 1" }, "_fields": ["remarks"],
                "staff_notes": [{ "text": "Call first" }, { "id": "n1", "Delete": true }]
            }),
        ),
        (staff(reqwest::Method::PUT, "/work-order-rules"), read("/work-order-rules")),
        (staff(reqwest::Method::PUT, "/settings"), read("/settings")),
        (staff(reqwest::Method::PUT, "/services"), read("/services")),
        (staff(reqwest::Method::PUT, "/order-form"), read("/order-form")),
        (staff(reqwest::Method::PUT, "/technicians/sam-nguyen"), read("/technicians/sam-nguyen")),
        (
            staff(reqwest::Method::PUT, "/members"),
            json!({"email": "desk@acme.example", "role": "dispatcher", "technician": null}),
        ),
        (
            Route { method: reqwest::Method::POST, path: "/api/sites".into(), token: Some(operator.clone()) },
            json!({
                "id": "fuzzed-site", "business_name": "Fuzz", "country": "AU",
                "time_zone": "Australia/Sydney", "currency": "AUD", "terms": "",
                "step_minutes": 30, "min_notice_minutes": 120, "days_ahead": 30,
                "allowed_origins": [], "accent_colour": "", "owner_email": "owner@acme.example"
            }),
        ),
    ];
    for (route, base) in bodies {
        runner()
            .run(&body(base), |bytes| {
                let (status, content_type) = runtime.block_on(send(&app, &route, bytes));
                prop_assert!(status.as_u16() < 500, "{} {} answered {status}", route.method, route.path);
                if status.is_client_error() {
                    prop_assert_eq!(content_type, "application/problem+json");
                }
                Ok(())
            })
            .unwrap_or_else(|failure| panic!("{} {}: {failure}", route.method, route.path));
    }

    let query = (text(), text(), proptest::option::of(text()), proptest::option::of(text()));
    runner()
        .run(&query, |(postcode, service, from, days)| {
            let mut url = reqwest::Url::parse(&format!("{}{SITE}/slots", app.base)).expect("url");
            url.query_pairs_mut().append_pair("postcode", &postcode).append_pair("service", &service);
            if let Some(from) = &from {
                url.query_pairs_mut().append_pair("from", from);
            }
            if let Some(days) = &days {
                url.query_pairs_mut().append_pair("days", days);
            }
            let status = runtime.block_on(app.client.get(url).send()).expect("an answer").status();
            prop_assert!(status.as_u16() < 500, "slots answered {status}");
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("GET slots: {failure}"));
}
