//! The request the review step sends, written by the browser's `JSON.stringify`, is exactly the
//! `SubmitWorkOrder` the API reads with serde: every field where serde looks for it, text the
//! browser escaped read back as typed.
#![cfg(target_arch = "wasm32")]

use jobslot_domain::api::{AddressInput, ContactInput, JobInput, SiteConfigResponse, SubmitWorkOrder};
use jobslot_widget::answers::Answered;
use jobslot_widget::api::Api;
use jobslot_widget::flow::Flow;
use jobslot_widget::steps::submission;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn flow() -> Flow {
    let config: SiteConfigResponse = serde_json::from_value(serde_json::json!({
        "site": "acme", "business_name": "Acme", "country": "AU", "postcode_label": "Postcode",
        "time_zone": "Australia/Sydney", "currency": "AUD", "terms": "Be nice.", "days_ahead": 30,
        "services": [{ "id": "basic", "name": "Basic", "duration_minutes": 60, "price": { "minor": 14900, "currency": "AUD" } }],
        "order_form": { "fields": [
            { "id": "car_make", "label": "Car make", "kind": "text", "max_length": 40 },
            { "id": "car_year", "label": "Year", "kind": "number", "min": 1950, "max": 2027 },
            { "id": "loan_car", "label": "Loan car", "kind": "checkbox" }
        ]}
    }))
    .expect("config");
    Flow::new(config, Api::new("http://127.0.0.1:9".into(), "acme".into()))
}

/// What `write` gives while the page's address has the query `search`.
fn on_a_page_at<T>(search: &str, write: impl FnOnce() -> T) -> T {
    let history = web_sys::window().expect("window").history().expect("history");
    let before = web_sys::window().expect("window").location().href().expect("href");
    history.replace_state_with_url(&JsValue::NULL, "", Some(search)).expect("replaceState");
    let written = write();
    history.replace_state_with_url(&JsValue::NULL, "", Some(&before)).expect("replaceState back");
    written
}

/// A flow whose customer chose Sam at 9 am Sydney time.
fn flow_with_a_slot() -> Flow {
    let flow = flow();
    flow.chosen.set(Some(
        serde_json::from_value(serde_json::json!({
            "technician": "tech-sam", "start": "2026-11-23T22:00:00Z", "end": "2026-11-23T23:00:00Z"
        }))
        .expect("slot"),
    ));
    flow
}

#[wasm_bindgen_test]
fn nothing_is_written_before_a_slot_is_chosen() {
    assert_eq!(submission(&flow()), None);
}

#[wasm_bindgen_test]
fn the_submission_is_read_by_serde_as_the_customer_typed_it() {
    let flow = flow_with_a_slot();
    flow.postcode.set("2000".into());
    let c = flow.contact;
    c.name.set("Zoë \"Zed\" O'Brien".into());
    c.email.set("zoe@example.com".into());
    c.phone.set("+61 400 000 000".into());
    c.line1.set("1 George St\\Rear".into());
    c.line2.set("Unit 4".into());
    c.city.set("Sydney".into());
    c.notes.set("Gate code 42\nDog: friendly </script>".into());
    flow.answers.update(|answers| {
        answers.set("car_make", Answered::Text("Toyota".into()));
        answers.set("car_year", Answered::Text("2019".into()));
        answers.set("loan_car", Answered::Ticked(true));
        answers.set("car_make", Answered::Text("Mazda".into()));
    });
    flow.terms.set(true);

    let text = on_a_page_at("?utm_source=newsletter&utm_campaign=spring%20sale&other=x", || {
        submission(&flow).expect("a slot is chosen")
    });
    let read: SubmitWorkOrder = serde_json::from_str(&text).expect("serde reads what the widget wrote");
    let answers = BTreeMap::from([
        ("car_make".to_owned(), serde_json::json!("Mazda")),
        ("car_year".to_owned(), serde_json::json!("2019")),
        ("loan_car".to_owned(), serde_json::json!(true)),
    ]);
    let expected = SubmitWorkOrder {
        job: JobInput {
            service: "basic".into(),
            postcode: "2000".into(),
            address: AddressInput {
                line1: "1 George St\\Rear".into(),
                line2: "Unit 4".into(),
                city: "Sydney".into(),
            },
            answers,
            contact: ContactInput {
                name: "Zoë \"Zed\" O'Brien".into(),
                email: "zoe@example.com".into(),
                phone: "+61 400 000 000".into(),
            },
            notes: "Gate code 42\nDog: friendly </script>".into(),
            tracking: BTreeMap::from([
                ("utm_campaign".to_owned(), "spring sale".to_owned()),
                ("utm_source".to_owned(), "newsletter".to_owned()),
            ]),
        },
        technician: "tech-sam".into(),
        start: "2026-11-23T22:00:00Z".into(),
        terms_accepted: true,
    };
    assert_eq!(read, expected);
}

#[wasm_bindgen_test]
fn an_emptied_answer_is_left_out() {
    let flow = flow_with_a_slot();
    flow.answers.update(|answers| {
        answers.set("car_make", Answered::Text("Toyota".into()));
        answers.set("car_make", Answered::Text(String::new()));
    });
    let read: SubmitWorkOrder =
        serde_json::from_str(&submission(&flow).expect("written")).expect("serde reads it");
    assert!(read.job.answers.is_empty(), "{:?}", read.job.answers);
    assert!(!read.terms_accepted);
}

#[wasm_bindgen_test]
fn the_same_answers_given_in_another_order_are_the_same_request() {
    let (first, second) = (flow_with_a_slot(), flow_with_a_slot());
    first.answers.update(|answers| {
        answers.set("car_make", Answered::Text("Toyota".into()));
        answers.set("loan_car", Answered::Ticked(true));
    });
    second.answers.update(|answers| {
        answers.set("loan_car", Answered::Ticked(true));
        answers.set("car_make", Answered::Text("Mazda".into()));
        answers.set("car_make", Answered::Text("Toyota".into()));
    });
    // Equal text is what tells a retry from a changed booking (`submit::book`).
    assert_eq!(submission(&first), submission(&second));
}

#[wasm_bindgen_test]
fn the_widget_judges_its_answers_as_the_api_judges_what_it_sent() {
    let cases: [&[(&str, Answered)]; 4] = [
        &[("car_make", Answered::Text("Toyota".into())), ("car_year", Answered::Text("2019".into()))],
        &[("car_year", Answered::Text("1900".into())), ("loan_car", Answered::Ticked(false))],
        &[("car_year", Answered::Text("20.5".into())), ("car_make", Answered::Text("a\nb".into()))],
        &[("car_make", Answered::Text("x".repeat(41))), ("loan_car", Answered::Ticked(true))],
    ];
    for given in cases {
        let flow = flow_with_a_slot();
        flow.answers.update(|answers| given.iter().for_each(|(id, answer)| answers.set(id, answer.clone())));
        let form = &flow.config.order_form;
        let read: SubmitWorkOrder =
            serde_json::from_str(&submission(&flow).expect("written")).expect("serde reads it");
        let widget = flow.answers.with_untracked(|answers| answers.parse(form));
        assert_eq!(widget, form.parse_answers(&read.job.answers), "{given:?}");
    }
}
