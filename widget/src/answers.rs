//! The customer's answers to the site's order form, as typed: one per field the form has.
//!
//! Kept as text or a tick rather than as JSON values in a map: the widget checks them with the
//! domain's rules ([`OrderForm::parse_answers_with`]) and writes them into the request itself
//! ([`crate::write`]), so neither a JSON value type nor a B-tree map is in its download.

use jobslot_domain::FieldError;
use jobslot_domain::form::{Answer, OrderForm, RawAnswer};

/// One answer as the customer gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// What was typed or chosen (a number or a date is typed too).
    Text(String),
    /// A checkbox.
    Ticked(bool),
}

/// The answers so far, by field id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(Vec<(String, Answered)>);

impl Answers {
    /// The answer to field `id`.
    pub fn get(&self, id: &str) -> Option<&Answered> {
        self.0.iter().find(|(field, _)| field == id).map(|(_, answer)| answer)
    }

    /// The text typed for field `id` (empty when none).
    pub fn text(&self, id: &str) -> String {
        match self.get(id) {
            Some(Answered::Text(text)) => text.clone(),
            _ => String::new(),
        }
    }

    /// Answers field `id`; emptied text leaves it unanswered.
    pub fn set(&mut self, id: &str, answer: Answered) {
        self.0.retain(|(field, _)| field != id);
        if answer != Answered::Text(String::new()) {
            self.0.push((id.to_owned(), answer));
        }
    }

    /// The answers checked against `form`: every problem, keyed `answers.<field id>`.
    pub fn parse(&self, form: &OrderForm) -> Result<Vec<Answer>, Vec<FieldError>> {
        form.parse_answers_with(|id| {
            self.get(id).map(|answer| match answer {
                Answered::Text(text) => RawAnswer::Text(text),
                Answered::Ticked(ticked) => RawAnswer::Flag(*ticked),
            })
        })
    }
}
