//! The confirmation.

use crate::flow::use_flow;
use crate::format;
use crate::i18n::fill;
use leptos::prelude::*;

/// Shows the work-order number and the booked time.
#[component]
pub fn DoneStep() -> impl IntoView {
    let flow = use_flow();
    let booked = flow.booked.get_untracked();
    let (lang, w) = (flow.lang, flow.lang.words);
    booked.map(|b| {
        let when = format::date_time(lang, b.start, &b.time_zone);
        let (before, after) = w.number_is.split_once("{}").unwrap_or((w.number_is, ""));
        view! {
            <div class="step done" role="status">
                <h3 tabindex="-1">{w.booked}</h3>
                <p>{before}<strong class="work-order-number">{b.number.to_string()}</strong>{after}</p>
                <p>{fill(w.booked_with, &[&b.service_name, &b.technician_name, &when])}</p>
                <p class="hint">{w.keep_number}</p>
            </div>
        }
    })
}
