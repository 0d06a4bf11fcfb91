use super::*;
use crate::FieldError;
use crate::ids::TechnicianId;
use crate::money::Currency;
use crate::site::Site;

fn site() -> Site {
    serde_json::from_value(serde_json::json!({
        "id": "acme", "business_name": "Acme", "country": "AU", "time_zone": "Australia/Sydney",
        "currency": "AUD", "terms": "", "order_form": { "fields": [] },
        "services": [{ "id": "basic", "name": "Basic", "duration": 60,
                       "price": { "minor": 100, "currency": "AUD" }, "order_type": "maintenance" }],
        "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 }
    }))
    .expect("site")
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_technician_parses_with_areas_hours_and_time_off() {
    let input = TechnicianInput {
        name: " Jo Bloggs ".into(),
        areas: vec!["2000".into(), "2100-2199".into(), "2000".into()],
        services: vec!["basic".into()],
        hours: HoursInput {
            monday: vec!["13:00-17:00".into(), "08:00-12:00".into()],
            ..HoursInput::default()
        },
        time_off: vec![TimeOffInput { from: "2026-12-25".into(), to: String::new() }],
        time_zone: String::new(),
        active: true,
    };
    let tech = input.parse(&site(), &TechnicianId::parse("id", "jo").expect("id")).expect("valid");
    assert_eq!(tech.name, "Jo Bloggs");
    assert_eq!(tech.areas.len(), 2, "duplicates dropped");
    assert_eq!(String::from(tech.hours.monday[0]), "08:00-12:00", "sorted");
    assert_eq!(tech.time_off[0].to.to_string(), "2026-12-26T00:00:00");
    assert_eq!(tech.time_zone.name(), "Australia/Sydney");
    assert_eq!(TechnicianInput::of(&tech).areas, ["2000", "2100-2199"]);
    assert_eq!(
        TechnicianInput::of(&tech).time_off,
        [TimeOffInput { from: "2026-12-25".into(), to: String::new() }]
    );
}

#[test]
fn time_off_reads_back_the_way_it_was_entered() {
    let id = TechnicianId::parse("id", "jo").expect("id");
    let entered = [
        TimeOffInput { from: "2026-12-24".into(), to: "2026-12-27".into() },
        TimeOffInput { from: "2026-12-31".into(), to: String::new() },
        TimeOffInput { from: "2027-01-05T12:00".into(), to: "2027-01-06T09:30".into() },
    ];
    let input = TechnicianInput {
        name: "Jo".into(),
        areas: vec!["2000".into()],
        time_off: entered.to_vec(),
        active: true,
        ..TechnicianInput::default()
    };
    let tech = input.parse(&site(), &id).expect("valid");
    assert_eq!(TechnicianInput::of(&tech).time_off, entered);
}

#[test]
fn every_bad_technician_field_is_named() {
    let input = TechnicianInput {
        name: String::new(),
        areas: vec!["2000".into(), "SW1A".into()],
        services: vec!["nope".into()],
        hours: HoursInput {
            friday: vec!["08:00-12:00".into(), "11:00-13:00".into(), "9-5".into()],
            ..HoursInput::default()
        },
        time_off: vec![TimeOffInput { from: "2026-12-25T10:00".into(), to: "2026-12-25T09:00".into() }],
        time_zone: "Mars/Olympus".into(),
        active: true,
    };
    let errors = input.parse(&site(), &TechnicianId::parse("id", "jo").expect("id")).expect_err("invalid");
    assert_eq!(
        fields(&errors),
        ["name", "areas[1]", "services[0]", "hours.friday[2]", "hours.friday", "time_off[0]", "time_zone"]
    );
}

#[test]
fn settings_are_checked_field_by_field() {
    let mut input = SettingsInput::of(&site());
    input.business_name = "Acme\u{202E}".into();
    input.time_zone = "Nowhere/Special".into();
    input.step_minutes = 7;
    input.days_ahead = 0;
    input.allowed_origins = vec!["https://shop.example".into(), "shop.example/path".into()];
    input.accent_colour = "blue".into();
    input.font_family = "x; } :host { display: none".into();
    input.corner_radius = Some(99);
    let errors = input.apply(&site()).expect_err("invalid");
    assert_eq!(
        fields(&errors),
        [
            "business_name",
            "time_zone",
            "step_minutes",
            "days_ahead",
            "allowed_origins[1]",
            "accent_colour",
            "font_family",
            "corner_radius"
        ]
    );
    let good = SettingsInput {
        accent_colour: "#C00000".into(),
        font_family: " Georgia ,serif".into(),
        corner_radius: Some(0),
        ..SettingsInput::of(&site())
    };
    let site = good.apply(&site()).expect("valid");
    assert_eq!(site.accent_colour.as_deref(), Some("#c00000"));
    assert_eq!((site.font_family.as_deref(), site.corner_radius), (Some("Georgia, serif"), Some(0)));
}

#[test]
fn services_need_unique_ids_and_grid_durations() {
    let service = |id: &str, minutes| ServiceInput {
        id: id.into(),
        name: "Service".into(),
        duration_minutes: minutes,
        price_minor: 100,
        order_type: "repair".into(),
        active: true,
    };
    let input = ServicesInput { services: vec![service("a", 60), service("a", 50)] };
    let errors = input.parse(Currency::Aud).expect_err("invalid");
    assert_eq!(fields(&errors), ["services[1].id", "services[1].duration_minutes"]);
}

#[test]
fn a_technician_member_names_their_technician() {
    let input =
        MemberInput { email: "t@acme.example".into(), role: "technician".into(), ..MemberInput::default() };
    assert_eq!(fields(&input.parse().expect_err("invalid")), ["technician"]);
    let input = MemberInput { role: "boss".into(), ..input };
    assert_eq!(fields(&input.parse().expect_err("invalid")), ["role"]);
}
