//! The console's form helpers and technician editor, in headless Chromium.

use jobslot_console::TechnicianEditor;
use jobslot_console::api::Api;
use jobslot_console::form::Errors;
use jobslot_console::hours::{DaysOff, Week, WeekEditor};
use jobslot_console::session::Config;
use jobslot_domain::FieldError;
use jobslot_domain::ids::SiteId;
use jobslot_domain::setup::{HoursInput, TimeOffInput};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens there: every call the editor makes fails fast.
const NO_SERVER: &str = "http://127.0.0.1:9";

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn fresh_host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&host).expect("append");
    host
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}"))
}

fn input(root: &Element, selector: &str) -> HtmlInputElement {
    find(root, selector).unchecked_into()
}

fn type_into(root: &Element, selector: &str, value: &str) {
    let control = input(root, selector);
    control.set_value(value);
    control.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

fn button_named(root: &Element, text: &str) -> HtmlElement {
    let buttons = root.query_selector_all("button").expect("q");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|b| b.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no button {text:?}"))
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

fn hours(monday: &[&str]) -> HoursInput {
    HoursInput { monday: monday.iter().map(|s| (*s).to_owned()).collect(), ..HoursInput::default() }
}

#[wasm_bindgen_test]
fn hours_read_back_as_stored_rows_left_blank_are_not_sent_and_monday_copies_to_weekdays() {
    let week = Week::new();
    week.fill(&hours(&["08:00-12:00", "13:00-17:00"]));
    week.add(0);
    week.add(5);
    assert_eq!(week.input(), hours(&["08:00-12:00", "13:00-17:00"]), "blank rows are not sent");
    week.copy_monday_to_weekdays();
    let sent = week.input();
    assert_eq!(sent.friday, ["08:00-12:00", "13:00-17:00"]);
    assert_eq!(sent.tuesday, sent.monday);
    assert!(sent.saturday.is_empty() && sent.sunday.is_empty(), "the weekend is left alone");
    let first = week.day(1)[0];
    first.to.set("11:00".into());
    assert_eq!(week.input().tuesday[0], "08:00-11:00");
    assert_eq!(week.input().monday[0], "08:00-12:00", "a copy is its own");
}

#[wasm_bindgen_test]
fn time_off_switches_between_whole_days_and_part_of_a_day_keeping_its_dates() {
    let days_off = DaysOff::new();
    days_off.fill(&[
        TimeOffInput { from: "2026-12-24".into(), to: "2026-12-27".into() },
        TimeOffInput { from: "2027-01-05T12:00".into(), to: "2027-01-05T15:30".into() },
    ]);
    let rows = days_off.rows();
    assert!(rows[0].whole_days.get_untracked() && !rows[1].whole_days.get_untracked());
    rows[0].set_whole_days(false);
    rows[1].set_whole_days(true);
    assert_eq!(
        days_off.input(),
        [
            TimeOffInput { from: "2026-12-24T09:00".into(), to: "2026-12-27T17:00".into() },
            TimeOffInput { from: "2027-01-05".into(), to: String::new() },
        ]
    );
    days_off.add();
    assert_eq!(days_off.input().len(), 2, "a row without a day is not sent");
}

#[wasm_bindgen_test]
async fn a_servers_message_shows_beside_the_row_it_names_even_past_a_blank_row() {
    let host = fresh_host();
    let (week, errors) = (Week::new(), Errors::new());
    week.fill(&hours(&["08:00-12:00"]));
    week.add(0);
    week.add(0);
    let _mounted =
        leptos::mount::mount_to(host.clone(), move || view! { <WeekEditor week=week errors=errors /> });
    settle().await;
    // Filled in after it was drawn blank, as a person does.
    type_into(&host, "input[aria-label='Monday from (3)']", "13:00");
    type_into(&host, "input[aria-label='Monday to (3)']", "12:00");
    // The blank second row is not sent, so the server calls the third row `monday[1]`.
    assert_eq!(week.input().monday, ["08:00-12:00", "13:00-12:00"]);
    errors.set(vec![FieldError::new("hours.monday[1]", "Working hours must end after they start.")]);
    settle().await;
    let third_from = input(&host, "input[aria-label='Monday from (3)']");
    assert_eq!(third_from.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = third_from.get_attribute("aria-describedby").expect("described");
    assert_eq!(
        find(&host, &format!("#{described}")).text_content().as_deref(),
        Some("Working hours must end after they start.")
    );
    assert_eq!(input(&host, "input[aria-label='Monday from']").get_attribute("aria-invalid"), None);
    assert_eq!(input(&host, "input[aria-label='Monday from (2)']").get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn the_technician_editor_takes_hours_from_time_pickers_and_days_off_from_date_pickers() {
    let host = fresh_host();
    let config: Config = serde_json::from_value(serde_json::json!({
        "authorization_endpoint": format!("{NO_SERVER}/authorize"),
        "token_endpoint": format!("{NO_SERVER}/token"),
        "client_id": "console",
        "api": NO_SERVER,
    }))
    .expect("config");
    let site = SiteId::parse("site", "acme").expect("site");
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        view! { <TechnicianEditor api=Api::new(config) site=site id=None /> }
    });
    settle().await;
    assert!(host.query_selector("input[type=time]").expect("q").is_none(), "no hours until added");
    click(&host, "button[aria-label='Add hours on Monday']");
    settle().await;
    assert_eq!(input(&host, "input[aria-label='Monday from']").type_(), "time");
    type_into(&host, "input[aria-label='Monday from']", "08:00");
    type_into(&host, "input[aria-label='Monday to']", "16:30");
    button_named(&host, "Copy Monday to Tuesday–Friday").click();
    settle().await;
    assert_eq!(input(&host, "input[aria-label='Friday from']").value(), "08:00");
    assert_eq!(input(&host, "input[aria-label='Friday to']").value(), "16:30");
    assert!(host.query_selector("input[aria-label='Saturday from']").expect("q").is_none());

    button_named(&host, "Add time off").click();
    settle().await;
    let first_day = input(&host, ".time-off-row input[id$='-from']");
    assert_eq!(first_day.type_(), "date");
    type_into(&host, ".time-off-row input[id$='-from']", "2026-12-24");
    click(&host, ".time-off-row input[type=checkbox]");
    settle().await;
    let from = input(&host, ".time-off-row input[id$='-from']");
    assert_eq!((from.type_().as_str(), from.value().as_str()), ("datetime-local", "2026-12-24T09:00"));
    assert_eq!(input(&host, ".time-off-row input[id$='-to']").value(), "2026-12-24T17:00");
}
