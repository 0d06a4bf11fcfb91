//! The widget's hand-written readers of the API's answers read exactly what serde reads (the
//! API writes with serde): the same documents give equal values, and a document serde would
//! refuse is refused with the key at fault.
#![cfg(target_arch = "wasm32")]

use jobslot_domain::api::{Problem, SiteConfigResponse, SlotsResponse, WorkOrderCreated};
use jobslot_widget::read::{FromJs, Unreadable};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The document as the browser's `JSON.parse` gives it.
fn parsed(document: &Value) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(&document.to_string()).expect("JSON")
}

/// Reads `document` with serde and writes it back as the API would, then checks the widget's
/// reader gives the same value from both.
fn reads_as_serde<T: FromJs + DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(document: Value) {
    let expected: T = serde_json::from_value(document.clone()).expect("serde reads the fixture");
    assert_eq!(T::from_js(parsed(&document)).expect("read"), expected);
    let written = serde_json::to_value(&expected).expect("written");
    assert_eq!(T::from_js(parsed(&written)).expect("read back"), expected);
}

fn config() -> Value {
    json!({
        "site": "acme-car-servicing", "business_name": "Acme", "country": "AU", "postcode_label": "Postcode",
        "time_zone": "Australia/Sydney", "currency": "AUD", "terms": "Be nice.", "days_ahead": 60,
        "accent_colour": "#0a5", "font_family": "Georgia, serif", "corner_radius": 6,
        "allowed_origins": ["https://acme.example"],
        "services": [
            { "id": "basic-service", "name": "Basic", "duration_minutes": 90, "price": { "minor": 28900, "currency": "AUD" } }
        ],
        "order_form": { "fields": [
            { "id": "make", "label": "Make", "kind": "text", "max_length": 40, "required": true, "help": "As on the rego" },
            { "id": "fault", "label": "Fault", "kind": "long_text", "max_length": 2000 },
            { "id": "km", "label": "Odometer", "kind": "number", "min": 0, "max": 9007199254740991_i64 },
            { "id": "fuel", "label": "Fuel", "kind": "select", "options": ["Petrol", "Diesel"] },
            { "id": "due", "label": "Rego due", "kind": "date", "min": "2026-01-01", "max": "2027-12-31" },
            { "id": "since", "label": "Since", "kind": "date" },
            { "id": "keys", "label": "Keys left", "kind": "checkbox", "required": false }
        ] }
    })
}

#[wasm_bindgen_test]
fn a_sites_configuration_reads_as_serde_reads_it() {
    reads_as_serde::<SiteConfigResponse>(config());
    let mut bare = config();
    for key in ["accent_colour", "font_family", "corner_radius", "allowed_origins"] {
        bare.as_object_mut().expect("object").remove(key);
    }
    bare["order_form"]["fields"][0]["help"] = Value::Null;
    reads_as_serde::<SiteConfigResponse>(bare);
}

#[wasm_bindgen_test]
fn slots_a_booking_and_problems_read_as_serde_reads_them() {
    reads_as_serde::<SlotsResponse>(json!({
        "postcode": "2000", "service": "basic-service", "time_zone": "Australia/Sydney", "from": "2026-11-24",
        "days_covered": 7, "technicians": [{ "id": "tech-sam", "name": "Sam" }],
        "days": [{ "date": "2026-11-24", "slots": [
            { "technician": "tech-sam", "start": "2026-11-23T22:00:00Z", "end": "2026-11-23T23:30:00Z" }
        ] }]
    }));
    reads_as_serde::<WorkOrderCreated>(json!({
        "number": "WO-0000000A", "status": "new", "service_name": "Basic", "technician_name": "Sam",
        "start": "2026-11-23T22:00:00Z", "end": "2026-11-23T23:30:00Z", "time_zone": "Australia/Sydney"
    }));
    reads_as_serde::<Problem>(json!({
        "type": "https://jobslot.example/problems/validation", "title": "Invalid", "status": 422,
        "detail": "Check the fields.", "errors": [{ "field": "contact.email", "message": "Enter an e-mail address." }]
    }));
    reads_as_serde::<Problem>(json!({ "type": "about:blank", "title": "Not found", "status": 404 }));
}

#[wasm_bindgen_test]
fn a_document_serde_refuses_is_refused_with_the_key_at_fault() {
    let refused = |change: fn(&mut Value), key: &'static str| {
        let mut document = config();
        change(&mut document);
        assert!(
            serde_json::from_value::<SiteConfigResponse>(document.clone()).is_err(),
            "serde refuses it: {key}"
        );
        assert_eq!(SiteConfigResponse::from_js(parsed(&document)).map(|_| ()), Err(Unreadable(key)));
    };
    refused(|d| _ = d.as_object_mut().expect("object").remove("days_ahead"), "days_ahead");
    refused(|d| d["corner_radius"] = json!(6.5), "corner_radius");
    refused(|d| d["days_ahead"] = json!(70_000), "days_ahead");
    refused(|d| d["country"] = json!("NZ"), "country");
    refused(|d| d["services"][0]["price"]["currency"] = json!("EUR"), "currency");
    refused(|d| d["order_form"]["fields"][0]["kind"] = json!("colour"), "kind");
    refused(|d| d["order_form"]["fields"][4]["min"] = json!("1 Jan 2026"), "min");
    refused(|d| _ = d["order_form"]["fields"][2].as_object_mut().expect("object").remove("max"), "max");
    refused(|d| d["services"] = json!({}), "services");
    refused(|d| d["site"] = json!("Not An Id!"), "site");
    assert_eq!(SlotsResponse::from_js(parsed(&json!([]))).map(|_| ()), Err(Unreadable("slots")));
}
