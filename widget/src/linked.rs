//! The hosted booking page of a work order created in advance (seed 003's connector). The
//! order already has its service, address and customer, so the customer only picks a slot,
//! accepts the terms and books; then the page sends them back to the integrator's
//! `callback_uri`, which the API has checked against the site's allowed origins.

use crate::flow::{Flow, use_flow};
use crate::format;
use crate::i18n::{Lang, fill};
use crate::steps::ReviewForm;
use crate::write::Json;
use jobslot_domain::api::ProblemKind;
use jobslot_domain::connector::LinkedOrder;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Sends the browser back to the integrator, if the link asked to return.
fn return_now(order: &LinkedOrder) {
    if let (Some(url), Some(window)) = (&order.return_to, web_sys::window()) {
        let _ = window.location().assign(url);
    }
}

fn book(flow: Flow) {
    let (Some(link), Some(slot)) = (flow.link.clone(), flow.chosen.get_untracked()) else {
        return flow.choose_time();
    };
    if flow.busy.get_untracked() {
        return;
    }
    if !flow.terms.get_untracked() {
        let error =
            jobslot_domain::FieldError::new("terms_accepted", jobslot_domain::message::Message::AcceptTerms);
        return flow.show_errors(vec![error]);
    }
    // A `LinkBookingInput`.
    let body = Json::new()
        .text("technician", slot.technician.as_str())
        .text("start", &jobslot_domain::wire_time::format_timestamp(slot.start))
        .flag("terms_accepted", true)
        .text("callback_uri", &link.callback_uri)
        .finish();
    flow.busy.set(true);
    flow.notice.set(None);
    spawn_local(async move {
        let outcome = flow.api.book_linked(&link, &body).await;
        flow.busy.set(false);
        match outcome {
            Ok(order) => {
                return_now(&order);
                flow.linked_order.set(Some(order));
                flow.finish();
            }
            Err(failure) if failure.kind() == Some(ProblemKind::SlotUnavailable) => {
                crate::steps::back_to_fresh_slots(&flow, &failure).await
            }
            Err(failure) => flow.show_failure(&failure),
        }
    });
}

/// The order, the chosen time, the terms and the book button.
#[component]
pub fn LinkedReviewStep() -> impl IntoView {
    let flow = use_flow();
    let (words, hosted) = (flow.lang.words, flow.lang.hosted());
    let order = flow.linked_order.get_untracked();
    let (when, technician) = flow.chosen_slot_text();
    let shown = |f: fn(&LinkedOrder) -> Option<String>| order.as_ref().and_then(f).unwrap_or_default();
    let (number, service, place, customer) = (
        shown(|o| Some(o.number.to_string())),
        shown(|o| Some(o.service_name.clone())),
        shown(|o| o.job.as_ref().map(|j| j.address.clone())),
        shown(|o| o.job.as_ref().map(|j| j.customer.clone())),
    );
    view! {
        <ReviewForm book=book>
            <dl class="summary">
                <dt>{hosted.work_order}</dt><dd>{number}</dd>
                <dt>{words.service}</dt><dd>{service}</dd>
                <dt>{words.when}</dt><dd>{when}</dd>
                <dt>{words.technician}</dt><dd>{technician}</dd>
                <dt>{words.where_}</dt><dd>{place}</dd>
                <dt>{hosted.for_}</dt><dd>{customer}</dd>
            </dl>
        </ReviewForm>
    }
}

/// The order as booked (or why it takes no booking), and the way back to the integrator.
#[component]
pub fn LinkedDoneStep() -> impl IntoView {
    let flow = use_flow();
    let (lang, hosted) = (flow.lang, flow.lang.hosted());
    let order = flow.linked_order.get_untracked()?;
    let business = flow.config.business_name.clone();
    let heading = match (&order.booked, order.status) {
        (Some(_), _) => lang.words.booked.to_owned(),
        (None, status) => fill(hosted.status_is, &[&status.customer_phrase(lang.language)]),
    };
    let when = booked_line(lang, &order);
    Some(view! {
        <div class="step done" role="status">
            <h3 tabindex="-1">{heading}</h3>
            <p>{hosted.work_order}" "<strong class="work-order-number">{order.number.to_string()}</strong></p>
            {when.map(|w| view! { <p>{w}</p> })}
            {order.booked.is_none().then(|| view! { <p class="hint">{fill(hosted.contact_to_book, &[&business])}</p> })}
            {order.return_to.clone().map(|url| view! { <p><a class="primary" href=url>{hosted.continue_}</a></p> })}
        </div>
    })
}

/// The booked time of `order` in one sentence: the service, with whom, when.
pub fn booked_line(lang: Lang, order: &LinkedOrder) -> Option<String> {
    order.booked.as_ref().map(|b| {
        let time = format::date_time(lang, b.start, &b.time_zone);
        fill(lang.words.booked_with, &[&order.service_name, &b.technician_name, &time])
    })
}
