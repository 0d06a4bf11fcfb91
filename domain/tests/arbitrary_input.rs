//! Every parser of raw input, fed arbitrary text (as the server decodes it: lossy UTF-8) and
//! arbitrary request bodies: none panics, and what one accepts it accepts again in its own
//! rendering ([`parsers`]).
//!
//! Stable Rust's half of the fuzzing; `fuzz/` runs the same checks under libFuzzer. A crash found
//! by either becomes a named test beside the parser, so it stays fixed whatever the seed.

mod parsers;

use proptest::collection::vec;
use proptest::prelude::*;

fn raw() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any::<String>(),
        // Near misses of the real formats.
        "[0-9A-Za-z +:/#()._@*-]{0,30}",
        // Return addresses on, near and far from the allowed origins.
        "(https?|HTTPS|javascript)://(fieldapp\\.example|FieldApp\\.Example|127\\.0\\.0\\.1:8080|evil\\.example)[@/?#\\\\a-z.:%]{0,24}",
    ]
}

/// JSON bodies close enough to the real ones to get past the first brace.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let value = any::<i64>().prop_map(|n| serde_json::json!(n)).boxed();
    let leaf = prop_oneof![
        value,
        raw().prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from)
    ];
    let json = leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("service".to_owned()),
                    Just("answers".to_owned()),
                    Just("form".to_owned()),
                    Just("fields".to_owned()),
                    Just("kind".to_owned()),
                    Just("areas".to_owned()),
                    Just("hours".to_owned()),
                    Just("monday".to_owned()),
                    Just("email".to_owned()),
                    Just("role".to_owned()),
                    Just("start".to_owned()),
                    Just("time_zone".to_owned()),
                    Just("callback_uri".to_owned()),
                    Just("terms_accepted".to_owned()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..6,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![json.prop_map(|v| serde_json::to_vec(&v).expect("json")), vec(any::<u8>(), 0..300),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn text_parsers_refuse_or_accept_and_round_trip(raw in raw()) {
        parsers::text(&raw);
    }

    #[test]
    fn request_bodies_parse_or_refuse(body in body()) {
        parsers::json_bodies(&body);
    }
}
