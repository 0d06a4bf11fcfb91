//! Step 2: who serves the postcode, and when they are free.

use super::find_slots;
use crate::fields::FieldError;
use crate::flow::{Step, use_flow};
use crate::format;
use jobslot_domain::api::{SlotOffer, SlotsResponse};
use leptos::prelude::*;

/// Lists free slots grouped by day; picking one moves on to the order form.
#[component]
pub fn SlotsStep() -> impl IntoView {
    let flow = use_flow();
    let Some(found) = flow.slots.get_untracked() else {
        flow.go(Step::Search);
        return ().into_any();
    };
    let SlotsResponse { postcode, time_zone, technicians, days, from, days_covered, .. } = found;
    let names: Vec<String> = technicians.iter().map(|t| t.name.clone()).collect();
    let name_of = move |slot: &SlotOffer| {
        technicians.iter().find(|t| t.id == slot.technician).map(|t| t.name.clone()).unwrap_or_default()
    };
    let next_from = from.checked_add(jiff::Span::new().days(i64::from(days_covered))).ok();
    let busy = flow.busy;
    let back = {
        let flow = flow.clone();
        move |_| flow.go(Step::Search)
    };
    let later = {
        let flow = flow.clone();
        move |_| find_slots(flow.clone(), next_from)
    };
    let empty = days.is_empty();
    let day_views = days
        .into_iter()
        .map(|day| {
            let heading = format::day(day.date);
            let buttons = day
                .slots
                .into_iter()
                .map(|slot| {
                    let time = format::time(slot.start, &time_zone);
                    let who = name_of(&slot);
                    let label = format!("{time} with {who}, {heading}");
                    let flow = flow.clone();
                    let choose = move |_| {
                        let has_form = !flow.config.order_form.fields.is_empty();
                        flow.chosen.set(Some(slot.clone()));
                        flow.go(if has_form { Step::Details } else { Step::Contact });
                    };
                    view! {
                        <li>
                            <button type="button" class="slot" aria-label=label on:click=choose>
                                <span class="slot-time">{time}</span>
                                <span class="slot-who">{who}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="day">
                    <h4>{heading.clone()}</h4>
                    <ul class="slots">{buttons}</ul>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="step">
            <h3>{format!("Available times for {postcode}")}</h3>
            <p class="hint">{format!("Serving your area: {}", names.join(", "))}</p>
            <FieldError field="start".to_owned() />
            {empty.then(|| view! { <p class="notice">"No free times in these days. Try later dates."</p> })}
            {day_views}
            <div class="actions">
                <button type="button" on:click=back>"Back"</button>
                <button type="button" on:click=later disabled=move || busy.get()>"Later dates"</button>
            </div>
        </div>
    }
    .into_any()
}
