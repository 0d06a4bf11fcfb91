//! The widget in headless Chromium: shadow-root mounting and the steps that need no server.
#![cfg(target_arch = "wasm32")]

use jobslot_domain::api::SiteConfigResponse;
use jobslot_widget::answers::Answered;
use jobslot_widget::api::Api;
use jobslot_widget::flow::{BookingFlow, Flow, Focus, Step};
use jobslot_widget::i18n::Lang;
use jobslot_widget::steps::{DetailsStep, ReviewStep};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens there: any request the widget makes fails fast.
const NO_SERVER: &str = "http://127.0.0.1:9";

fn config() -> SiteConfigResponse {
    serde_json::from_value(serde_json::json!({
        "site": "acme", "business_name": "Acme Car Servicing", "country": "AU", "postcode_label": "Postcode",
        "time_zone": "Australia/Sydney", "currency": "AUD", "terms": "Be nice.", "days_ahead": 30,
        "services": [
            { "id": "basic", "name": "Basic service", "duration_minutes": 60, "price": { "minor": 14900, "currency": "AUD" } },
            { "id": "logbook", "name": "Logbook service", "duration_minutes": 120, "price": { "minor": 28900, "currency": "AUD" } }
        ],
        "order_form": { "fields": [
            { "id": "car_make", "label": "Car make", "kind": "text", "max_length": 40, "required": true },
            { "id": "car_year", "label": "Year", "kind": "number", "min": 1950, "max": 2027, "required": true },
            { "id": "fuel", "label": "Fuel", "kind": "select", "options": ["Petrol", "Diesel"] },
            { "id": "loan_car", "label": "Loan car", "kind": "checkbox" }
        ]}
    }))
    .expect("config")
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

fn fresh_host() -> HtmlElement {
    let host: HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&host).expect("append");
    host
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}"))
}

fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(value);
    input.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

/// `step` mounted in `host` with `flow` as its context, until the returned handle is dropped.
fn mount_step(host: &HtmlElement, flow: &Flow, step: fn() -> AnyView) -> impl Sized {
    let flow = flow.clone();
    leptos::mount::mount_to(host.clone(), move || {
        provide_context(flow.clone());
        step()
    })
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A `<jobslot-booking>` element on the page, as the loader or a site's own markup places it.
fn booking_element(attributes: &[(&str, &str)]) -> HtmlElement {
    jobslot_widget::define_element(NO_SERVER.into());
    let element: HtmlElement =
        document().create_element("jobslot-booking").expect("element").unchecked_into();
    for (name, value) in attributes {
        element.set_attribute(name, value).expect("attribute");
    }
    document().body().expect("body").append_child(&element).expect("append");
    element
}

#[wasm_bindgen_test]
async fn the_widget_mounts_in_its_own_shadow_root_and_reports_an_unreachable_api() {
    let host = booking_element(&[("site", "acme")]);
    let shadow = host.shadow_root().expect("an open shadow root");
    let adopted = js_sys::Reflect::get(&shadow, &"adoptedStyleSheets".into()).expect("property");
    assert_eq!(
        js_sys::Array::from(&adopted).length(),
        1,
        "styles are adopted by the shadow root, not inlined"
    );
    assert!(shadow.query_selector("style").expect("q").is_none());
    assert!(
        document().query_selector(".jobslot .widget").expect("q").is_none(),
        "nothing leaks into the page"
    );
    let mut alert = None;
    for _ in 0..50 {
        settle().await;
        alert = shadow.query_selector("[role=alert]").expect("q");
        if alert.is_some() {
            break;
        }
        sleep(100).await;
    }
    let text = alert.and_then(|a| a.text_content()).unwrap_or_default();
    assert!(text.contains("couldn't reach the booking service"), "{text}");
}

#[wasm_bindgen_test]
async fn a_removed_widget_is_torn_down_and_a_moved_one_keeps_running() {
    let host = booking_element(&[("site", "acme")]);
    let shadow = host.shadow_root().expect("shadow root");
    settle().await;
    let other: HtmlElement = document().create_element("section").expect("section").unchecked_into();
    document().body().expect("body").append_child(&other).expect("append");
    other.append_child(&host).expect("moved");
    settle().await;
    assert!(shadow.query_selector(".widget").expect("q").is_some(), "a move keeps the flow");
    host.remove();
    settle().await;
    assert_eq!(shadow.child_element_count(), 0, "a removed widget leaves nothing behind");
    other.append_child(&host).expect("back");
    settle().await;
    assert!(shadow.query_selector(".widget").expect("q").is_some(), "put back, it starts afresh");
}

#[wasm_bindgen_test]
async fn the_button_mode_opens_the_flow_in_a_modal_dialog_on_demand() {
    let host = booking_element(&[("site", "acme"), ("mode", "button"), ("label", "Book a service")]);
    let shadow = host.shadow_root().expect("shadow root");
    let open = shadow.query_selector("button.open").expect("q").expect("the button");
    assert_eq!(open.text_content().as_deref(), Some("Book a service"));
    assert!(shadow.query_selector(".widget").expect("q").is_none(), "nothing loads before it is asked for");
    open.unchecked_into::<HtmlElement>().click();
    settle().await;
    let dialog = shadow.query_selector("dialog").expect("q").expect("dialog");
    assert!(dialog.has_attribute("open"), "the dialog is open");
    assert!(shadow.query_selector("dialog .widget").expect("q").is_some(), "the flow is in it");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_malformed_postcode_is_shown_beside_the_field_without_a_request() {
    let host = fresh_host();
    let api = Api::new(NO_SERVER.into(), "acme".into());
    let _mounted =
        leptos::mount::mount_to(host.clone(), move || view! { <BookingFlow config=config() api=api /> });
    settle().await;
    type_into(&host, "#jobslot-postcode", "20o0");
    click(&host, "button[type=submit]");
    settle().await;
    let error = find(&host, "#jobslot-postcode-error").text_content().unwrap_or_default();
    assert_eq!(error, "Enter a valid postcode (for example 2000).");
    assert_eq!(find(&host, "#jobslot-postcode").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        find(&host, "button[type=submit]").text_content().as_deref(),
        Some("Find times"),
        "no search started"
    );
}

#[wasm_bindgen_test]
async fn the_service_can_be_chosen_by_the_element_and_an_unknown_one_is_ignored() {
    for (asked, shown) in [("logbook", "logbook"), ("no-such-service", "basic")] {
        let host = fresh_host();
        let element = document().create_element("jobslot-booking").expect("element");
        element.set_attribute("service", asked).expect("attribute");
        let widget_host = jobslot_widget::embed::Host::new(element.unchecked_into());
        let api = Api::new(NO_SERVER.into(), "acme".into());
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <BookingFlow config=config() api=api host=widget_host /> }
        });
        settle().await;
        let select: web_sys::HtmlSelectElement = find(&host, "#jobslot-service").unchecked_into();
        assert_eq!(select.value(), shown, "asked for {asked}");
    }
}

#[wasm_bindgen_test]
async fn the_order_form_is_drawn_from_the_config_and_checked_field_by_field() {
    let host = fresh_host();
    let flow = Flow::new(config(), Api::new(NO_SERVER.into(), "acme".into()));
    flow.choose(&a_slot());
    let _mounted = mount_step(&host, &flow, || view! { <DetailsStep /> }.into_any());
    settle().await;
    let labels: Vec<String> = (0..4)
        .filter_map(|i| host.query_selector_all("label").expect("q").item(i))
        .filter_map(|l| l.text_content())
        .collect();
    assert_eq!(labels, ["Car make *", "Year *", "Fuel", "Loan car"]);
    assert_eq!(
        host.query_selector_all("#jobslot-answers-fuel option").expect("q").length(),
        3,
        "a blank choice and two options"
    );

    click(&host, "button[type=submit]");
    settle().await;
    assert_eq!(
        find(&host, "#jobslot-answers-car-make-error").text_content().as_deref(),
        Some("This field is required.")
    );
    assert_eq!(
        find(&host, "#jobslot-answers-car-year-error").text_content().as_deref(),
        Some("This field is required.")
    );
    assert_eq!(flow.step_untracked(), Step::Details);

    type_into(&host, "#jobslot-answers-car-make", "Toyota");
    type_into(&host, "#jobslot-answers-car-year", "1900");
    click(&host, "button[type=submit]");
    settle().await;
    assert_eq!(
        find(&host, "#jobslot-answers-car-year-error").text_content().as_deref(),
        Some("Enter a number from 1950 to 2027.")
    );

    type_into(&host, "#jobslot-answers-car-year", "2019");
    click(&host, "button[type=submit]");
    settle().await;
    assert_eq!(flow.step_untracked(), Step::Contact, "valid answers move on");
}

#[wasm_bindgen_test]
fn a_booking_link_page_names_its_site_order_token_and_return_address() {
    use jobslot_widget::hosted::{Link, LinkKind};
    let search = "?token=abc_-123&callback_uri=https%3A%2F%2Fshop.example%2Fdone%3Fjob%3D7";
    let (site, link) = Link::from_location("/book/acme/work-orders/WO-0000000A", search).expect("a link");
    assert_eq!(site, "acme");
    assert_eq!(link.number, "WO-0000000A");
    assert_eq!(link.token, "abc_-123");
    assert_eq!(link.callback_uri, "https://shop.example/done?job=7");
    assert!(Link::from_location("/book/acme/work-orders/WO-0000000A/extra", search).is_none());
    assert!(Link::from_location("/book/acme", search).is_none());
    let (_, bare) = Link::from_location("/book/acme/work-orders/WO-1/", "").expect("no query");
    assert_eq!((bare.token.as_str(), bare.callback_uri.as_str()), ("", ""));
    let (site, manage) =
        Link::from_location("/manage/acme/WO-0000000A", "?token=123.abc").expect("a manage link");
    assert_eq!((site.as_str(), manage.kind, manage.token.as_str()), ("acme", LinkKind::Manage, "123.abc"));
    assert_eq!(link.kind, LinkKind::Book);
    assert!(Link::from_location("/manage/acme", "").is_none());
}

#[wasm_bindgen_test]
fn errors_take_the_customer_to_the_step_of_their_first_field_and_the_rest_become_a_notice() {
    use jobslot_domain::FieldError;
    let flow = Flow::new(config(), Api::new(NO_SERVER.into(), "acme".into()));
    flow.choose(&a_slot());
    flow.answered();
    flow.contact_given();
    assert_eq!(flow.step_untracked(), Step::Review);
    flow.show_errors(vec![
        FieldError::new("contact.email", "Enter an e-mail address like name@example.com."),
        FieldError::new("idempotency-key", "Send an Idempotency-Key header."),
    ]);
    assert_eq!(flow.step_untracked(), Step::Contact);
    assert_eq!(
        flow.error_for("contact.email").as_deref(),
        Some("Enter an e-mail address like name@example.com.")
    );
    assert_eq!(flow.notice.get_untracked().as_deref(), Some("Send an Idempotency-Key header."));
    flow.contact_given();
    assert_eq!(
        (flow.error_for("contact.email"), flow.notice.get_untracked()),
        (None, None),
        "a new step starts clean"
    );
    for (field, step) in [
        ("postcode", Step::Search),
        ("start", Step::Slots),
        ("answers.car_make", Step::Details),
        ("terms_accepted", Step::Review),
    ] {
        assert_eq!(Step::owning(field), Some(step), "{field}");
    }
}

fn a_slot() -> jobslot_domain::api::SlotOffer {
    slots_at_one_time().days[0].slots[0].clone()
}

#[wasm_bindgen_test]
fn next_and_back_follow_the_sites_own_steps() {
    let flow = Flow::new(config(), Api::new(NO_SERVER.into(), "acme".into()));
    assert_eq!(flow.progress().as_deref(), Some("Step 1 of 5"));
    flow.choose(&a_slot());
    assert_eq!((flow.step_untracked(), flow.progress().as_deref()), (Step::Details, Some("Step 3 of 5")));
    flow.answered();
    flow.back();
    flow.back();
    assert_eq!(flow.step_untracked(), Step::Slots, "back from the form is the times");
    flow.back();
    assert_eq!(flow.step_untracked(), Step::Search);

    let mut formless = config();
    formless.order_form.fields.clear();
    let flow = Flow::new(formless, Api::new(NO_SERVER.into(), "acme".into()));
    flow.choose(&a_slot());
    assert_eq!((flow.step_untracked(), flow.progress().as_deref()), (Step::Contact, Some("Step 3 of 4")));
    flow.contact_given();
    assert_eq!((flow.step_untracked(), flow.progress().as_deref()), (Step::Review, Some("Step 4 of 4")));
    flow.back();
    flow.back();
    assert_eq!(flow.step_untracked(), Step::Slots, "no empty form step on the way back");
    flow.finish();
    assert_eq!((flow.step_untracked(), flow.progress()), (Step::Done, None));
}

fn slots_at_one_time() -> jobslot_domain::api::SlotsResponse {
    serde_json::from_value(serde_json::json!({
        "postcode": "2000", "service": "basic", "time_zone": "Australia/Sydney", "from": "2026-11-24", "days_covered": 7,
        "technicians": [{ "id": "tech-sam", "name": "Sam Nguyen" }, { "id": "tech-ava", "name": "Ava Li" }],
        "days": [
            { "date": "2026-11-24", "slots": [
                { "technician": "tech-ava", "start": "2026-11-23T22:00:00Z", "end": "2026-11-23T23:00:00Z" },
                { "technician": "tech-sam", "start": "2026-11-23T22:00:00Z", "end": "2026-11-23T23:00:00Z" },
                { "technician": "tech-sam", "start": "2026-11-23T23:00:00Z", "end": "2026-11-24T00:00:00Z" }
            ]},
            { "date": "2026-11-25", "slots": [
                { "technician": "tech-ava", "start": "2026-11-24T22:00:00Z", "end": "2026-11-24T23:00:00Z" }
            ]}
        ]
    }))
    .expect("slots")
}

#[wasm_bindgen_test]
async fn times_come_first_each_once_for_any_technician_and_a_person_can_still_be_picked() {
    let host = fresh_host();
    let flow = Flow::new(config(), Api::new(NO_SERVER.into(), "acme".into()));
    flow.slots.set(Some(slots_at_one_time()));
    flow.found_slots(Focus::Keep);
    let _mounted = mount_step(&host, &flow, || view! { <jobslot_widget::steps::SlotsStep /> }.into_any());
    settle().await;
    let labels = |host: &HtmlElement| -> Vec<String> {
        let buttons = host.query_selector_all("button.slot").expect("q");
        (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .filter_map(|b| b.unchecked_into::<Element>().get_attribute("aria-label"))
            .collect()
    };
    let any = labels(&host);
    assert_eq!(any.len(), 2, "two times, the first free with two people: {any:?}");
    assert!(any.iter().all(|l| l.ends_with("Any technician")), "{any:?}");
    assert_eq!(
        find(&host, ".day-tab[aria-selected=true] .day-count").text_content().as_deref(),
        Some("2 free")
    );

    let select: web_sys::HtmlSelectElement = find(&host, "#jobslot-technician").unchecked_into();
    select.set_value("tech-sam");
    select.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    settle().await;
    let sams = labels(&host);
    assert_eq!(sams.len(), 2);
    assert!(sams.iter().all(|l| l.ends_with("Sam Nguyen")), "{sams:?}");

    // The date grid: the right arrow shows the next day, whose only time is Ava's.
    let grid = find(&host, "[role=grid]");
    let key = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &{
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("ArrowRight");
        init.set_bubbles(true);
        init
    })
    .expect("key");
    find(&host, ".day-tab[aria-selected=true]").dispatch_event(&key).expect("dispatch");
    settle().await;
    assert!(grid.query_selector_all("[aria-selected=true]").expect("q").length() == 1);
    assert_eq!(
        find(&host, ".day-tab[aria-selected=true] .day-count").text_content().as_deref(),
        Some("0 free")
    );
}

#[wasm_bindgen_test]
async fn the_review_says_a_ticked_box_in_the_widgets_language() {
    let host = fresh_host();
    let mut flow = Flow::new(config(), Api::new(NO_SERVER.into(), "acme".into()));
    flow.lang = Lang::from_tag("es");
    flow.answers.update(|answers| {
        answers.set("car_make", Answered::Text("Toyota".into()));
        answers.set("car_year", Answered::Text("2019".into()));
        answers.set("loan_car", Answered::Ticked(true));
    });
    flow.choose(&a_slot());
    flow.answered();
    flow.contact_given();
    let _mounted = mount_step(&host, &flow, || view! { <ReviewStep /> }.into_any());
    settle().await;
    let summary = find(&host, ".summary").text_content().unwrap_or_default();
    assert!(summary.contains("Car makeToyota") && summary.contains("Loan carSí"), "{summary}");
}
