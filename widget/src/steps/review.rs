//! Step 5: everything at a glance, the terms, and the one button that books.

use super::contact::contact_input;
use crate::fields::{FieldError, invalid};
use crate::flow::{Flow, Step, use_flow};
use crate::format;
use jobslot_domain::api::{ProblemKind, SubmitWorkOrder};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A key for one submission; retries of it reuse the key, so they never book twice.
fn new_idempotency_key() -> String {
    let uuid = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid());
    uuid.unwrap_or_else(|| {
        // randomUUID needs a secure context; plain-http sites get a random key this way.
        (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * f64::from(u32::MAX)) as u32)).collect()
    })
}

fn submission(flow: &Flow) -> Option<SubmitWorkOrder> {
    let slot = flow.chosen.get_untracked()?;
    let (contact, address) = contact_input(flow);
    Some(SubmitWorkOrder {
        service: flow.service.get_untracked(),
        technician: slot.technician.to_string(),
        start: slot.start.to_string(),
        postcode: flow.postcode.get_untracked(),
        address,
        answers: flow.answers.get_untracked(),
        contact,
        notes: flow.contact.notes.get_untracked(),
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
        return flow.show_errors(vec![jobslot_domain::FieldError::new(
            "terms_accepted",
            "Accept the terms to book.",
        )]);
    }
    let key = flow.idempotency_key.get_untracked().unwrap_or_else(new_idempotency_key);
    flow.idempotency_key.set(Some(key.clone()));
    flow.busy.set(true);
    flow.notice.set(None);
    spawn_local(async move {
        let result = flow.api.submit(&key, &body).await;
        flow.busy.set(false);
        match result {
            Ok(created) => {
                flow.idempotency_key.set(None);
                flow.booked.set(Some(created));
                flow.go(Step::Done);
            }
            Err(failure) => {
                // A problem document means this body was refused: the next one is a new request.
                // A network failure keeps the key, so pressing again cannot book twice.
                if matches!(failure, crate::api::ApiFailure::Problem(_)) {
                    flow.idempotency_key.set(None);
                }
                if failure.kind() == Some(ProblemKind::SlotUnavailable) {
                    // Back to the times, freshly fetched, with the reason beside them.
                    flow.chosen.set(None);
                    match super::load_slots(&flow, None).await {
                        Ok(()) => {
                            flow.go(Step::Slots);
                            flow.errors.set(failure.field_errors());
                        }
                        Err(reload) => flow.show_failure(&reload),
                    }
                } else {
                    flow.show_failure(&failure);
                }
            }
        }
    });
}

/// The summary, the terms and the submit button.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let flow = use_flow();
    let config = flow.config.clone();
    let zone = config.time_zone.clone();
    let slot = flow.chosen.get_untracked();
    let service = config.services.iter().find(|s| s.id.as_str() == flow.service.get_untracked()).cloned();
    let technician = flow
        .slots
        .with_untracked(|s| {
            let slot = slot.as_ref()?;
            s.as_ref()?.technicians.iter().find(|t| t.id == slot.technician).map(|t| t.name.clone())
        })
        .unwrap_or_default();
    let answers = config.order_form.parse_answers(&flow.answers.get_untracked()).unwrap_or_default();
    let (contact, address) = contact_input(&flow);
    let c = flow.contact;
    let (busy, terms) = (flow.busy, flow.terms);
    let when = slot.as_ref().map(|s| format::date_time(s.start, &zone)).unwrap_or_default();
    let what = service.map(|s| format!("{} · {}", s.name, format::money(s.price))).unwrap_or_default();
    let place = [address.line1, address.line2, address.city, flow.postcode.get_untracked()]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let on_submit = {
        let flow = flow.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            submit(flow.clone());
        }
    };
    let back = {
        let flow = flow.clone();
        move |_| flow.go(Step::Contact)
    };
    view! {
        <form class="step" on:submit=on_submit novalidate>
            <h3>"Check and book"</h3>
            <dl class="summary">
                <dt>"Service"</dt><dd>{what}</dd>
                <dt>"When"</dt><dd>{when}</dd>
                <dt>"Technician"</dt><dd>{technician}</dd>
                <dt>"Where"</dt><dd>{place}</dd>
                <dt>"Contact"</dt><dd>{format!("{} · {} · {}", contact.name, contact.email, contact.phone)}</dd>
                {answers.into_iter().map(|a| view! { <dt>{a.label}</dt><dd>{a.value.to_string()}</dd> }).collect_view()}
                {move || { let n = c.notes.get(); (!n.trim().is_empty()).then(|| view! { <dt>"Notes"</dt><dd>{n}</dd> }) }}
            </dl>
            <div class="terms" tabindex="0" aria-label="Terms and conditions">{config.terms.clone()}</div>
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
