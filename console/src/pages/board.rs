//! The dispatch board: a day or a week of jobs per technician, with their time off.

use crate::api::Api;
use crate::format;
use crate::route::Route;
use jiff::civil::Date;
use jiff::{SignedDuration, Span};
use jobslot_domain::board::Board;
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::{for_site, with_query};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn short_weekday(date: Date) -> &'static str {
    use jiff::civil::Weekday::*;
    match date.weekday() {
        Monday => "Mon",
        Tuesday => "Tue",
        Wednesday => "Wed",
        Thursday => "Thu",
        Friday => "Fri",
        Saturday => "Sat",
        Sunday => "Sun",
    }
}

/// The board, from a day, for a day or a week.
#[component]
pub fn BoardPage(api: Api, site: SiteId) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let days = RwSignal::new(7u16);
    let board = RwSignal::new(None::<Board>);
    let message = RwSignal::new(None::<String>);
    let load = move || {
        let (api, site) = (api.clone(), site.clone());
        let from = from.get_untracked();
        let path = with_query(
            for_site(&site).board(),
            &[("days", &days.get_untracked().to_string()), ("from", &from)],
        );
        spawn_local(async move {
            match api.get::<Board>(&path).await {
                Ok(found) => {
                    message.set(None);
                    board.set(Some(found.value));
                }
                Err(failure) => message.set(Some(failure.message())),
            }
        });
    };
    load();
    let (reload, reload_days) = (load.clone(), load.clone());
    view! {
        <section aria-labelledby="board-heading">
            <h2 id="board-heading">"Board"</h2>
            <div class="inline-check">
                <label for="board-from">"From"</label>
                <input id="board-from" type="date" prop:value=move || from.get()
                    on:change=move |ev| { from.set(event_target_value(&ev)); reload(); } />
                <label for="board-days">"Show"</label>
                <select id="board-days" on:change=move |ev| {
                    days.set(event_target_value(&ev).parse().unwrap_or(7));
                    reload_days();
                }>
                    <option value="1">"A day"</option>
                    <option value="7" selected=true>"A week"</option>
                </select>
            </div>
            <p class="alert" role="status">{move || message.get()}</p>
            {move || board.get().map(|board| {
                let zone = board.time_zone.clone();
                let columns: Vec<Date> = (0..board.days)
                    .filter_map(|i| board.from.checked_add(Span::new().days(i64::from(i))).ok())
                    .collect();
                let heads = columns.clone();
                view! {
                    // Focusable so a keyboard can scroll a week wider than the screen.
                    <div class="board-scroll" tabindex="0" role="region" aria-label="The board, scrolls sideways">
                        <table class="board">
                            <caption>{format!("Days and times in {}", zone.replace('_', " "))}</caption>
                            <thead><tr>
                                <th scope="col">"Technician"</th>
                                {heads.into_iter().map(|d| view! { <th scope="col">{format!("{} {d}", short_weekday(d))}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {board.rows.into_iter().map(|row| {
                                    let zone = zone.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{row.technician.name.clone()}{(!row.active).then_some(" (inactive)")}</th>
                                            {columns.iter().map(|day| {
                                                let day_text = day.to_string();
                                                let off = row.time_off.iter().any(|off| {
                                                    let last = off.end - SignedDuration::from_secs(1);
                                                    format::iso_date(off.start, &zone) <= day_text && day_text <= format::iso_date(last, &zone)
                                                });
                                                let jobs: Vec<_> = row.jobs.iter().filter(|j| j.start.is_some_and(|start| format::iso_date(start, &zone) == day_text)).cloned().collect();
                                                view! {
                                                    <td class:off=off>
                                                        {off.then(|| view! { <span class="off-label">"Time off"</span> })}
                                                        {jobs.into_iter().map(|job| view! {
                                                            <a class=format!("job status-{}", job.status.name()) href=Route::WorkOrder(job.number.clone()).href()>
                                                                {format!("{} {} · {}", job.start.map(|start| format::time(start, &job.time_zone)).unwrap_or_default(), job.customer, job.status.label())}
                                                            </a>
                                                        }).collect_view()}
                                                    </td>
                                                }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        </section>
    }
}
