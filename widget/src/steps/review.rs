//! Step 5: everything at a glance, the terms, and the one button that books.

use super::contact::contact_input;
use crate::api::ApiFailure;
use crate::fields::{FieldError, invalid};
use crate::flow::{Flow, PendingSubmission, Step, use_flow};
use crate::format;
use jobslot_domain::api::{JobInput, ProblemKind, SubmitWorkOrder, WorkOrderCreated};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A fresh idempotency key: 128 random bits as hex. (`crypto.randomUUID` would throw on
/// plain-http pages; `getRandomValues` works everywhere.)
fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if crypto.is_none_or(|c| c.get_random_values_with_u8_array(&mut bytes).is_err()) {
        bytes.iter_mut().for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn submission(flow: &Flow) -> Option<SubmitWorkOrder> {
    let slot = flow.chosen.get_untracked()?;
    let (contact, address) = contact_input(flow);
    let job = JobInput {
        service: flow.service.get_untracked(),
        postcode: flow.postcode.get_untracked(),
        address,
        answers: flow.answers.get_untracked(),
        contact,
        notes: flow.contact.notes.get_untracked(),
    };
    Some(SubmitWorkOrder {
        job,
        technician: slot.technician.to_string(),
        start: slot.start.to_string(),
        terms_accepted: flow.terms.get_untracked(),
    })
}

fn submit(flow: Flow) {
    if flow.busy.get_untracked() {
        return;
    }
    let Some(body) = submission(&flow) else {
        return flow.go(Step::Slots);
    };
    if !body.terms_accepted {
        let error = jobslot_domain::FieldError::new("terms_accepted", "Accept the terms to book.");
        return flow.show_errors(vec![error]);
    }
    flow.busy.set(true);
    flow.notice.set(None);
    spawn_local(async move {
        let outcome = book(&flow, body).await;
        flow.busy.set(false);
        match outcome {
            Ok(Booked { created, earlier }) => {
                flow.booked.set(Some(created));
                flow.go(Step::Done);
                if earlier {
                    flow.notice.set(Some(EARLIER_BOOKING.into()));
                }
            }
            Err(failure) if failure.kind() == Some(ProblemKind::SlotUnavailable) => {
                back_to_fresh_slots(&flow, &failure).await
            }
            Err(failure) => flow.show_failure(&failure),
        }
    });
}

/// Back to the times, freshly fetched, with the reason the chosen one failed beside them.
pub async fn back_to_fresh_slots(flow: &Flow, failure: &ApiFailure) {
    flow.chosen.set(None);
    match super::load_slots(flow, None).await {
        Ok(()) => {
            flow.go(Step::Slots);
            flow.errors.set(failure.field_errors());
        }
        Err(reload) => flow.show_failure(&reload),
    }
}

const EARLIER_BOOKING: &str = "Your booking went through before the connection dropped. \
Changes made after that were not saved: contact us to update them.";

/// A successful booking, and whether it was an earlier attempt's.
struct Booked {
    created: WorkOrderCreated,
    earlier: bool,
}

/// Sends `body`, first settling an earlier attempt whose answer never arrived (it may have
/// booked; resending it under its key can only return that booking, never make another).
async fn book(flow: &Flow, body: SubmitWorkOrder) -> Result<Booked, ApiFailure> {
    if let Some(earlier) = flow.pending.get_untracked().filter(|p| p.body != body) {
        match flow.api.submit(&earlier.key, &earlier.body).await {
            Ok(created) => {
                flow.pending.set(None);
                return Ok(Booked { created, earlier: true });
            }
            Err(failure) if is_final(&failure) => flow.pending.set(None),
            Err(failure) => return Err(failure),
        }
    }
    let key = flow.pending.get_untracked().map_or_else(new_idempotency_key, |p| p.key);
    flow.pending.set(Some(PendingSubmission { key: key.clone(), body: body.clone() }));
    let result = flow.api.submit(&key, &body).await;
    if result.as_ref().map_or_else(is_final, |_| true) {
        flow.pending.set(None);
    }
    result.map(|created| Booked { created, earlier: false })
}

/// True when the API definitely refused the request (a 4xx): nothing was booked, so the next
/// attempt is a new request. Network failures and 5xx leave the outcome unknown.
fn is_final(failure: &ApiFailure) -> bool {
    matches!(failure, ApiFailure::Problem(p) if (400..500).contains(&p.status))
}

/// The summary, the terms and the submit button.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let flow = use_flow();
    let config = flow.config.clone();
    let service = config.services.iter().find(|s| s.id.as_str() == flow.service.get_untracked()).cloned();
    let (when, technician) = flow.chosen_slot_text();
    let answers = config.order_form.parse_answers(&flow.answers.get_untracked()).unwrap_or_default();
    let (contact, address) = contact_input(&flow);
    let c = flow.contact;
    let what = service.map(|s| format!("{} · {}", s.name, format::money(s.price))).unwrap_or_default();
    let place = [address.line1, address.line2, address.city, flow.postcode.get_untracked()]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <ReviewForm back_to=Step::Contact book=submit>
            <dl class="summary">
                <dt>"Service"</dt><dd>{what}</dd>
                <dt>"When"</dt><dd>{when}</dd>
                <dt>"Technician"</dt><dd>{technician}</dd>
                <dt>"Where"</dt><dd>{place}</dd>
                <dt>"Contact"</dt><dd>{format!("{} · {} · {}", contact.name, contact.email, contact.phone)}</dd>
                {answers.into_iter().map(|a| view! { <dt>{a.label}</dt><dd>{a.value.to_string()}</dd> }).collect_view()}
                {move || { let n = c.notes.get(); (!n.trim().is_empty()).then(|| view! { <dt>"Notes"</dt><dd>{n}</dd> }) }}
            </dl>
        </ReviewForm>
    }
}

/// A review's frame around its summary: the site's terms to accept, and back and book.
#[component]
pub fn ReviewForm(
    /// Where "Back" goes.
    back_to: Step,
    /// What "Book now" does.
    book: fn(Flow),
    children: Children,
) -> impl IntoView {
    let flow = use_flow();
    let (busy, terms) = (flow.busy, flow.terms);
    let on_submit = {
        let flow = flow.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            book(flow.clone());
        }
    };
    let back = {
        let flow = flow.clone();
        move |_| flow.go(back_to)
    };
    view! {
        <form class="step" on:submit=on_submit novalidate>
            <h3>"Check and book"</h3>
            {children()}
            <div class="terms" tabindex="0" aria-label="Terms and conditions">{flow.config.terms.clone()}</div>
            <div class="field checkbox">
                <input id="jobslot-terms-accepted" type="checkbox" aria-invalid=invalid("terms_accepted")
                    aria-describedby="jobslot-terms-accepted-error"
                    prop:checked=move || terms.get() on:change=move |ev| terms.set(event_target_checked(&ev)) />
                <label for="jobslot-terms-accepted">"I accept the terms and conditions"</label>
                <FieldError field="terms_accepted".to_owned() />
            </div>
            <div class="actions">
                <button type="button" on:click=back disabled=move || busy.get()>"Back"</button>
                <button type="submit" class="primary" disabled=move || busy.get() aria-busy=move || busy.get().then_some("true")>
                    {move || if busy.get() { "Booking…" } else { "Book now" }}
                </button>
            </div>
        </form>
    }
}
