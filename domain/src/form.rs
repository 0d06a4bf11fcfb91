//! A business's own order form: its definition, and the answers a customer gives.

use crate::FieldError;
use crate::ids::FieldId;
use crate::message::Message;
use crate::text::{self, Lines};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fields a site asks for about the job (car make, model and year; a serial number; …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderForm {
    /// Fields in display order.
    pub fields: Vec<FormField>,
}

/// One question on an order form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "wire::Field")]
pub struct FormField {
    /// Stable id, the key of the answer.
    pub id: FieldId,
    /// What the customer sees.
    pub label: String,
    /// Whether an answer is needed (for a checkbox: whether it must be ticked).
    #[serde(default)]
    pub required: bool,
    /// Optional hint shown under the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The kind of answer and its limits.
    #[serde(flatten)]
    pub kind: FieldKind,
}

/// The kind of answer a field takes, with its limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text up to `max_length` characters.
    Text {
        /// Longest answer accepted.
        #[serde(deserialize_with = "crate::number::whole")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 4000))]
        max_length: u16,
    },
    /// Several lines of text up to `max_length` characters (a description of the fault).
    LongText {
        /// Longest answer accepted.
        #[serde(deserialize_with = "crate::number::whole")]
        #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 4000))]
        max_length: u16,
    },
    /// A whole number between `min` and `max` inclusive.
    Number {
        /// Smallest value accepted.
        #[serde(deserialize_with = "crate::number::whole")]
        #[cfg_attr(feature = "openapi", schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64))]
        min: i64,
        /// Largest value accepted.
        #[serde(deserialize_with = "crate::number::whole")]
        #[cfg_attr(feature = "openapi", schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64))]
        max: i64,
    },
    /// One of the given options.
    Select {
        /// The choices, in display order.
        options: Vec<String>,
    },
    /// A calendar date, optionally bounded.
    Date {
        /// Earliest date accepted.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire_time::option_date")]
        #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        min: Option<Date>,
        /// Latest date accepted.
        #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire_time::option_date")]
        #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
        max: Option<Date>,
    },
    /// A yes/no tick box.
    Checkbox,
}

/// How a [`FormField`] is read: one flat object whose `kind` says which limits apply.
///
/// serde's `flatten` around an internally tagged enum (what the derive would read) buffers
/// every field of every form into an intermediate tree first, and compiles to ~30 KB of the
/// widget's wasm; reading the flat object into one plain struct and checking it after is the
/// same format for a fraction of the code.
mod wire {
    use super::{FieldKind, FormField};
    use crate::ids::FieldId;
    use serde::Deserialize;
    use serde::de::{self, Deserializer, Unexpected, Visitor};
    use std::fmt;

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Text,
        LongText,
        Number,
        Select,
        Date,
        Checkbox,
    }

    /// A `min`, `max` or `max_length`: whole for numbers and lengths, a string for dates.
    enum Limit {
        Whole(i64),
        Text(String),
    }

    impl<'de> Deserialize<'de> for Limit {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(LimitVisitor)
        }
    }

    struct LimitVisitor;

    impl Visitor<'_> for LimitVisitor {
        type Value = Limit;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a whole number in the field's range, or a date as YYYY-MM-DD")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Limit, E> {
            Ok(Limit::Whole(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Limit, E> {
            i64::try_from(v).map(Limit::Whole).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Limit, E> {
            crate::number::exact_whole(v)
                .map(Limit::Whole)
                .ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Limit, E> {
            Ok(Limit::Text(v.to_owned()))
        }
    }

    #[derive(Deserialize)]
    pub(super) struct Field {
        id: FieldId,
        label: String,
        #[serde(default)]
        required: bool,
        #[serde(default)]
        help: Option<String>,
        kind: Kind,
        #[serde(default)]
        max_length: Option<Limit>,
        #[serde(default)]
        min: Option<Limit>,
        #[serde(default)]
        max: Option<Limit>,
        #[serde(default)]
        options: Option<Vec<String>>,
    }

    fn whole<T: TryFrom<i64>>(limit: Option<Limit>, name: &str) -> Result<T, String> {
        match limit {
            Some(Limit::Whole(n)) => {
                T::try_from(n).map_err(|_| format!("{name}: {n} is out of the field's range"))
            }
            Some(Limit::Text(_)) => Err(format!("{name}: expected a whole number")),
            None => Err(format!("missing field `{name}`")),
        }
    }

    fn date(limit: Option<Limit>, name: &str) -> Result<Option<jiff::civil::Date>, String> {
        match limit {
            None => Ok(None),
            Some(Limit::Text(s)) => crate::wire_time::parse_date(&s)
                .map(Some)
                .ok_or_else(|| format!("{name}: expected a date as YYYY-MM-DD")),
            Some(Limit::Whole(_)) => Err(format!("{name}: expected a date as YYYY-MM-DD")),
        }
    }

    impl TryFrom<Field> for FormField {
        type Error = String;

        fn try_from(field: Field) -> Result<Self, String> {
            let kind = match field.kind {
                Kind::Text => FieldKind::Text { max_length: whole(field.max_length, "max_length")? },
                Kind::LongText => FieldKind::LongText { max_length: whole(field.max_length, "max_length")? },
                Kind::Number => {
                    FieldKind::Number { min: whole(field.min, "min")?, max: whole(field.max, "max")? }
                }
                Kind::Select => {
                    FieldKind::Select { options: field.options.ok_or("missing field `options`")? }
                }
                Kind::Date => FieldKind::Date { min: date(field.min, "min")?, max: date(field.max, "max")? },
                Kind::Checkbox => FieldKind::Checkbox,
            };
            Ok(FormField {
                id: field.id,
                label: field.label,
                required: field.required,
                help: field.help,
                kind,
            })
        }
    }
}

/// A parsed answer to one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// Free text.
    Text(String),
    /// A whole number.
    Number(i64),
    /// The option chosen.
    Select(String),
    #[allow(missing_docs)]
    Date(Date),
    /// Ticked or not.
    Checkbox(bool),
}

impl std::fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerValue::Text(s) | AnswerValue::Select(s) => f.write_str(s),
            AnswerValue::Number(n) => write!(f, "{n}"),
            AnswerValue::Date(d) => f.write_str(&crate::wire_time::format_date(*d)),
            AnswerValue::Checkbox(true) => f.write_str("Yes"),
            AnswerValue::Checkbox(false) => f.write_str("No"),
        }
    }
}

/// An answer with the label it was given under, so a later change to the form does not change
/// what a stored work order says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// The field answered.
    pub field: FieldId,
    /// The field's label when answered.
    pub label: String,
    /// The answer.
    pub value: AnswerValue,
}

/// Prefix of the field path of an answer in error messages: `answers.car_make`.
pub const ANSWERS: &str = "answers";

impl OrderForm {
    /// Checks raw JSON answers against the form; every problem is reported, keyed
    /// `answers.<field id>`. Blank optional answers are left out.
    pub fn parse_answers(
        &self,
        raw: &BTreeMap<String, serde_json::Value>,
    ) -> Result<Vec<Answer>, Vec<FieldError>> {
        let errors = self.unknown_answers(raw);
        self.parse_answers_from(errors, |id| raw.get(id).and_then(RawAnswer::of))
    }

    /// Checks the answers `answer` gives for each field id against the form, as
    /// [`OrderForm::parse_answers`] does; the widget, which keeps an answer only for the form's
    /// own fields and never holds JSON, asks this way.
    pub fn parse_answers_with<'a>(
        &self,
        answer: impl Fn(&str) -> Option<RawAnswer<'a>>,
    ) -> Result<Vec<Answer>, Vec<FieldError>> {
        self.parse_answers_from(Vec::new(), answer)
    }

    fn parse_answers_from<'a>(
        &self,
        mut errors: Vec<FieldError>,
        answer: impl Fn(&str) -> Option<RawAnswer<'a>>,
    ) -> Result<Vec<Answer>, Vec<FieldError>> {
        let mut answers = Vec::new();
        for field in &self.fields {
            match field.parse_raw(answer(field.id.as_str())) {
                Ok(Some(value)) => {
                    answers.push(Answer { field: field.id.clone(), label: field.label.clone(), value })
                }
                Ok(None) => {}
                Err(message) => errors.push(FieldError::new(format!("{ANSWERS}.{}", field.id), message)),
            }
        }
        if errors.is_empty() { Ok(answers) } else { Err(errors) }
    }
}

/// Most fields one form may have.
pub const FIELDS_MAX: usize = 50;
/// Most options one select field may have.
pub const OPTIONS_MAX: usize = 50;
/// Longest text answer a field may allow.
pub const ANSWER_MAX: u16 = 4_000;
/// Largest magnitude of a number field's limits: the largest integer a browser's numbers hold
/// exactly (2^53 - 1), so the widget and the console show the limits the server checks.
pub const NUMBER_LIMIT: i64 = 9_007_199_254_740_991;
const NUMBER_RANGE: std::ops::RangeInclusive<i64> = -NUMBER_LIMIT..=NUMBER_LIMIT;

impl OrderForm {
    /// Checks a form a business designed: unique ids, labels, sensible limits and options.
    /// Errors are named `form.fields[i].<part>`.
    pub fn validated(&self) -> Result<OrderForm, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.fields.len() > FIELDS_MAX {
            errors.push(FieldError::new("form.fields", format!("Use at most {FIELDS_MAX} fields.")));
        }
        let mut fields = Vec::with_capacity(self.fields.len());
        for (i, field) in self.fields.iter().enumerate() {
            let at = |part: &str| format!("form.fields[{i}].{part}");
            if self.fields[..i].iter().any(|f| f.id == field.id) {
                errors.push(FieldError::new(at("id"), "Another field has this id."));
            }
            let label = text::Text::parse(&at("label"), &field.label, 100).map_err(|e| errors.push(e)).ok();
            let help = text::Text::parse_optional(&at("help"), field.help.as_deref(), 300, Lines::Single)
                .map_err(|e| errors.push(e))
                .ok();
            match &field.kind {
                FieldKind::Text { max_length } | FieldKind::LongText { max_length }
                    if !(1..=ANSWER_MAX).contains(max_length) =>
                {
                    errors.push(FieldError::new(
                        at("max_length"),
                        format!("Allow 1 to {ANSWER_MAX} characters."),
                    ));
                }
                FieldKind::Number { min, max }
                    if !NUMBER_RANGE.contains(min) || !NUMBER_RANGE.contains(max) =>
                {
                    errors.push(FieldError::new(
                        at(if NUMBER_RANGE.contains(min) { "max" } else { "min" }),
                        format!("Use numbers from -{NUMBER_LIMIT} to {NUMBER_LIMIT}."),
                    ));
                }
                FieldKind::Number { min, max } if min > max => {
                    errors
                        .push(FieldError::new(at("max"), "The largest value must be at least the smallest."));
                }
                FieldKind::Date { min: Some(min), max: Some(max) } if min > max => {
                    errors.push(FieldError::new(
                        at("max"),
                        "The latest date must be on or after the earliest.",
                    ));
                }
                FieldKind::Select { options } => {
                    if options.is_empty() || options.len() > OPTIONS_MAX {
                        errors.push(FieldError::new(
                            at("options"),
                            format!("Give 1 to {OPTIONS_MAX} options."),
                        ));
                    }
                    for (j, option) in options.iter().enumerate() {
                        let here = format!("form.fields[{i}].options[{j}]");
                        match text::clean(option, 100, Lines::Single) {
                            Ok(clean) if clean.is_empty() => {
                                errors.push(FieldError::new(here, "Name the option."))
                            }
                            Ok(_) if options[..j].contains(option) => {
                                errors.push(FieldError::new(here, "This option is listed twice."))
                            }
                            Ok(_) => {}
                            Err(message) => errors.push(FieldError::new(here, message)),
                        }
                    }
                }
                _ => {}
            }
            if let (Some(label), Some(help)) = (label, help) {
                fields.push(FormField {
                    label: label.to_string(),
                    help: help.map(|h| h.to_string()),
                    ..field.clone()
                });
            }
        }
        if errors.is_empty() { Ok(OrderForm { fields }) } else { Err(errors) }
    }
}

/// Unknown keys named one by one before the rest are summed up in one error.
const UNKNOWN_NAMED_MAX: usize = 5;

impl OrderForm {
    /// Errors for answers to fields the form does not have. A key is echoed back only when it
    /// could be a field id (short, slug-shaped) and only for the first few: the request
    /// controls these keys, and a response must not grow with whatever was sent.
    fn unknown_answers(&self, raw: &BTreeMap<String, serde_json::Value>) -> Vec<FieldError> {
        let unknown = raw.keys().filter(|key| !self.fields.iter().any(|f| f.id.as_str() == *key));
        let (mut errors, mut unnamed) = (Vec::new(), 0usize);
        for key in unknown {
            if errors.len() < UNKNOWN_NAMED_MAX && FieldId::parse(ANSWERS, key).is_ok() {
                errors.push(FieldError::new(format!("{ANSWERS}.{key}"), "This form has no such field."));
            } else {
                unnamed += 1;
            }
        }
        if unnamed > 0 {
            errors.push(FieldError::new(
                ANSWERS,
                format!("{unnamed} more answer(s) name fields this form does not have."),
            ));
        }
        errors
    }
}

/// An answer as it was sent, before it is checked against its field: the shapes of JSON an
/// answer can take, without JSON itself, so the widget checks its answers without carrying a
/// JSON value type (and the maps inside it) in its download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawAnswer<'a> {
    /// A string.
    Text(&'a str),
    /// A number: `None` when it is not a whole number that fits an `i64`.
    Number(Option<i64>),
    /// `true` or `false`.
    Flag(bool),
    /// An array or an object, which no field takes.
    Other,
}

impl<'a> RawAnswer<'a> {
    /// The answer `value` gives; none for `null`, which leaves a field unanswered.
    pub fn of(value: &'a serde_json::Value) -> Option<Self> {
        use serde_json::Value;
        Some(match value {
            Value::Null => return None,
            Value::String(s) => RawAnswer::Text(s),
            Value::Number(n) => RawAnswer::Number(n.as_i64()),
            Value::Bool(b) => RawAnswer::Flag(*b),
            Value::Array(_) | Value::Object(_) => RawAnswer::Other,
        })
    }
}

impl FormField {
    /// Parses one raw JSON answer; `Ok(None)` is a blank optional answer.
    pub fn parse(&self, raw: Option<&serde_json::Value>) -> Result<Option<AnswerValue>, Message> {
        self.parse_raw(raw.and_then(RawAnswer::of))
    }

    /// Parses one raw answer; `Ok(None)` is a blank optional answer.
    pub fn parse_raw(&self, raw: Option<RawAnswer<'_>>) -> Result<Option<AnswerValue>, Message> {
        let raw = raw.filter(|raw| !matches!(raw, RawAnswer::Text(s) if s.trim().is_empty()));
        let Some(raw) = raw else {
            return match (&self.kind, self.required) {
                (FieldKind::Checkbox, true) => Err(Message::Tick),
                (FieldKind::Checkbox, false) => Ok(Some(AnswerValue::Checkbox(false))),
                (_, true) => Err(Message::Required),
                (_, false) => Ok(None),
            };
        };
        let value = match (&self.kind, raw) {
            (FieldKind::Text { max_length }, RawAnswer::Text(s)) => {
                AnswerValue::Text(text::clean(s, usize::from(*max_length), Lines::Single)?)
            }
            (FieldKind::LongText { max_length }, RawAnswer::Text(s)) => {
                AnswerValue::Text(text::clean(s, usize::from(*max_length), Lines::Multi)?)
            }
            (FieldKind::Number { min, max }, raw) => {
                let n = match raw {
                    RawAnswer::Number(n) => n,
                    RawAnswer::Text(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                }
                .ok_or(Message::WholeNumber)?;
                if n < *min || n > *max {
                    return Err(Message::NumberRange { min: *min, max: *max });
                }
                AnswerValue::Number(n)
            }
            (FieldKind::Select { options }, RawAnswer::Text(s)) => {
                let choice = options.iter().find(|o| o.as_str() == s.trim()).ok_or(Message::ChooseOption)?;
                AnswerValue::Select(choice.clone())
            }
            (FieldKind::Date { min, max }, RawAnswer::Text(s)) => {
                let date = crate::wire_time::parse_date(s.trim()).ok_or(Message::Date)?;
                if min.is_some_and(|m| date < m) || max.is_some_and(|m| date > m) {
                    return Err(Message::DateRange);
                }
                AnswerValue::Date(date)
            }
            (FieldKind::Checkbox, RawAnswer::Flag(ticked)) => {
                if self.required && !ticked {
                    return Err(Message::Tick);
                }
                AnswerValue::Checkbox(ticked)
            }
            (FieldKind::Checkbox, _) => return Err("Answer with true or false.".into()),
            _ => return Err("Enter text here.".into()),
        };
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn form() -> OrderForm {
        serde_json::from_value(json!({ "fields": [
            { "id": "make", "label": "Make", "kind": "text", "max_length": 10, "required": true },
            { "id": "year", "label": "Year", "kind": "number", "min": 1950, "max": 2027, "required": true },
            { "id": "fuel", "label": "Fuel", "kind": "select", "options": ["Petrol", "Diesel"] },
            { "id": "last", "label": "Last service", "kind": "date", "max": "2026-12-31" },
            { "id": "loan", "label": "Loan car", "kind": "checkbox" }
        ]}))
        .expect("form")
    }

    fn answers(v: serde_json::Value) -> BTreeMap<String, serde_json::Value> {
        serde_json::from_value(v).expect("answers")
    }

    #[test]
    fn good_answers_parse_with_their_labels() {
        let parsed = form().parse_answers(&answers(json!({
            "make": " Toyota ", "year": "2019", "fuel": "Diesel", "last": "2025-06-01"
        })));
        let parsed = parsed.expect("valid");
        assert_eq!(parsed.len(), 5, "the unticked checkbox is recorded as No");
        assert_eq!(parsed[0].value, AnswerValue::Text("Toyota".into()));
        assert_eq!(parsed[1].value, AnswerValue::Number(2019));
        assert_eq!(parsed[4].value, AnswerValue::Checkbox(false));
        assert_eq!(parsed[0].label, "Make");
    }

    #[test]
    fn every_bad_answer_is_named() {
        let errors = form()
            .parse_answers(&answers(json!({
                "make": "A very long make", "year": 1800, "fuel": "Steam", "last": "June", "loan": "yes", "colour": "red"
            })))
            .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "answers.colour",
                "answers.make",
                "answers.year",
                "answers.fuel",
                "answers.last",
                "answers.loan"
            ]
        );
    }

    #[test]
    fn unknown_keys_are_echoed_only_when_short_and_few() {
        let long = "x".repeat(5_000);
        let mut raw = answers(json!({ "make": "Toyota", "year": 2019 }));
        raw.insert(long.clone(), json!("a"));
        for i in 0..8 {
            raw.insert(format!("extra{i}"), json!("a"));
        }
        let errors = form().parse_answers(&raw).expect_err("invalid");
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "answers.extra0",
                "answers.extra1",
                "answers.extra2",
                "answers.extra3",
                "answers.extra4",
                "answers"
            ]
        );
        assert_eq!(errors[5].message, "4 more answer(s) name fields this form does not have.");
        assert!(errors.iter().all(|e| !e.field.contains(&long) && !e.message.english().contains(&long)));
    }

    #[test]
    fn text_answers_are_one_visible_line() {
        let make = &form().fields[0];
        assert_eq!(make.parse(Some(&json!("Toy\nota"))), Err("Keep this to a single line.".into()));
        assert!(make.parse(Some(&json!("Toy\u{202E}ota"))).is_err());
    }

    #[test]
    fn number_limits_stay_within_what_browsers_hold_exactly() {
        let mut designed = form();
        designed.fields[0].kind = FieldKind::Number { min: i64::MIN, max: 0 };
        designed.fields[1].kind = FieldKind::Number { min: 0, max: NUMBER_LIMIT + 1 };
        designed.fields[2].kind = FieldKind::Number { min: -NUMBER_LIMIT, max: NUMBER_LIMIT };
        let errors = designed.validated().expect_err("invalid");
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["form.fields[0].min", "form.fields[1].max"]);
    }

    #[test]
    fn a_designed_form_is_checked_part_by_part() {
        let mut designed = form();
        designed.fields[1].id = designed.fields[0].id.clone();
        designed.fields[2].kind = FieldKind::Select { options: vec!["A".into(), "A".into()] };
        designed.fields.push(FormField {
            id: FieldId::parse("f", "notes").expect("id"),
            label: " ".into(),
            required: false,
            help: None,
            kind: FieldKind::LongText { max_length: 0 },
        });
        let errors = designed.validated().expect_err("invalid");
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "form.fields[1].id",
                "form.fields[2].options[1]",
                "form.fields[5].label",
                "form.fields[5].max_length"
            ]
        );
        assert_eq!(form().validated(), Ok(form()));
    }

    #[test]
    fn long_text_answers_keep_their_lines() {
        let field = FormField {
            id: FieldId::parse("f", "fault").expect("id"),
            label: "Fault".into(),
            required: true,
            help: None,
            kind: FieldKind::LongText { max_length: 100 },
        };
        assert_eq!(
            field.parse(Some(&json!("Noise\r\nwhen braking"))),
            Ok(Some(AnswerValue::Text("Noise\nwhen braking".into())))
        );
    }

    #[test]
    fn a_json_answer_is_read_as_the_raw_answer_of_its_shape() {
        assert_eq!(RawAnswer::of(&json!(null)), None, "null leaves the field unanswered");
        assert_eq!(RawAnswer::of(&json!("Toyota")), Some(RawAnswer::Text("Toyota")));
        assert_eq!(RawAnswer::of(&json!(2019)), Some(RawAnswer::Number(Some(2019))));
        assert_eq!(RawAnswer::of(&json!(20.5)), Some(RawAnswer::Number(None)));
        assert_eq!(RawAnswer::of(&json!(u64::MAX)), Some(RawAnswer::Number(None)));
        assert_eq!(RawAnswer::of(&json!(true)), Some(RawAnswer::Flag(true)));
        assert_eq!(RawAnswer::of(&json!(["a"])), Some(RawAnswer::Other));
        assert_eq!(RawAnswer::of(&json!({ "a": 1 })), Some(RawAnswer::Other));
    }

    #[test]
    fn missing_required_answers_are_reported() {
        let errors = form().parse_answers(&BTreeMap::new()).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["answers.make", "answers.year"]);
    }

    proptest! {
        #[test]
        fn any_json_answer_is_handled_without_panicking(s in "\\PC{0,30}", n in any::<i64>(), b in any::<bool>()) {
            let f = form();
            for value in [json!(s), json!(n), json!(b), json!(null), json!([s.clone()])] {
                for field in &f.fields {
                    let _ = field.parse(Some(&value));
                }
            }
        }
    }
}
