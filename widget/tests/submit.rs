//! The submit/retry protocol, with the network's failures made to happen: lost answers, server
//! errors and refusals, in the order a hurried customer on a bad connection meets them.
#![cfg(target_arch = "wasm32")]

use jobslot_domain::api::{Problem, WorkOrderCreated};
use jobslot_widget::api::ApiFailure;
use jobslot_widget::submit::{Booked, PendingSubmission, book};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A request body: the protocol only compares and resends them, so any text stands for one.
fn body(notes: &str) -> String {
    notes.to_owned()
}

fn created(number: &str) -> WorkOrderCreated {
    serde_json::from_value(serde_json::json!({
        "number": number, "status": "new", "service_name": "Basic service", "technician_name": "Sam",
        "start": "2026-11-23T22:00:00Z", "end": "2026-11-23T23:00:00Z", "time_zone": "Australia/Sydney"
    }))
    .expect("created")
}

fn problem(status: u16) -> ApiFailure {
    ApiFailure::Problem(
        serde_json::from_value::<Problem>(serde_json::json!({
            "type": "https://jobslot.dev/problems/x", "title": "x", "status": status
        }))
        .expect("problem"),
    )
}

/// What the fake API answers, in order, and what it was sent.
#[derive(Clone, Default)]
struct Api {
    answers: Rc<RefCell<VecDeque<Result<WorkOrderCreated, ApiFailure>>>>,
    sent: Rc<RefCell<Vec<(String, String)>>>,
}

impl Api {
    fn answering(answers: Vec<Result<WorkOrderCreated, ApiFailure>>) -> Self {
        Self { answers: Rc::new(RefCell::new(answers.into())), ..Default::default() }
    }

    /// Sends `body` through the protocol, with keys `k1`, `k2`, … for new submissions.
    async fn book(
        &self,
        pending: RwSignal<Option<PendingSubmission>>,
        body: String,
    ) -> Result<Booked, ApiFailure> {
        let keys = self.sent.borrow().len() + 1;
        let api = self.clone();
        book(
            pending,
            body,
            move || format!("k{keys}"),
            move |key, body| {
                let api = api.clone();
                async move {
                    api.sent.borrow_mut().push((key, body));
                    api.answers.borrow_mut().pop_front().expect("an answer")
                }
            },
        )
        .await
    }

    fn sent(&self) -> Vec<(String, String)> {
        self.sent.borrow().clone()
    }
}

fn sent(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), (*n).to_owned())).collect()
}

#[wasm_bindgen_test]
async fn a_lost_answer_is_retried_under_the_same_key() {
    let pending = RwSignal::new(None);
    let api = Api::answering(vec![Err(ApiFailure::Network("reset".into())), Ok(created("WO-00000001"))]);
    assert!(api.book(pending, body("")).await.is_err());
    assert!(pending.get_untracked().is_some(), "the outcome is unknown");
    let booked = api.book(pending, body("")).await.expect("booked");
    assert_eq!((booked.created.number.to_string(), booked.earlier), ("WO-00000001".into(), false));
    assert_eq!(api.sent(), sent(&[("k1", ""), ("k1", "")]), "one key: it can never book twice");
    assert!(pending.get_untracked().is_none());
}

#[wasm_bindgen_test]
async fn a_change_after_a_lost_answer_first_settles_the_earlier_attempt() {
    let pending = RwSignal::new(None);
    let api = Api::answering(vec![Err(problem(503)), Ok(created("WO-00000002"))]);
    assert!(api.book(pending, body("gate code 1")).await.is_err());
    let booked = api.book(pending, body("gate code 2")).await.expect("booked");
    assert!(booked.earlier, "the earlier attempt had booked; the change was not sent");
    assert_eq!(api.sent(), sent(&[("k1", "gate code 1"), ("k1", "gate code 1")]));
}

#[wasm_bindgen_test]
async fn an_earlier_attempt_that_was_refused_frees_the_change_to_go_under_a_new_key() {
    let pending = RwSignal::new(None);
    let api = Api::answering(vec![
        Err(ApiFailure::Network("timeout".into())),
        Err(problem(409)),
        Ok(created("WO-00000003")),
    ]);
    assert!(api.book(pending, body("first")).await.is_err());
    let booked = api.book(pending, body("second")).await.expect("booked");
    assert!(!booked.earlier);
    assert_eq!(api.sent(), sent(&[("k1", "first"), ("k1", "first"), ("k2", "second")]), "a new key");
}

#[wasm_bindgen_test]
async fn a_refusal_is_final_and_the_next_attempt_is_a_new_request() {
    let pending = RwSignal::new(None);
    let api = Api::answering(vec![Err(problem(422)), Ok(created("WO-00000004"))]);
    assert!(api.book(pending, body("")).await.is_err());
    assert!(pending.get_untracked().is_none(), "a 4xx booked nothing");
    api.book(pending, body("")).await.expect("booked");
    assert_eq!(api.sent(), sent(&[("k1", ""), ("k2", "")]));
}
