//! The confirmation.

use crate::flow::use_flow;
use crate::format;
use leptos::prelude::*;

/// Shows the work-order number and the booked time.
#[component]
pub fn DoneStep() -> impl IntoView {
    let flow = use_flow();
    let booked = flow.booked.get_untracked();
    booked.map(|b| {
        let when = format::date_time(b.start, &b.time_zone);
        view! {
            <div class="step done" role="status">
                <h3>"You're booked!"</h3>
                <p>"Your work order number is "<strong class="work-order-number">{b.number.to_string()}</strong>"."</p>
                <p>{format!("{} with {}, {}.", b.service_name, b.technician_name, when)}</p>
                <p class="hint">"Keep this number: quote it if you need to change the booking."</p>
            </div>
        }
    })
}
