//! Step 1: the service and the postcode.

use crate::api::ApiFailure;
use crate::fields::{FieldError, TextField};
use crate::flow::{Flow, Focus, use_flow};
use crate::format;
use crate::i18n::fill;
use jiff::civil::Date;
use jobslot_domain::api::{SlotsQuery, SlotsResponse};
use jobslot_domain::postcode::Postcode;
use jobslot_domain::wire_time;
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
    let (lang, words) = (flow.lang, flow.lang.words);
    // The site names its postcodes ("ZIP code") in English; the catalogue has its own word.
    let label = if words.postcode.is_empty() {
        flow.config.postcode_label.clone()
    } else {
        words.postcode.to_owned()
    };
    let submit = {
        let flow = flow.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            find_slots(flow.clone(), None, Focus::Move);
        }
    };
    view! {
        <form class="step" on:submit=submit novalidate>
            <h3 tabindex="-1">{words.what_and_where}</h3>
            <div class="field">
                <label for="jobslot-service">{words.service}</label>
                <select id="jobslot-service" on:change=move |ev| service.set(event_target_value(&ev))>
                    {services
                        .into_iter()
                        .map(|s| {
                            let id = s.id.to_string();
                            let selected = id.clone();
                            view! {
                                <option value=id selected=move || service.get() == selected>
                                    {format!("{} · {} · {}", s.name, fill(words.minutes, &[&s.duration_minutes.to_string()]), format::money(lang, s.price))}
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
                    {move || if busy.get() { words.searching } else { words.find_times }}
                </button>
            </div>
        </form>
    }
}

/// Checks the postcode here, then fetches free slots from `from` (today when `None`) and shows
/// them; a postcode nobody serves is reported beside the postcode field.
pub fn find_slots(flow: Flow, from: Option<Date>, focus: Focus) {
    if flow.busy.get_untracked() {
        return;
    }
    match Postcode::parse("postcode", flow.config.country, &flow.postcode.get_untracked()) {
        Ok(postcode) => flow.postcode.set(postcode.to_string()),
        Err(error) => return flow.show_errors_with(vec![error], focus),
    }
    spawn_local(async move {
        match load_slots(&flow, from).await {
            Ok(()) => flow.found_slots(focus),
            Err(failure) => flow.show_failure_with(&failure, focus),
        }
    });
}

/// Most pages of empty days skipped before the search gives up looking further.
const EMPTY_PAGES_SKIPPED: usize = 8;

/// Fetches free slots for the postcode and service in the flow into `flow.slots`, from `from`
/// (today when `None`). Days with nothing free are skipped up to the site's horizon, so the
/// customer never pages through empty weeks.
pub async fn load_slots(flow: &Flow, from: Option<Date>) -> Result<(), ApiFailure> {
    flow.busy.set(true);
    let result = first_page_with_slots(flow, from).await;
    flow.busy.set(false);
    flow.slots.set(Some(result?));
    Ok(())
}

async fn first_page_with_slots(flow: &Flow, mut from: Option<Date>) -> Result<SlotsResponse, ApiFailure> {
    let mut pages = 0;
    loop {
        let query = SlotsQuery {
            postcode: flow.postcode.get_untracked(),
            service: flow.service.get_untracked(),
            from: from.map(wire_time::format_date),
            days: Some(DAYS_PER_PAGE),
        };
        let page = flow.api.slots(&query).await?;
        if from.is_none() {
            // The first page starts today in the site's zone: the horizon counts from there.
            flow.horizon.set(wire_time::add_days(page.from, i64::from(flow.config.days_ahead)));
        }
        let next = wire_time::add_days(page.from, i64::from(page.days_covered));
        let within = next.zip(flow.horizon.get_untracked()).is_some_and(|(next, end)| next < end);
        pages += 1;
        if !page.days.is_empty() || !within || pages > EMPTY_PAGES_SKIPPED {
            return Ok(page);
        }
        from = next;
    }
}
