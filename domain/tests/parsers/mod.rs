//! What every parser of raw input must do with anything it is given: refuse it or accept it,
//! never panic, and accept again what it rendered from an accepted value. Shared by the property
//! tests (`tests/arbitrary_input.rs`, stable) and the `cargo fuzz` targets (`fuzz/`, nightly).

use jobslot_domain::api::{JobInput, SubmitWorkOrder};
use jobslot_domain::area::ServiceArea;
use jobslot_domain::board::BoardQuery;
use jobslot_domain::connector::{BookingToken, Callback, LinkBookingInput};
use jobslot_domain::contact::{Email, Phone};
use jobslot_domain::dispatch::{WorkOrderListQuery, WorkOrderPatch, WorkOrderRulesInput};
use jobslot_domain::follow_up::FollowUpInput;
use jobslot_domain::ids::{
    FieldId, IdempotencyKey, ReasonCode, ServiceId, SiteId, TechnicianId, UserId, WorkOrderNumber,
};
use jobslot_domain::manage::RescheduleInput;
use jobslot_domain::money::minor_units;
use jobslot_domain::postcode::{Country, Postcode};
use jobslot_domain::schedule::WorkingInterval;
use jobslot_domain::setup::{
    MemberInput, NewSiteInput, OrderFormInput, ServicesInput, SettingsInput, TechnicianInput,
};
use jobslot_domain::site::Site;
use jobslot_domain::text::{Lines, Text};
use jobslot_domain::webhook::{EndpointId, EndpointInput, EndpointUrl, Targets, is_public};
use jobslot_domain::work_order::{OrderStatus, WorkOrder};
use serde::de::DeserializeOwned;

const COUNTRIES: [Country; 3] = [Country::Au, Country::Us, Country::Gb];

/// Every parser of one line or field of text.
pub fn text(raw: &str) {
    for country in COUNTRIES {
        if let Ok(postcode) = Postcode::parse("postcode", country, raw) {
            let again = Postcode::parse("postcode", country, &postcode.to_string());
            assert_eq!(again.ok(), Some(postcode), "{raw:?}");
        }
        let _ = ServiceArea::parse("areas", country, raw);
    }
    if let Ok(email) = Email::parse("email", raw) {
        assert_eq!(Email::parse("email", email.as_str()).ok(), Some(email), "{raw:?}");
    }
    if let Ok(phone) = Phone::parse("phone", raw) {
        assert_eq!(Phone::parse("phone", phone.as_str()).ok(), Some(phone), "{raw:?}");
    }
    let _ = SiteId::parse("site", raw);
    let _ = TechnicianId::parse("technician", raw);
    let _ = ServiceId::parse("service", raw);
    let _ = FieldId::parse("field", raw);
    let _ = UserId::parse("user", raw);
    let _ = IdempotencyKey::parse("Idempotency-Key", raw);
    if let Ok(number) = WorkOrderNumber::parse("number", raw) {
        assert_eq!(WorkOrderNumber::parse("number", number.as_str()).ok(), Some(number), "{raw:?}");
    }
    let _ = WorkingInterval::parse("hours", raw);
    let _ = ReasonCode::parse("reason_code", raw);
    if let Ok(status) = OrderStatus::parse("status", raw) {
        assert_eq!(OrderStatus::parse("status", status.name()).ok(), Some(status), "{raw:?}");
    }
    let _ = minor_units(raw);
    if let Some(token) = BookingToken::parse(raw) {
        assert_eq!(BookingToken::parse(token.as_str()), Some(token), "{raw:?}");
    }
    if let Ok(Some(callback)) = Callback::parse_optional(raw, &allowed_origins()) {
        // However the raw text was shaped, the customer lands on an allowed origin.
        let url = callback.with_outcome(&order());
        let lands = allowed_origins().iter().any(|origin| {
            url.to_ascii_lowercase()
                .strip_prefix(origin.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
        });
        assert!(lands, "{raw:?} -> {url:?}");
        assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()), "{raw:?}");
    }
    if let Ok(id) = EndpointId::parse("id", raw) {
        assert_eq!(EndpointId::parse("id", id.as_str()).ok(), Some(id), "{raw:?}");
    }
    for targets in [Targets::Public, Targets::AlsoLoopback] {
        if let Ok(endpoint) = EndpointUrl::parse("url", raw, targets) {
            assert_eq!(
                EndpointUrl::parse("url", endpoint.as_str(), targets).ok(),
                Some(endpoint.clone()),
                "{raw:?}"
            );
            if targets == Targets::Public {
                // However the text was shaped, our servers are sent to a public https host only.
                let url = url::Url::parse(endpoint.as_str()).expect("an accepted address parses");
                assert_eq!(url.scheme(), "https", "{raw:?}");
                match url.host() {
                    Some(url::Host::Ipv4(ip)) => assert!(is_public(ip.into()), "{raw:?}"),
                    Some(url::Host::Ipv6(ip)) => assert!(is_public(ip.into()), "{raw:?}"),
                    Some(url::Host::Domain(name)) => {
                        assert!(name.contains('.') && !name.ends_with("localhost"), "{raw:?}")
                    }
                    None => panic!("{raw:?} has no host"),
                }
            }
        }
    }
    for max in [0, 1, 80, 1000] {
        for lines in [Lines::Single, Lines::Multi] {
            if let Ok(text) = Text::parse_lines("text", raw, max, lines) {
                assert!(text.as_str().chars().count() <= max, "{raw:?}");
            }
        }
    }
}

/// Every request body the API reads, from the bytes of a request, parsed against a site.
pub fn json_bodies(body: &[u8]) {
    let site = site();
    if let Some(submission) = read::<SubmitWorkOrder>(body) {
        let _ = submission.parse(&site);
    }
    if let Some(settings) = read::<SettingsInput>(body) {
        let _ = settings.apply(&site);
    }
    if let Some(new_site) = read::<NewSiteInput>(body) {
        let _ = new_site.settings.apply(&site);
    }
    if let Some(services) = read::<ServicesInput>(body) {
        let _ = services.parse(site.currency);
    }
    if let Some(technician) = read::<TechnicianInput>(body) {
        let id = TechnicianId::parse("id", "sam").expect("id");
        let _ = technician.parse(&site, &id);
    }
    if let Some(form) = read::<OrderFormInput>(body) {
        let _ = form.form.validated();
    }
    if let Some(member) = read::<MemberInput>(body) {
        let _ = member.parse();
    }
    if let Some(patch) = read::<WorkOrderPatch>(body)
        && let Ok(patch) = patch.parse()
    {
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut waiting = order();
        waiting.appointment = None;
        for order in [order(), waiting] {
            let _ = patch.apply(&order, &site, None, "staff@example.com", now, || "n".into());
        }
    }
    if let Some(job) = read::<JobInput>(body) {
        let _ = job.parse(&site);
    }
    if let Some(booking) = read::<LinkBookingInput>(body) {
        let _ = booking.parse(&allowed_origins());
    }
    if let Some(moved) = read::<RescheduleInput>(body) {
        let _ = moved.parse();
    }
    if let Some(query) = read::<WorkOrderListQuery>(body) {
        let _ = query.parse(site.country);
    }
    if let Some(query) = read::<BoardQuery>(body) {
        let _ = query.parse(jiff::civil::date(2026, 12, 1));
    }
    if let Some(follow_up) = read::<FollowUpInput>(body) {
        let _ = follow_up.parse();
    }
    if let Some(rules) = read::<WorkOrderRulesInput>(body) {
        let _ = rules.apply(&site);
    }
    if let Some(endpoint) = read::<EndpointInput>(body) {
        for targets in [Targets::Public, Targets::AlsoLoopback] {
            let _ = endpoint.parse(targets);
        }
    }
}

/// A booked work order of [`site`], for patches to change.
pub fn order() -> WorkOrder {
    serde_json::from_value(serde_json::json!({
        "site": "acme", "number": "WO-0000000A", "status": "onsite", "order_type": "maintenance", "priority": 50,
        "service": { "id": "basic", "name": "Basic", "price": { "minor": 100, "currency": "AUD" } },
        "account": { "name": "Mary Jones" },
        "contact": { "name": "Mary Jones", "email": "mary@example.com", "phone": "0412345678" },
        "location": { "line1": "1 George St", "city": "Sydney", "postcode": { "country": "AU", "code": "2000" } },
        "asset": [], "planned_start": "2026-12-07T22:00:00Z", "planned_end": "2026-12-07T23:00:00Z",
        "time_zone": "Australia/Sydney", "technician": { "id": "sam", "name": "Sam" },
        "created_at": "2026-12-01T00:00:00Z"
    }))
    .expect("order")
}

/// The origins a site allows callbacks to, as it stores them.
pub fn allowed_origins() -> Vec<String> {
    vec!["https://fieldapp.example".into(), "http://127.0.0.1:8080".into()]
}

fn read<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// A site whose form has a field of every kind.
pub fn site() -> Site {
    serde_json::from_value(serde_json::json!({
        "id": "acme", "business_name": "Acme", "country": "AU", "time_zone": "Australia/Sydney",
        "currency": "AUD", "terms": "",
        "order_form": { "fields": [
            { "id": "make", "label": "Make", "kind": "text", "max_length": 40, "required": true },
            { "id": "fault", "label": "Fault", "kind": "long_text", "max_length": 400 },
            { "id": "year", "label": "Year", "kind": "number", "min": 1950, "max": 2027 },
            { "id": "fuel", "label": "Fuel", "kind": "select", "options": ["Petrol", "Diesel"] },
            { "id": "due", "label": "Due", "kind": "date", "min": "2026-01-01" },
            { "id": "loan", "label": "Loan car", "kind": "checkbox" }
        ]},
        "services": [{ "id": "basic", "name": "Basic", "duration": 60,
                       "price": { "minor": 100, "currency": "AUD" }, "order_type": "maintenance" }],
        "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 }
    }))
    .expect("site")
}
