//! Step 2: who serves the postcode, and when they are free, one day at a time.

use super::find_slots;
use crate::fields::FieldError;
use crate::flow::{Flow, Step, use_flow};
use crate::format;
use jobslot_domain::api::{DaySlots, SlotOffer, SlotsResponse, TechnicianSummary};
use leptos::prelude::*;
use std::sync::Arc;

/// Day tabs, and the chosen day's free times; picking one moves on to the order form.
/// Redrawn whenever new slots arrive (later dates, or a refresh after a slot was taken).
#[component]
pub fn SlotsStep() -> impl IntoView {
    let flow = use_flow();
    let slots = flow.slots;
    move || match slots.get() {
        Some(found) => found_slots(&flow, found).into_any(),
        None if flow.link.is_some() => {
            view! { <p class="loading" role="status">"Finding free times…"</p> }.into_any()
        }
        None => view! { <p class="notice">"Search for a postcode first."</p> }.into_any(),
    }
}

fn found_slots(flow: &Flow, found: SlotsResponse) -> impl IntoView + use<> {
    let SlotsResponse { postcode, time_zone, technicians, days, from, days_covered, .. } = found;
    let names: Vec<String> = technicians.iter().map(|t| t.name.clone()).collect();
    let next_from = from.checked_add(jiff::Span::new().days(i64::from(days_covered))).ok();
    let (busy, selected) = (flow.busy, RwSignal::new(0usize));
    let back = {
        let flow = flow.clone();
        // The manage page's times go back to the booking; the search's to the search.
        let to = if flow.link.is_some() { Step::Done } else { Step::Search };
        move |_| flow.go(to)
    };
    let later = {
        let flow = flow.clone();
        move |_| find_slots(flow.clone(), next_from)
    };
    let empty = days.is_empty();
    // A booking link's order has its postcode and service: there is no search to go back to.
    let linked = flow.link.as_ref().is_some_and(|l| l.kind == crate::hosted::LinkKind::Book);
    let tabs = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let count = day.slots.len();
            view! {
                <button type="button" class="day-tab" aria-pressed=move || (selected.get() == i).to_string()
                    on:click=move |_| selected.set(i)>
                    <span class="day-name">{format::short_day(day.date)}</span>
                    <span class="day-count">{format!("{count} free")}</span>
                </button>
            }
        })
        .collect_view();
    let (days, technicians, flow) = (Arc::new(days), Arc::new(technicians), flow.clone());
    let chosen_day =
        move || days.get(selected.get()).map(|day| day_slots(&flow, day, &technicians, &time_zone));
    view! {
        <div class="step">
            <h3>{format!("Available times for {postcode}")}</h3>
            <p class="hint">{format!("Serving your area: {}", names.join(", "))}</p>
            <FieldError field="start".to_owned() />
            {empty.then(|| view! { <p class="notice">"No free times on these days. Try later dates."</p> })}
            <div class="day-tabs" role="group" aria-label="Choose a day">{tabs}</div>
            {chosen_day}
            <div class="actions">
                {(!linked).then(|| view! { <button type="button" on:click=back>"Back"</button> })}
                <button type="button" on:click=later disabled=move || busy.get()>"Later dates"</button>
            </div>
        </div>
    }
}

/// The free times of one day, one button per technician and start.
fn day_slots(
    flow: &Flow,
    day: &DaySlots,
    technicians: &[TechnicianSummary],
    zone: &str,
) -> impl IntoView + use<> {
    let heading = format::day(day.date);
    let buttons = day
        .slots
        .iter()
        .map(|slot| {
            let time = format::time(slot.start, zone);
            let who = technicians.iter().find(|t| t.id == slot.technician).map(|t| t.name.clone()).unwrap_or_default();
            let label = format!("{time} with {who}, {heading}");
            let (flow, slot) = (flow.clone(), slot.clone());
            view! {
                <li>
                    <button type="button" class="slot" aria-label=label on:click=move |_| choose(&flow, &slot)>
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
}

fn choose(flow: &Flow, slot: &SlotOffer) {
    let has_form = !flow.config.order_form.fields.is_empty();
    flow.chosen.set(Some(slot.clone()));
    // A booking link's order has its answers and contact already.
    flow.go(match (flow.link.is_some(), has_form) {
        (true, _) => Step::Review,
        (false, true) => Step::Details,
        (false, false) => Step::Contact,
    });
}
