use super::*;
use crate::FieldError;
use crate::ids::TechnicianId;
use crate::postcode::Country;
use crate::site::Site;
use crate::text::Text;
use crate::work_order::{Assignee, OrderRules, OrderStatus, OrderType, WorkOrder};
use jiff::Timestamp;
use serde_json::Value;
use serde_json::json;

fn site() -> Site {
    serde_json::from_value(json!({
        "id": "acme", "business_name": "Acme", "country": "AU", "time_zone": "Australia/Sydney",
        "currency": "AUD", "terms": "", "order_form": { "fields": [] },
        "services": [{ "id": "basic", "name": "Basic", "duration": 60,
                       "price": { "minor": 100, "currency": "AUD" }, "order_type": "repair" }],
        "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 }
    }))
    .expect("site")
}

fn order(status: &str) -> WorkOrder {
    crate::work_order::fixtures::order(status)
}

fn patch(body: Value) -> Result<Patch, Vec<FieldError>> {
    serde_json::from_value::<WorkOrderPatch>(body).expect("a JSON object").parse()
}

fn apply(order: &WorkOrder, body: Value) -> Result<Applied, Vec<FieldError>> {
    let now: Timestamp = "2026-12-02T00:00:00Z".parse().expect("now");
    let mut ids = 0;
    patch(body)?.apply(order, &site(), None, "dispatch@acme.example", now, || {
        ids += 1;
        format!("n{ids}")
    })
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_partial_patch_changes_only_what_it_names_and_records_each_change() {
    let before = order("new");
    let applied =
        apply(&before, json!({ "priority": 10, "contact": { "phone": "0499 999 999" } })).expect("valid");
    assert_eq!(applied.order.priority, 10);
    assert_eq!(applied.order.contact.phone.as_str(), "0499999999");
    assert_eq!(applied.order.contact.email, before.contact.email);
    assert_eq!(applied.order.location, before.location);
    let changed: Vec<_> = applied.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(changed, ["priority", "contact.phone"]);
    assert_eq!(applied.changes[0].from.as_deref(), Some("50"));
    assert!(applied.order.updated_at.is_some());
}

#[test]
fn a_patch_that_changes_nothing_records_nothing() {
    let applied = apply(&order("new"), json!({ "priority": 50, "status": "new" })).expect("valid");
    assert!(applied.changes.is_empty());
    assert_eq!(applied.order, order("new"));
}

#[test]
fn fields_removes_listed_properties_and_null_removes_too() {
    let with_remarks = apply(&order("new"), json!({ "remarks": "Gate code 1234" })).expect("valid").order;
    assert_eq!(with_remarks.remarks.as_ref().map(Text::as_str), Some("Gate code 1234"));
    let removed = apply(&with_remarks, json!({ "_fields": ["remarks", "location.line2"] })).expect("valid");
    assert_eq!((removed.order.remarks, removed.order.location.line2), (None, None));
    let nulled = apply(&with_remarks, json!({ "remarks": null })).expect("valid");
    assert_eq!(nulled.order.remarks, None);
    let refused = apply(&order("new"), json!({ "_fields": ["contact.name"] })).expect_err("required");
    assert_eq!(fields(&refused), ["_fields[0]"]);
}

#[test]
fn notes_are_added_and_items_marked_delete_are_removed() {
    let one = apply(&order("new"), json!({ "staff_notes": [{ "text": "Call first" }, { "text": "Dog" }] }))
        .expect("valid")
        .order;
    assert_eq!(one.staff_notes.len(), 2);
    assert_eq!(one.staff_notes[0].author, "dispatch@acme.example");
    let id = one.staff_notes[0].id.clone();
    let fewer = apply(&one, json!({ "staff_notes": [{ "id": id, "Delete": true }] })).expect("valid");
    assert_eq!(fewer.order.staff_notes.len(), 1);
    assert_eq!(fewer.order.staff_notes[0].text.as_str(), "Dog");
    assert_eq!(fewer.changes[0].from.as_deref(), Some("Call first"));
    let missing =
        apply(&one, json!({ "staff_notes": [{ "id": "nope", "delete": true }] })).expect_err("unknown");
    assert_eq!(fields(&missing), ["staff_notes"]);
}

#[test]
fn properties_staff_may_not_change_are_refused_by_name() {
    let errors =
        patch(json!({ "number": "WO-00000001", "site": "other", "created_at": "2020-01-01T00:00:00Z",
                                "priority": 1 }))
        .expect_err("fixed");
    let mut named = fields(&errors);
    named.sort_unstable();
    assert_eq!(named, ["created_at", "number", "site"]);
}

#[test]
fn unknown_properties_are_named_only_when_short_and_few() {
    let long = "x".repeat(300);
    let errors = patch(json!({ long.clone(): 1, "colour": "red" })).expect_err("unknown");
    assert!(
        errors.iter().all(|e| !e.field.contains(&long) && !e.message.english().contains(&long)),
        "{errors:?}"
    );
    assert!(fields(&errors).contains(&"colour"));
    let many: serde_json::Map<String, Value> = (0..50).map(|i| (format!("k{i}"), json!(1))).collect();
    let errors = patch(Value::Object(many)).expect_err("unknown");
    assert!(errors.len() <= 6, "{}", errors.len());
}

#[test]
fn closing_incomplete_and_rejecting_need_a_code_from_the_sites_own_list() {
    let onsite = order("onsite");
    let none = apply(&onsite, json!({ "status": "closed_incomplete" })).expect_err("no reason");
    assert_eq!(fields(&none), ["reason_code"]);
    let wrong_list = apply(&onsite, json!({ "status": "closed_incomplete", "reason_code": "duplicate" }));
    assert_eq!(fields(&wrong_list.expect_err("rejected's list")), ["reason_code"]);
    let closed = apply(&onsite, json!({ "status": 4097, "reason_code": "parts-needed" }));
    assert!(closed.is_err(), "a code is given as a string");
    let closed = apply(&onsite, json!({ "status": "4097", "reason_code": "parts-needed" })).expect("valid");
    assert_eq!(closed.order.status, OrderStatus::ClosedIncomplete);
    assert_eq!(closed.order.reason.as_ref().map(|r| r.label.as_str()), Some("Parts needed"));
    let rejected =
        apply(&order("new"), json!({ "status": "rejected", "reason_code": "duplicate" })).expect("ok");
    assert_eq!(rejected.order.status, OrderStatus::Rejected);
    let stray = apply(&order("new"), json!({ "status": "enroute", "reason_code": "duplicate" }));
    assert_eq!(fields(&stray.expect_err("no reason wanted")), ["reason_code"]);
    let alone = apply(&order("new"), json!({ "reason_code": "duplicate" }));
    assert_eq!(fields(&alone.expect_err("no status")), ["reason_code"]);
}

#[test]
fn the_status_machine_decides_and_closed_orders_take_only_notes() {
    let skipped = apply(&order("new"), json!({ "status": "closed_complete" })).expect_err("skips onsite");
    assert_eq!(fields(&skipped), ["status"]);
    let closed = order("closed_complete");
    assert!(apply(&closed, json!({ "priority": 1 })).is_err());
    assert!(apply(&closed, json!({ "remarks": "late" })).is_err());
    assert!(apply(&closed, json!({ "staff_notes": [{ "text": "Invoice sent" }] })).is_ok());
    let cancelled = apply(&order("new"), json!({ "status": "cancelled" })).expect("valid").order;
    let moved = apply(&cancelled, json!({ "start": "2026-12-08T22:00:00Z" }));
    assert!(moved.is_err());
}

#[test]
fn rescheduling_keeps_the_jobs_length() {
    let applied = apply(&order("new"), json!({ "start": "2026-12-09T09:30:00+11:00" })).expect("valid");
    let time = applied.order.appointment.expect("booked").time();
    assert_eq!(time.start.to_string(), "2026-12-08T22:30:00Z");
    assert_eq!(time.end.to_string(), "2026-12-08T23:30:00Z");
    assert_eq!(fields(&apply(&order("new"), json!({ "start": "tomorrow" })).expect_err("bad")), ["start"]);
}

#[test]
fn an_order_waiting_for_its_slot_is_booked_with_a_start_and_a_technician_together() {
    let mut waiting = order("new");
    waiting.appointment = None;
    let sam = Assignee { id: TechnicianId::parse("technician", "sam").expect("id"), name: "Sam".into() };
    let now: Timestamp = "2026-12-02T00:00:00Z".parse().expect("now");
    let book = |body: Value, assignee: Option<Assignee>| {
        patch(body)?.apply(&waiting, &site(), assignee, "dispatch@acme.example", now, || "n".into())
    };
    let booked =
        book(json!({ "start": "2026-12-09T09:30:00+11:00", "technician": "sam" }), Some(sam.clone()))
            .expect("booked");
    let appointment = booked.order.appointment.expect("an appointment");
    assert_eq!(appointment.time().end.to_string(), "2026-12-08T23:30:00Z", "the service's 60 minutes");
    assert_eq!(appointment.technician, sam);
    let changed: Vec<_> = booked.changes.iter().map(|c| (c.field.as_str(), c.from.is_none())).collect();
    assert_eq!(changed, [("start", true), ("technician", true)]);

    let alone = book(json!({ "start": "2026-12-09T09:30:00+11:00" }), None).expect_err("no technician");
    assert_eq!(fields(&alone), ["technician"]);
    let unassigned = book(json!({ "technician": "sam" }), Some(sam)).expect_err("no start");
    assert_eq!(fields(&unassigned), ["start"]);
    let early = book(json!({ "status": "enroute" }), None).expect_err("nowhere to go yet");
    assert_eq!(fields(&early), ["status"]);
    assert!(book(json!({ "status": "cancelled" }), None).is_ok(), "it can be called off before booking");
}

#[test]
fn a_stored_order_has_its_whole_appointment_or_none() {
    let mut json = serde_json::to_value(order("new")).expect("json");
    assert!(json.get("planned_start").is_some() && json.get("technician").is_some(), "flat, as before");
    let object = json.as_object_mut().expect("object");
    object.remove("technician");
    assert!(serde_json::from_value::<WorkOrder>(json.clone()).is_err(), "half an appointment is refused");
    let object = json.as_object_mut().expect("object");
    object.remove("planned_start");
    object.remove("planned_end");
    let waiting: WorkOrder = serde_json::from_value(json).expect("no appointment");
    assert_eq!(waiting.appointment, None);
}

#[test]
fn technicians_may_change_status_remarks_and_notes_only() {
    assert!(
        patch(json!({ "status": "enroute", "remarks": "On my way", "staff_notes": [{ "text": "x" }] }))
            .expect("valid")
            .is_field_work()
    );
    assert!(!patch(json!({ "technician": "tom" })).expect("valid").is_field_work());
    assert!(!patch(json!({ "start": "2026-12-08T22:00:00Z" })).expect("valid").is_field_work());
    assert!(!patch(json!({ "priority": 3 })).expect("valid").is_field_work());
}

#[test]
fn a_list_query_parses_statuses_dates_and_limits() {
    let query = WorkOrderListQuery {
        status: Some("new, 6,new".into()),
        from: Some("2026-12-01".into()),
        to: Some("2026-12-07".into()),
        q: Some("  Mary   JONES ".into()),
        ..Default::default()
    };
    let filter = query.parse(Country::Au).expect("valid");
    assert_eq!(filter.statuses, [OrderStatus::New, OrderStatus::Enroute]);
    assert_eq!(filter.words, ["mary", "jones"]);
    assert_eq!(filter.limit, usize::from(LIST_LIMIT_DEFAULT));
    let bad = WorkOrderListQuery {
        status: Some("closed".into()),
        from: Some("2026-12-07".into()),
        to: Some("2026-12-01".into()),
        postcode: Some("20".into()),
        limit: Some(0),
        q: Some("x".repeat(101)),
        ..Default::default()
    };
    let errors = bad.parse(Country::Au).expect_err("invalid");
    assert_eq!(fields(&errors), ["status", "to", "postcode", "q", "limit"]);
}

#[test]
fn a_filter_matches_every_word_in_any_field() {
    let summary = WorkOrderSummary::of(&order("new"));
    let text = search_text(&order("new"));
    let filter = |q: &str| WorkOrderListQuery { q: Some(q.into()), ..Default::default() }.parse(Country::Au);
    assert!(filter("mary george").expect("valid").matches(&summary, &text));
    assert!(filter("wo-0000000a").expect("valid").matches(&summary, &text));
    assert!(!filter("mary smith").expect("valid").matches(&summary, &text));
    let onsite = WorkOrderListQuery { status: Some("onsite".into()), ..Default::default() };
    assert!(!onsite.parse(Country::Au).expect("valid").matches(&summary, &text));
}

#[test]
fn rules_round_trip_and_bad_codes_are_named() {
    let site = site();
    let mut input = WorkOrderRulesInput::of(&site);
    input.order_types.insert("repair".into(), OrderRules { can_schedule_followup: true });
    let changed = input.apply(&site).expect("valid");
    assert!(changed.rules_for(OrderType::Repair).can_schedule_followup);
    assert!(!changed.rules_for(OrderType::Install).can_schedule_followup);
    assert_eq!(WorkOrderRulesInput::of(&changed), input);
    input.closed_incomplete.push(ReasonInput { code: "parts-needed".into(), label: "Again".into() });
    input.rejected = vec![ReasonInput { code: "Bad Code".into(), label: String::new() }];
    input.order_types.insert("teleport".into(), OrderRules::default());
    let errors = input.apply(&site).expect_err("invalid");
    assert_eq!(
        fields(&errors),
        ["closed_incomplete[4].code", "rejected[0].code", "rejected[0].label", "order_types.teleport"]
    );
}
