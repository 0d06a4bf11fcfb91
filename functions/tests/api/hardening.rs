//! Bugs found by trying the API as an attacker and as a hurried customer would.

use crate::helpers::{SITE, fields, problem, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use jobslot_domain::api::WorkOrderCreated;
use reqwest::StatusCode;
use std::sync::Arc;

#[tokio::test]
async fn twenty_concurrent_retries_with_one_key_all_get_the_one_booking() {
    let app = Arc::new(spawn_app().await);
    let barrier = Arc::new(tokio::sync::Barrier::new(20));
    let retries: Vec<_> = (0..20)
        .map(|_| {
            let (app, barrier) = (Arc::clone(&app), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                let response = app.submit("impatient-retry-1", &submission(FIRST_SLOT)).await;
                (response.status(), response.text().await.expect("body"))
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for retry in futures::future::join_all(retries).await {
        let (status, body) = retry.expect("task");
        assert_eq!(status, StatusCode::CREATED, "{body}");
        numbers.push(serde_json::from_str::<WorkOrderCreated>(&body).expect("json").number);
    }
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every retry names the same work order");
    assert_eq!(app.bookings_stored().await, 1);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_naming_the_allowed_ones() {
    let app = spawn_app().await;
    let response = app.client.delete(format!("{}{SITE}/config", app.base)).send().await.expect("delete");
    let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(allow.contains("GET"), "Allow: {allow:?}");
    problem(response, StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed").await;
}

#[tokio::test]
async fn a_path_that_is_not_utf8_is_a_400_problem() {
    let app = spawn_app().await;
    let response = app.get("/api/sites/%FF%FE/config").await;
    let problem = problem(response, StatusCode::BAD_REQUEST, "malformed-body").await;
    assert!(!problem.detail.unwrap_or_default().contains('\u{FFFD}'));
}

#[tokio::test]
async fn line_breaks_and_invisible_characters_are_refused_per_field() {
    let app = spawn_app().await;
    let mut request = submission(FIRST_SLOT);
    request.job.contact.name = "Mary\nSmith".into();
    request.job.address.line1 = "1 George St\u{202E}".into();
    request.job.address.city = "Syd\u{200B}ney".into();
    request.job.answers.insert("car_model".into(), serde_json::json!("Corolla\r\nHybrid"));
    request.job.notes = "Gate code 1234\r\nDog in the yard".into();
    let problem =
        problem(app.submit("hidden-chars-1", &request).await, StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
    assert_eq!(fields(&problem), ["address.line1", "address.city", "contact.name", "answers.car_model"]);
    let messages: Vec<String> = problem.errors.iter().map(|e| e.message.to_string()).collect();
    assert!(messages[0].contains("invisible") && messages[1].contains("invisible"), "{messages:?}");
    assert_eq!(messages[2], "Keep this to a single line.");
    assert_eq!(app.bookings_stored().await, 0);
}

#[tokio::test]
async fn an_unknown_answer_key_is_not_echoed_back_at_length() {
    let app = spawn_app().await;
    let mut request = submission(FIRST_SLOT);
    let key = "k".repeat(20_000);
    request.job.answers.insert(key.clone(), serde_json::json!(1));
    let response = app.submit("long-key-1", &request).await;
    let body = response.text().await.expect("body");
    assert!(body.len() < 1_000, "a {} byte answer to a 20 kB key", body.len());
    assert!(!body.contains(&key[..100]));
    assert!(body.contains("\"answers\""), "{body}");
}

#[tokio::test]
async fn work_order_responses_are_never_cached() {
    let app = spawn_app().await;
    let no_store = |r: &reqwest::Response| {
        r.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_owned)
    };
    let created = app.submit("no-store-1", &submission(FIRST_SLOT)).await;
    assert_eq!(no_store(&created).as_deref(), Some("no-store"));
    let created: WorkOrderCreated = created.json().await.expect("json");
    let url = format!("{}{SITE}/work-orders/{}", app.base, created.number);
    let read = app.client.get(&url).bearer_auth(app.owner_token().await).send().await.expect("get");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(no_store(&read).as_deref(), Some("no-store"));
    let refused = app.submit("no-store-2", &submission(FIRST_SLOT)).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(no_store(&refused).as_deref(), Some("no-store"));
}

#[tokio::test]
async fn the_authorization_scheme_is_matched_without_case() {
    let app = spawn_app().await;
    let created: WorkOrderCreated =
        app.submit("scheme-case-1", &submission(FIRST_SLOT)).await.json().await.expect("json");
    let url = format!("{}{SITE}/work-orders/{}", app.base, created.number);
    let token = app.owner_token().await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = app.client.get(&url).header("authorization", format!("{scheme} {token}")).send().await;
        assert_eq!(response.expect("get").status(), StatusCode::OK, "{scheme}");
    }
}
