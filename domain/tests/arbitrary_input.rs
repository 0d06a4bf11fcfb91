//! Every parser of raw text, fed arbitrary bytes (as the server decodes them: lossy UTF-8):
//! none panics, and what one accepts it accepts again in its own rendering.
//!
//! Stable Rust's stand-in for `cargo fuzz`. A crash found here becomes a named test beside the
//! parser, so it stays fixed whatever the random seed.

use jobslot_domain::area::ServiceArea;
use jobslot_domain::contact::{Email, Phone};
use jobslot_domain::ids::{
    FieldId, IdempotencyKey, ServiceId, SiteId, TechnicianId, UserId, WorkOrderNumber,
};
use jobslot_domain::money::minor_units;
use jobslot_domain::postcode::{Country, Postcode};
use jobslot_domain::schedule::WorkingInterval;
use jobslot_domain::text::{Lines, Text};
use proptest::collection::vec;
use proptest::prelude::*;

fn raw() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any::<String>(),
        // Near misses of the real formats.
        "[0-9A-Za-z +:/#()._@*-]{0,30}",
    ]
}

const COUNTRIES: [Country; 3] = [Country::Au, Country::Us, Country::Gb];

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn postcodes_and_areas_parse_or_refuse_and_round_trip(raw in raw()) {
        for country in COUNTRIES {
            if let Ok(postcode) = Postcode::parse("postcode", country, &raw) {
                let again = Postcode::parse("postcode", country, &postcode.to_string());
                prop_assert_eq!(again.ok(), Some(postcode));
            }
            let _ = ServiceArea::parse("areas", country, &raw);
        }
    }

    #[test]
    fn contact_details_parse_or_refuse_and_round_trip(raw in raw()) {
        if let Ok(email) = Email::parse("email", &raw) {
            prop_assert_eq!(Email::parse("email", email.as_str()).ok(), Some(email));
        }
        if let Ok(phone) = Phone::parse("phone", &raw) {
            prop_assert_eq!(Phone::parse("phone", phone.as_str()).ok(), Some(phone));
        }
    }

    #[test]
    fn ids_parse_or_refuse(raw in raw()) {
        let _ = SiteId::parse("site", &raw);
        let _ = TechnicianId::parse("technician", &raw);
        let _ = ServiceId::parse("service", &raw);
        let _ = FieldId::parse("field", &raw);
        let _ = UserId::parse("user", &raw);
        let _ = IdempotencyKey::parse("Idempotency-Key", &raw);
        if let Ok(number) = WorkOrderNumber::parse("number", &raw) {
            prop_assert_eq!(WorkOrderNumber::parse("number", number.as_str()).ok(), Some(number));
        }
    }

    #[test]
    fn hours_money_and_free_text_parse_or_refuse(raw in raw(), max in 0usize..500) {
        let _ = WorkingInterval::parse("hours", &raw);
        let _ = minor_units(&raw);
        for lines in [Lines::Single, Lines::Multi] {
            if let Ok(text) = Text::parse_lines("text", &raw, max, lines) {
                prop_assert!(text.as_str().chars().count() <= max);
            }
        }
    }
}
