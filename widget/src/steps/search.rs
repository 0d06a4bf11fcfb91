//! Step 1: the service and the postcode.

use crate::api::ApiFailure;
use crate::fields::{FieldError, TextField};
use crate::flow::{Flow, Step, use_flow};
use crate::format;
use jiff::civil::Date;
use jobslot_domain::api::SlotsQuery;
use jobslot_domain::postcode::Postcode;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Days of slots asked for at a time.
const DAYS_PER_PAGE: u16 = 7;

/// Asks for the service and postcode, then looks up who is free.
#[component]
pub fn SearchStep() -> impl IntoView {
    let flow = use_flow();
    let (service, busy) = (flow.service, flow.busy);
    let services = flow.config.services.clone();
    let label = flow.config.postcode_label.clone();
    let submit = {
        let flow = flow.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            find_slots(flow.clone(), None);
        }
    };
    view! {
        <form class="step" on:submit=submit novalidate>
            <h3>"What do you need, and where?"</h3>
            <div class="field">
                <label for="jobslot-service">"Service"</label>
                <select id="jobslot-service" on:change=move |ev| service.set(event_target_value(&ev))>
                    {services
                        .into_iter()
                        .map(|s| {
                            let id = s.id.to_string();
                            let selected = id.clone();
                            view! {
                                <option value=id selected=move || service.get() == selected>
                                    {format!("{} · {} min · {}", s.name, s.duration_minutes, format::money(s.price))}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError field="service".to_owned() />
            </div>
            <TextField label=label field="postcode".to_owned() value=flow.postcode autocomplete="postal-code" required=true max_length=10 />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Searching…" } else { "Find times" }}
                </button>
            </div>
        </form>
    }
}

/// Checks the postcode here, then fetches free slots from `from` (today when `None`) and shows
/// them; a postcode nobody serves is reported beside the postcode field.
pub fn find_slots(flow: Flow, from: Option<Date>) {
    if flow.busy.get_untracked() {
        return;
    }
    match Postcode::parse("postcode", flow.config.country, &flow.postcode.get_untracked()) {
        Ok(postcode) => flow.postcode.set(postcode.to_string()),
        Err(error) => return flow.show_errors(vec![error]),
    }
    spawn_local(async move {
        match load_slots(&flow, from).await {
            Ok(()) => flow.go(Step::Slots),
            Err(failure) => flow.show_failure(&failure),
        }
    });
}

/// Fetches free slots for the postcode and service in the flow into `flow.slots`.
pub async fn load_slots(flow: &Flow, from: Option<Date>) -> Result<(), ApiFailure> {
    let query = SlotsQuery {
        postcode: flow.postcode.get_untracked(),
        service: flow.service.get_untracked(),
        from: from.map(|d| d.to_string()),
        days: Some(DAYS_PER_PAGE),
    };
    flow.busy.set(true);
    let result = flow.api.slots(&query).await;
    flow.busy.set(false);
    flow.slots.set(Some(result?));
    Ok(())
}
