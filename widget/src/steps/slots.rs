//! Step 2: who serves the postcode, and when they are free, one day at a time.

use super::find_slots;
use crate::fields::FieldError;
use crate::flow::{Flow, Focus, use_flow};
use crate::format;
use crate::i18n::fill;
use jiff::civil::Date;
use jobslot_domain::api::{DaySlots, SlotOffer, SlotsResponse, TechnicianSummary};
use jobslot_domain::wire_time;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use std::sync::Arc;

/// Day tabs, and the chosen day's free times; picking one moves on to the order form.
/// Redrawn whenever new slots arrive (later dates, or a refresh after a slot was taken).
#[component]
pub fn SlotsStep() -> impl IntoView {
    let flow = use_flow();
    let (slots, words) = (flow.slots, flow.lang.words);
    move || match slots.get() {
        Some(found) => found_slots(&flow, found).into_any(),
        None if flow.link.is_some() => {
            view! { <p class="loading" role="status">{words.finding}</p> }.into_any()
        }
        None => view! { <p class="notice">{words.search_first}</p> }.into_any(),
    }
}

fn found_slots(flow: &Flow, found: SlotsResponse) -> impl IntoView + use<> {
    let SlotsResponse { postcode, time_zone, technicians, days, from, days_covered, .. } = found;
    let (lang, words) = (flow.lang, flow.lang.words);
    let next_from = wire_time::add_days(from, i64::from(days_covered));
    let horizon = flow.horizon.get_untracked();
    let more = next_from.zip(horizon).is_none_or(|(next, end)| next < end);
    // The first page starts today; earlier pages exist once the customer went later.
    let today = horizon.and_then(|end| wire_time::add_days(end, -i64::from(flow.config.days_ahead)));
    let earlier =
        today.filter(|today| *today < from).and_then(|_| wire_time::add_days(from, -i64::from(days_covered)));
    // Back from the form: the chosen slot's day. After a slot was taken meanwhile: its day, or
    // the first day after it with free times.
    let chosen = flow.chosen.get_untracked();
    let taken = flow.taken.get_untracked();
    let opening = days.iter().position(|day| {
        day.slots
            .iter()
            .any(|s| chosen.as_ref() == Some(s) || taken.as_ref().is_some_and(|t| s.start >= t.start))
    });
    let (busy, selected) = (flow.busy, RwSignal::new(opening.unwrap_or(0)));
    let who = flow.technician;
    let back = {
        let flow = flow.clone();
        move |_| flow.back()
    };
    let page = {
        let flow = flow.clone();
        move |to: Option<Date>| {
            if to.is_some() {
                find_slots(flow.clone(), to, Focus::Move);
            }
        }
    };
    let empty = days.is_empty();
    // A booking link's order has its postcode and service: there is no search to go back to.
    let linked = flow.link.as_ref().is_some_and(|l| l.kind == crate::hosted::LinkKind::Book);
    let zone_name =
        days.first().and_then(|d| d.slots.first()).map(|s| format::zone_name(lang, s.start, &time_zone));
    let last = days.len().saturating_sub(1);
    let host = flow.host.clone();
    // The WAI-ARIA date-picker grid: arrows move a day, Home/End to the first and last day
    // shown, Page Up/Down to earlier and later dates; the focused day is the one shown.
    let on_key = {
        let page = page.clone();
        move |ev: KeyboardEvent| {
            let at = selected.get_untracked();
            let day = match ev.key().as_str() {
                "ArrowRight" | "ArrowDown" => Some((at + 1).min(last)),
                "ArrowLeft" | "ArrowUp" => Some(at.saturating_sub(1)),
                "Home" => Some(0),
                "End" => Some(last),
                "PageDown" => {
                    page(next_from.filter(|_| more));
                    None
                }
                "PageUp" => {
                    page(earlier);
                    None
                }
                _ => return,
            };
            ev.prevent_default();
            if let Some(day) = day {
                selected.set(day);
                host.focus_when_rendered(".day-tab[aria-selected=true]");
            }
        }
    };
    let tabs = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let slots = day.slots.clone();
            let count = Signal::derive(move || times(&slots, who.get().as_deref()).len());
            let name = format::day(lang, day.date);
            view! {
                <div role="gridcell" class="day-tab" aria-selected=move || (selected.get() == i).to_string()
                    tabindex=move || if selected.get() == i { "0" } else { "-1" }
                    aria-label=move || format!("{name}, {}", fill(words.free, &[&count.get().to_string()])) on:click=move |_| selected.set(i)>
                    <span class="day-name">{format::short_day(lang, day.date)}</span>
                    <span class="day-count">{move || fill(words.free, &[&count.get().to_string()])}</span>
                </div>
            }
        })
        .collect_view();
    let picker = (technicians.len() > 1).then(|| {
        let options = technicians.iter().map(|t| {
            let (id, name) = (t.id.to_string(), t.name.clone());
            let this = id.clone();
            view! { <option value=id selected=move || who.get().as_deref() == Some(this.as_str())>{name}</option> }
        });
        view! {
            <div class="field">
                <label for="jobslot-technician">{words.technician}</label>
                <select id="jobslot-technician" on:change=move |ev| {
                    let id = event_target_value(&ev);
                    who.set((!id.is_empty()).then_some(id));
                }>
                    <option value="" selected=move || who.get().is_none()>{words.any_technician}</option>
                    {options.collect_view()}
                </select>
            </div>
        }
    });
    let (days, technicians, flow) = (Arc::new(days), Arc::new(technicians), flow.clone());
    let chosen_day = move || {
        days.get(selected.get()).map(|day| day_slots(&flow, day, &technicians, &time_zone, who.get()))
    };
    let later = page.clone();
    view! {
        <div class="step">
            <h3 tabindex="-1">{fill(words.times_for, &[&postcode])}</h3>
            {zone_name.map(|zone| view! { <p class="hint">{fill(words.times_in, &[&zone])}</p> })}
            <FieldError field="start".to_owned() />
            {empty.then(|| view! { <p class="notice">{if more { words.none_here } else { words.none_before_horizon }}</p> })}
            {picker}
            <div class="day-tabs" role="grid" aria-label=words.choose_day on:keydown=on_key>
                <div role="row" class="day-row">{tabs}</div>
            </div>
            {chosen_day}
            <div class="actions">
                {(!linked).then(|| view! { <button type="button" on:click=back>{words.back}</button> })}
                {earlier.map(|to| view! { <button type="button" on:click=move |_| page(Some(to)) disabled=move || busy.get()>{words.earlier}</button> })}
                {more.then(|| view! { <button type="button" on:click=move |_| later(next_from) disabled=move || busy.get()>{words.later}</button> })}
            </div>
        </div>
    }
}

/// The slots to offer: each start once ("any technician": the first free one then), or only
/// `technician`'s.
fn times<'a>(slots: &'a [SlotOffer], technician: Option<&str>) -> Vec<&'a SlotOffer> {
    let mut shown: Vec<&SlotOffer> = Vec::new();
    for slot in slots {
        let fits = technician.is_none_or(|id| slot.technician.as_str() == id);
        if fits && shown.last().is_none_or(|last| technician.is_some() || last.start != slot.start) {
            shown.push(slot);
        }
    }
    shown
}

/// The free times of one day: one button per start, or per start of the technician chosen.
fn day_slots(
    flow: &Flow,
    day: &DaySlots,
    technicians: &[TechnicianSummary],
    zone: &str,
    technician: Option<String>,
) -> impl IntoView + use<> {
    let (lang, words) = (flow.lang, flow.lang.words);
    let heading = format::day(lang, day.date);
    let buttons = times(&day.slots, technician.as_deref())
        .into_iter()
        .map(|slot| {
            let time = format::time(lang, slot.start, zone);
            let who = match &technician {
                Some(_) => technicians
                    .iter()
                    .find(|t| t.id == slot.technician)
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                None => words.any_technician.to_owned(),
            };
            let label = format!("{time}, {heading}, {who}");
            let (flow, slot) = (flow.clone(), slot.clone());
            view! {
                <li>
                    <button type="button" class="slot" aria-label=label on:click=move |_| flow.choose(&slot)>
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
