//! The OpenAPI document: served, routed, and saying what the code does. Schemathesis checks
//! the answers against it (`cargo xtask test`); these tests keep the document and the router
//! from drifting apart.

use crate::helpers::spawn_app;
use jobslot_domain::api::MAX_DAYS_PER_QUERY;
use jobslot_domain::form::{ANSWER_MAX, NUMBER_LIMIT};
use jobslot_domain::schedule::{GRID_MINUTES, GridMinutes};
use jobslot_domain::setup::{DAYS_AHEAD_MAX, NOTICE_MAX_MINUTES};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Every operation in the document as (method, path template, operation).
fn operations(document: &Value) -> Vec<(Method, String, Value)> {
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("method");
            operations.push((method, path.clone(), operation.clone()));
        }
    }
    operations
}

async fn document() -> (crate::helpers::TestApp, Value) {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let document: Value = response.json().await.expect("json");
    (app, document)
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_every_route() {
    let (_app, document) = document().await;
    assert_eq!(document["openapi"], "3.1.0");
    let mut documented: Vec<String> =
        operations(&document).iter().map(|(method, path, _)| format!("{method} {path}")).collect();
    documented.sort();
    // The routers' routes (`http::{assets,bookings,work_orders,connector,manage,staff}::routes`); a route added
    // there and not here is a route integrators cannot see.
    let mut routed = vec![
        "GET /api/me",
        "POST /api/sites",
        "GET /api/sites/{site}/config",
        "GET /api/sites/{site}/coverage",
        "GET /api/sites/{site}/slots",
        "POST /api/sites/{site}/work-orders",
        "GET /api/sites/{site}/work-orders",
        "GET /api/sites/{site}/work-orders/{number}",
        "PATCH /api/sites/{site}/work-orders/{number}",
        "POST /api/sites/{site}/work-orders/{number}/follow-up",
        "GET /api/sites/{site}/work-orders/{number}/follow-up/slots",
        "POST /api/sites/{site}/work-orders/unscheduled",
        "GET /api/sites/{site}/work-orders/{number}/booking",
        "POST /api/sites/{site}/work-orders/{number}/booking",
        "GET /api/sites/{site}/bookings/{number}",
        "POST /api/sites/{site}/bookings/{number}/reschedule",
        "POST /api/sites/{site}/bookings/{number}/cancel",
        "POST /api/sites/{site}/bookings/{number}/manage-link",
        "POST /api/sites/{site}/work-orders/{number}/booking-link",
        "GET /api/sites/{site}/board",
        "POST /api/sites/{site}/integrations",
        "GET /api/sites/{site}/work-order-rules",
        "PUT /api/sites/{site}/work-order-rules",
        "GET /api/sites/{site}/settings",
        "PUT /api/sites/{site}/settings",
        "GET /api/sites/{site}/services",
        "PUT /api/sites/{site}/services",
        "GET /api/sites/{site}/order-form",
        "PUT /api/sites/{site}/order-form",
        "GET /api/sites/{site}/technicians",
        "GET /api/sites/{site}/technicians/{id}",
        "PUT /api/sites/{site}/technicians/{id}",
        "GET /api/sites/{site}/members",
        "PUT /api/sites/{site}/members",
        "DELETE /api/sites/{site}/members/{user}",
        "POST /api/sites/{site}/members/{user}/invitation",
        "DELETE /api/sites/{site}/integrations/{client}",
        "POST /api/sites/{site}/integrations/{client}/rotate-secret",
        "PUT /api/me/password",
        "GET /api/sites/{site}/audit",
        "GET /api/sites/{site}/deliveries",
        "POST /api/sites/{site}/deliveries/{event}/{audience}/resend",
        "GET /api/sites/{site}/webhooks",
        "POST /api/sites/{site}/webhooks",
        "PUT /api/sites/{site}/webhooks/{id}",
        "DELETE /api/sites/{site}/webhooks/{id}",
        "POST /api/sites/{site}/webhooks/{id}/rotate-secret",
    ];
    routed.sort_unstable();
    assert_eq!(documented, routed);
    let staff = document["components"]["securitySchemes"]["staff"].clone();
    assert_eq!((staff["type"].as_str(), staff["scheme"].as_str()), (Some("http"), Some("bearer")));
}

#[tokio::test]
async fn every_documented_path_and_method_is_routed() {
    let (app, document) = document().await;
    let operations = operations(&document);
    for (method, template, _) in &operations {
        // A method this path does not document.
        let documented_here = |m: &Method| operations.iter().any(|(o, t, _)| o == m && t == template);
        let probe = [Method::DELETE, Method::PATCH]
            .into_iter()
            .find(|m| !documented_here(m))
            .expect("a method left to probe with");
        let path = template
            .replace("{site}", "acme-car-servicing")
            .replace("{id}", "sam-nguyen")
            .replace("{number}", "WO-00000000");
        let url = format!("{}{path}", app.base);
        // A path the router does not know is a 404; one it knows with other methods, a 405.
        let other = app.client.request(probe.clone(), &url).send().await.expect("request");
        assert_eq!(other.status(), StatusCode::METHOD_NOT_ALLOWED, "{probe} {path}: is {template} routed?");
        let documented = app.client.request(method.clone(), &url).send().await.expect("request");
        assert_ne!(documented.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }
}

#[tokio::test]
async fn every_error_is_documented_as_a_problem_and_staff_routes_take_a_token() {
    let (_app, document) = document().await;
    for (method, path, operation) in operations(&document) {
        let responses = operation["responses"].as_object().expect("responses");
        for required in ["400", "429", "500", "503"] {
            assert!(responses.contains_key(required), "{method} {path} lacks {required}");
        }
        let secured = operation.get("security").is_some();
        assert_eq!(secured, responses.contains_key("401"), "{method} {path}: 401 iff a token is taken");
        let public = operation["tags"][0] == "booking";
        assert_eq!(secured, !public, "{method} {path}: only the customer's path is public");
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let reference = response["$ref"].as_str().unwrap_or_default();
                let name = reference.strip_prefix("#/components/responses/").expect("a shared problem");
                let content = &document["components"]["responses"][name]["content"];
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
        }
    }
}

/// The schema attributes are literals (utoipa takes no constants); these are the constants the
/// domain enforces.
#[tokio::test]
async fn documented_limits_are_the_enforced_ones() {
    let (_app, document) = document().await;
    let parameters =
        document["paths"]["/api/sites/{site}/slots"]["get"]["parameters"].as_array().expect("params");
    let days = parameters.iter().find(|p| p["name"] == "days").expect("days");
    assert_eq!(days["schema"]["maximum"], u64::from(MAX_DAYS_PER_QUERY));

    let schemas = &document["components"]["schemas"];
    let limits = |schema: &str, field: &str| {
        let property = &schemas[schema]["properties"][field];
        (property["minimum"].as_i64(), property["maximum"].as_i64(), property["multipleOf"].as_i64())
    };
    let grid = (Some(i64::from(GRID_MINUTES)), Some(720), Some(i64::from(GRID_MINUTES)));
    assert!(GridMinutes::parse("m", 720).is_ok() && GridMinutes::parse("m", 735).is_err());
    assert_eq!(limits("SettingsInput", "step_minutes"), grid);
    assert_eq!(limits("ServiceInput", "duration_minutes"), grid);
    assert_eq!(limits("SettingsInput", "days_ahead"), (Some(1), Some(i64::from(DAYS_AHEAD_MAX)), None));
    assert_eq!(
        limits("SettingsInput", "min_notice_minutes"),
        (Some(0), Some(i64::from(NOTICE_MAX_MINUTES)), None)
    );

    let kinds = schemas["FieldKind"]["oneOf"].as_array().expect("kinds");
    let kind = |name: &str| kinds.iter().find(|k| k["properties"]["kind"]["enum"][0] == name).expect("kind");
    for text in ["text", "long_text"] {
        assert_eq!(kind(text)["properties"]["max_length"]["maximum"], i64::from(ANSWER_MAX));
    }
    for bound in ["min", "max"] {
        let property = &kind("number")["properties"][bound];
        assert_eq!(
            (property["minimum"].as_i64(), property["maximum"].as_i64()),
            (Some(-NUMBER_LIMIT), Some(NUMBER_LIMIT))
        );
    }
}

/// Client generators name a method after each `operationId` and refuse a document that repeats
/// one; links name their target operation by it.
#[tokio::test]
async fn operation_ids_are_unique_camel_case_names_and_links_point_at_them() {
    let (_app, document) = document().await;
    let mut ids = Vec::new();
    for (method, path, operation) in operations(&document) {
        let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
        let camel = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_alphanumeric())
            && id.chars().any(|c| c.is_ascii_uppercase());
        assert!(camel, "{method} {path}: operationId {id:?} is not a verbNoun in camelCase");
        ids.push(id);
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "operationIds repeat: {ids:?}");
    for (method, path, operation) in operations(&document) {
        for response in operation["responses"].as_object().expect("responses").values() {
            for link in response["links"].as_object().into_iter().flat_map(|links| links.values()) {
                let target = link["operationId"].as_str().expect("a link names an operationId");
                assert!(ids.iter().any(|id| id == target), "{method} {path} links to unknown {target}");
            }
        }
    }
}

/// Every `default` in the document, with the bounds of the schema it sits in.
fn defaults<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a Value, &'a Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(default) = map.get("default") {
                found.push((at.clone(), default, value));
            }
            for (key, child) in map {
                defaults(child, format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                defaults(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// A generator copies a default into the client; one its own schema refuses would make every
/// request that leaves the field out invalid. (`openapi-spec-validator` checks the whole
/// document in `cargo xtask test`; this keeps the bounds honest at `cargo test` speed.)
#[tokio::test]
async fn every_numeric_default_is_inside_its_schemas_bounds() {
    let (_app, document) = document().await;
    let mut found = Vec::new();
    defaults(&document, String::new(), &mut found);
    assert!(found.iter().any(|(at, _, _)| at.ends_with("SettingsInput/properties/step_minutes")));
    for (at, default, schema) in found {
        let Some(number) = default.as_f64() else { continue };
        let bound = |name: &str| schema[name].as_f64();
        assert!(bound("minimum").is_none_or(|min| number >= min), "{at}: {number} is below the minimum");
        assert!(bound("maximum").is_none_or(|max| number <= max), "{at}: {number} is above the maximum");
        assert!(
            bound("multipleOf").is_none_or(|step| number % step == 0.0),
            "{at}: {number} is off its step"
        );
    }
}
