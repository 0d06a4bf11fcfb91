//! Site configuration, coverage and slots.

use crate::helpers::{SITE, fields, problem, spawn_app};
use crate::support::FIRST_SLOT;
use jobslot_domain::api::{CoverageResponse, SiteConfigResponse, SlotsResponse};
use reqwest::StatusCode;

#[tokio::test]
async fn the_site_config_carries_services_form_and_terms() {
    let app = spawn_app().await;
    let response = app.get(&format!("{SITE}/config")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let config: SiteConfigResponse = response.json().await.expect("json");
    assert_eq!(config.business_name, "Acme Car Servicing");
    assert_eq!(config.time_zone, "Australia/Sydney");
    assert_eq!(config.services.len(), 3);
    assert!(config.order_form.fields.iter().any(|f| f.id.as_str() == "car_make" && f.required));
    assert!(!config.terms.is_empty());
}

#[tokio::test]
async fn coverage_lists_who_serves_a_postcode() {
    let app = spawn_app().await;
    let response = app.get(&format!("{SITE}/coverage?postcode=%202000%20")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let coverage: CoverageResponse = response.json().await.expect("json");
    let names: Vec<_> = coverage.technicians.iter().map(|t| t.name.as_str()).collect();
    assert_eq!((coverage.postcode.as_str(), names), ("2000", vec!["Priya Shah", "Sam Nguyen"]));
}

#[tokio::test]
async fn slots_are_grouped_by_local_day_and_start_after_the_notice() {
    let app = spawn_app().await;
    let response = app.get(&format!("{SITE}/slots?postcode=2000&service=logbook-service&days=3")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let slots: SlotsResponse = response.json().await.expect("json");
    let dates: Vec<String> = slots.days.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(dates, ["2026-11-24", "2026-11-25", "2026-11-26"]);
    let first = &slots.days[0].slots[0];
    assert_eq!(first.start.to_string(), FIRST_SLOT);
    assert_eq!(first.end.to_string(), "2026-11-24T00:00:00Z", "a logbook service takes two hours");
    // Working hours are 08:00–12:00 and 13:00–17:00: nothing runs through lunch.
    let lunch_start: jiff::Timestamp = "2026-11-24T01:00:00Z".parse().expect("t");
    let lunch_end: jiff::Timestamp = "2026-11-24T02:00:00Z".parse().expect("t");
    assert!(slots.days[0].slots.iter().all(|s| s.end <= lunch_start || s.start >= lunch_end));
}

#[tokio::test]
async fn a_malformed_postcode_is_named() {
    let app = spawn_app().await;
    let response = app.get(&format!("{SITE}/slots?postcode=20OO&service=basic-service")).await;
    let problem = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&problem), ["postcode"]);
}

#[tokio::test]
async fn a_postcode_nobody_serves_is_reported_on_the_postcode_field() {
    let app = spawn_app().await;
    for path in [
        format!("{SITE}/slots?postcode=9999&service=basic-service"),
        format!("{SITE}/coverage?postcode=9999"),
    ] {
        let problem =
            problem(app.get(&path).await, StatusCode::UNPROCESSABLE_ENTITY, "postcode-not-served").await;
        assert_eq!(fields(&problem), ["postcode"]);
    }
}

#[tokio::test]
async fn bad_slot_queries_name_every_bad_parameter() {
    let app = spawn_app().await;
    let response =
        app.get(&format!("{SITE}/slots?postcode=2000&service=oil-change&from=tomorrow&days=30")).await;
    let problem = problem(response, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&problem), ["service", "from", "days"]);
    let response = app.get(&format!("{SITE}/slots?postcode=2000&service=basic-service&days=many")).await;
    problem_is_malformed(response).await;
}

async fn problem_is_malformed(response: reqwest::Response) {
    problem(response, StatusCode::BAD_REQUEST, "malformed-body").await;
}
