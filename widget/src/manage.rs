//! The customer's manage page (`/manage/{site}/{number}?token=…`, linked from every e-mail
//! about the booking): the booking, and while online changes are open, another time or a
//! cancellation. The API decides what is still allowed; this page shows what it says.

use crate::api::ApiFailure;
use crate::flow::{Flow, use_flow};
use crate::format;
use crate::i18n::{Lang, fill};
use crate::write::Json;
use jobslot_domain::api::ProblemKind;
use jobslot_domain::manage::ManagedBooking;
use jobslot_domain::work_order::OrderStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Why the booking can no longer be changed here, in the page's language; the API's English
/// sentence when it gives no reason this page knows.
fn locked_line(lang: Lang, business: &str, booking: &ManagedBooking) -> Option<String> {
    match booking.locked_reason {
        Some(why) => Some(why.sentence(lang.language, business, booking.contact_phone.as_deref())),
        None => booking.locked.clone(),
    }
}

/// Runs `call`, then shows the booking it answers with on the overview with `done`.
fn act(
    flow: Flow,
    done: &'static str,
    call: impl AsyncFnOnce(&Flow) -> Result<ManagedBooking, ApiFailure> + 'static,
) {
    if flow.busy.get_untracked() {
        return;
    }
    flow.busy.set(true);
    spawn_local(async move {
        let outcome = call(&flow).await;
        flow.busy.set(false);
        match outcome {
            Ok(booking) => {
                flow.managed.set(Some(booking));
                flow.finish();
                flow.notice.set(None);
                flow.confirmed.set(Some(done));
            }
            Err(failure) if failure.kind() == Some(ProblemKind::SlotUnavailable) => {
                crate::steps::back_to_fresh_slots(&flow, &failure).await
            }
            Err(failure) => flow.show_failure(&failure),
        }
    });
}

/// The booking, what happened to it last, and the ways to change it while they are open.
#[component]
pub fn ManageStep() -> impl IntoView {
    let flow = use_flow();
    let (lang, hosted) = (flow.lang, flow.lang.hosted());
    let business = flow.config.business_name.clone();
    let (managed, busy, confirmed) = (flow.managed, flow.busy, flow.confirmed);
    let asking_cancel = RwSignal::new(false);
    let choose_time = {
        let flow = flow.clone();
        move |_| {
            flow.confirmed.set(None);
            crate::steps::find_slots(flow.clone(), None, crate::flow::Focus::Move);
        }
    };
    let cancel = {
        let flow = flow.clone();
        move |_| {
            let Some(link) = flow.link.clone() else { return };
            act(flow.clone(), hosted.cancelled, async move |flow: &Flow| flow.api.cancel(&link).await);
        }
    };
    move || {
        let booking = managed.get()?;
        let heading = match booking.order.status {
            OrderStatus::Cancelled => hosted.your_booking_cancelled,
            _ => hosted.your_booking,
        };
        let open = booking.changeable_until.is_some();
        let until = booking
            .changeable_until
            .zip(booking.order.booked.as_ref())
            .map(|(t, b)| format::date_time(lang, t, &b.time_zone));
        let (choose_time, cancel) = (choose_time.clone(), cancel.clone());
        Some(view! {
            <div class="step done" role="status">
                <h3 tabindex="-1">{heading}</h3>
                {move || confirmed.get().map(|c| view! { <p class="confirmed">{c}</p> })}
                <p>{hosted.work_order}" "<strong class="work-order-number">{booking.order.number.to_string()}</strong></p>
                {crate::linked::booked_line(lang, &booking.order).map(|w| view! { <p>{w}</p> })}
                <p>{booking.order.job.as_ref().map(|j| j.address.clone())}</p>
                {locked_line(lang, &business, &booking).map(|why| view! { <p class="hint">{why}</p> })}
                {open.then(|| view! {
                    <p class="hint">{fill(hosted.change_until, &[&until.clone().unwrap_or_default()])}</p>
                    <div class="actions">
                        <button type="button" on:click=choose_time.clone() disabled=move || busy.get()>{hosted.choose_another}</button>
                        {move || (!asking_cancel.get()).then(|| view! {
                            <button type="button" on:click=move |_| asking_cancel.set(true)>{hosted.cancel_booking}</button>
                        })}
                    </div>
                    {move || asking_cancel.get().then(|| view! {
                        <div class="confirm" role="group" aria-label=hosted.cancel_this>
                            <p>{hosted.cancel_explained}</p>
                            <button type="button" class="primary" on:click=cancel.clone() disabled=move || busy.get()>{hosted.yes_cancel}</button>
                            <button type="button" on:click=move |_| asking_cancel.set(false)>{hosted.keep_it}</button>
                        </div>
                    })}
                })}
            </div>
        })
    }
}

/// The new time, to confirm.
#[component]
pub fn ManageMoveStep() -> impl IntoView {
    let flow = use_flow();
    let (words, hosted) = (flow.lang.words, flow.lang.hosted());
    let (when, technician) = flow.chosen_slot_text();
    let busy = flow.busy;
    let confirm = {
        let flow = flow.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (Some(link), Some(slot)) = (flow.link.clone(), flow.chosen.get_untracked()) else { return };
            // A `RescheduleInput`.
            let body = Json::new()
                .text("technician", slot.technician.as_str())
                .text("start", &jobslot_domain::wire_time::format_timestamp(slot.start))
                .finish();
            act(flow.clone(), hosted.moved, async move |flow: &Flow| flow.api.reschedule(&link, &body).await);
        }
    };
    let back = {
        let flow = flow.clone();
        move |_| flow.choose_time()
    };
    view! {
        <form class="step" on:submit=confirm novalidate>
            <h3 tabindex="-1">{hosted.move_booking_title}</h3>
            <dl class="summary">
                <dt>{hosted.new_time}</dt><dd>{when}</dd>
                <dt>{words.technician}</dt><dd>{technician}</dd>
            </dl>
            <div class="actions">
                <button type="button" on:click=back disabled=move || busy.get()>{words.back}</button>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { hosted.moving } else { hosted.move_booking }}
                </button>
            </div>
        </form>
    }
}
