//! Step 5: everything at a glance, the terms, and the one button that books.

use super::contact::contact_input;
use crate::answers::Answered;
use crate::api::ApiFailure;
use crate::fields::{FieldError, invalid};
use crate::flow::{Flow, use_flow};
use crate::format;
use crate::i18n::Words;
use crate::submit::{self, Booked};
use crate::write::Json;
use jobslot_domain::api::ProblemKind;
use jobslot_domain::form::AnswerValue;
use jobslot_domain::wire_time;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The `SubmitWorkOrder` the flow asks for, as JSON text; none before a slot is chosen.
pub fn submission(flow: &Flow) -> Option<String> {
    let slot = flow.chosen.get_untracked()?;
    let (contact, address) = contact_input(flow);
    let contact =
        Json::new().text("name", &contact.name).text("email", &contact.email).text("phone", &contact.phone);
    let address =
        Json::new().text("line1", &address.line1).text("line2", &address.line2).text("city", &address.city);
    // In the form's order, not the order the customer answered in: a retry of the same
    // answers must be the same text, or it would pass for a changed booking (`submit::book`).
    let answers = flow.answers.with_untracked(|answers| {
        flow.config.order_form.fields.iter().fold(Json::new(), |json, field| {
            let id = field.id.as_str();
            match answers.get(id) {
                Some(Answered::Text(value)) => json.text(id, value),
                Some(Answered::Ticked(ticked)) => json.flag(id, *ticked),
                None => json,
            }
        })
    });
    let tracking = crate::embed::tracking();
    // The job's fields sit beside the slot's: `SubmitWorkOrder` flattens its `JobInput`.
    let mut body = Json::new()
        .text("service", &flow.service.get_untracked())
        .text("postcode", &flow.postcode.get_untracked())
        .object("address", address)
        .object("answers", answers)
        .object("contact", contact)
        .text("notes", &flow.contact.notes.get_untracked());
    if !tracking.is_empty() {
        body = body.object("tracking", tracking.iter().fold(Json::new(), |json, (k, v)| json.text(k, v)));
    }
    let body = body
        .text("technician", slot.technician.as_str())
        .text("start", &wire_time::format_timestamp(slot.start))
        .flag("terms_accepted", flow.terms.get_untracked());
    Some(body.finish())
}

fn submit(flow: Flow) {
    if flow.busy.get_untracked() {
        return;
    }
    let Some(body) = submission(&flow) else {
        return flow.choose_time();
    };
    if !flow.terms.get_untracked() {
        let error =
            jobslot_domain::FieldError::new("terms_accepted", jobslot_domain::message::Message::AcceptTerms);
        return flow.show_errors(vec![error]);
    }
    flow.busy.set(true);
    flow.notice.set(None);
    spawn_local(async move {
        let outcome = book(&flow, body).await;
        flow.busy.set(false);
        match outcome {
            Ok(Booked { created, earlier }) => {
                let (number, start) =
                    (created.number.to_string(), wire_time::format_timestamp(created.start));
                flow.host.emit(
                    "jobslot:booked",
                    &[("number", &number), ("service", &flow.service.get_untracked()), ("start", &start)],
                );
                // The confirmation shows while the site's own page loads, if it named one.
                flow.host.redirect_after_booking(&number, &flow.config.allowed_origins);
                flow.booked.set(Some(created));
                flow.finish();
                if earlier {
                    flow.notice.set(Some(flow.lang.words.earlier_booking.into()));
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
    flow.taken.set(flow.chosen.get_untracked());
    flow.chosen.set(None);
    match super::load_slots(flow, None).await {
        Ok(()) => {
            flow.choose_time();
            flow.errors.set(failure.field_errors());
        }
        Err(reload) => flow.show_failure(&reload),
    }
}

/// Sends `body` under the flow's pending submission rules ([`crate::submit`]).
async fn book(flow: &Flow, body: String) -> Result<Booked, ApiFailure> {
    let api = flow.api.clone();
    submit::book(flow.pending, body, submit::new_idempotency_key, move |key, body| {
        let api = api.clone();
        async move { api.submit(&key, &body).await }
    })
    .await
}

/// An answer as the summary shows it: a ticked box in the widget's language.
fn answer_text(value: AnswerValue, words: &Words) -> String {
    match value {
        AnswerValue::Checkbox(ticked) => (if ticked { words.yes } else { words.no }).to_owned(),
        other => other.to_string(),
    }
}

/// The summary, the terms and the submit button.
#[component]
pub fn ReviewStep() -> impl IntoView {
    let flow = use_flow();
    let config = flow.config.clone();
    let service = config.services.iter().find(|s| s.id.as_str() == flow.service.get_untracked()).cloned();
    let (when, technician) = flow.chosen_slot_text();
    let answers =
        flow.answers.with_untracked(|answers| answers.parse(&config.order_form)).unwrap_or_default();
    let (contact, address) = contact_input(&flow);
    let c = flow.contact;
    let (lang, w) = (flow.lang, flow.lang.words);
    let what = service.map(|s| format!("{} · {}", s.name, format::money(lang, s.price))).unwrap_or_default();
    let place = [address.line1, address.line2, address.city, flow.postcode.get_untracked()]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <ReviewForm book=submit>
            <dl class="summary">
                <dt>{w.service}</dt><dd>{what}</dd>
                <dt>{w.when}</dt><dd>{when}</dd>
                <dt>{w.technician}</dt><dd>{technician}</dd>
                <dt>{w.where_}</dt><dd>{place}</dd>
                <dt>{w.contact}</dt><dd>{format!("{} · {} · {}", contact.name, contact.email, contact.phone)}</dd>
                {answers.into_iter().map(|a| view! { <dt>{a.label}</dt><dd>{answer_text(a.value, w)}</dd> }).collect_view()}
                {move || { let n = c.notes.get(); (!n.trim().is_empty()).then(|| view! { <dt>{w.notes_short}</dt><dd>{n}</dd> }) }}
            </dl>
        </ReviewForm>
    }
}

/// A review's frame around its summary: the site's terms to accept, and back and book.
#[component]
pub fn ReviewForm(
    /// What "Book now" does.
    book: fn(Flow),
    children: Children,
) -> impl IntoView {
    let flow = use_flow();
    let (busy, terms, w) = (flow.busy, flow.terms, flow.lang.words);
    let on_submit = {
        let flow = flow.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            book(flow.clone());
        }
    };
    let back = {
        let flow = flow.clone();
        move |_| flow.back()
    };
    view! {
        <form class="step" on:submit=on_submit novalidate>
            <h3 tabindex="-1">{w.check_and_book}</h3>
            {children()}
            <div class="terms" id="jobslot-terms">{flow.config.terms.clone()}</div>
            <div class="field checkbox">
                <input id="jobslot-terms-accepted" type="checkbox" aria-invalid=invalid("terms_accepted")
                    aria-describedby="jobslot-terms jobslot-terms-accepted-error"
                    prop:checked=move || terms.get() on:change=move |ev| terms.set(event_target_checked(&ev)) />
                <label for="jobslot-terms-accepted">{w.accept_terms}</label>
                <FieldError field="terms_accepted".to_owned() />
            </div>
            <div class="actions">
                <button type="button" on:click=back disabled=move || busy.get()>{w.back}</button>
                <button type="submit" class="primary" disabled=move || busy.get() aria-busy=move || busy.get().then_some("true")>
                    {move || if busy.get() { w.booking } else { w.book_now }}
                </button>
            </div>
        </form>
    }
}
