//! Technicians: the list, a "who serves postcode X" check, and the editor (areas, services,
//! weekly hours, time off).

use crate::api::{Api, Failure, Version};
use crate::form::{Errors, Input, items};
use crate::navigate;
use jobslot_domain::api::CoverageResponse;
use jobslot_domain::setup::{HoursInput, ServicesInput, TechnicianInput, TimeOffInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use jobslot_domain::setup::TechnicianEntry as Entry;

/// The site's technicians.
#[component]
pub fn TechnicianList(api: Api, site: String) -> impl IntoView {
    let list = {
        let (api, site) = (api.clone(), site.clone());
        LocalResource::new(move || {
            let (api, site) = (api.clone(), site.clone());
            async move { api.get_all::<Entry>(&format!("/api/sites/{site}/technicians")).await }
        })
    };
    view! {
        <section aria-labelledby="technicians-heading">
            <div class="title-row">
                <h2 id="technicians-heading">"Technicians"</h2>
                <a class="button" href="#/technicians/new">"Add a technician"</a>
            </div>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || list.get().map(|result| match result {
                    Err(failure) => view! { <p class="alert" role="alert">{failure.message()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>"No technicians yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <table>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Areas"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|entry| view! {
                                    <tr>
                                        <td><a href=format!("#/technicians/{}", entry.id)>{entry.technician.name.clone()}</a></td>
                                        <td>{summary(&entry.technician.areas)}</td>
                                        <td>{if entry.technician.active { "Active" } else { "Inactive" }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Suspense>
            <CoverageCheck api=api site=site />
        </section>
    }
}

fn summary(areas: &[String]) -> String {
    match areas.len() {
        0..=6 => areas.join(", "),
        n => format!("{} and {} more", areas[..5].join(", "), n - 5),
    }
}

/// "Who serves postcode X?", through the same public endpoint the widget uses.
#[component]
fn CoverageCheck(api: Api, site: String) -> impl IntoView {
    let postcode = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<String>);
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, site) = (api.clone(), site.clone());
        let code = postcode.get_untracked();
        spawn_local(async move {
            let path = format!("/api/sites/{site}/coverage?postcode={}", js_sys::encode_uri_component(&code));
            let text = match api.public::<CoverageResponse>(&path).await {
                Ok(found) => format!(
                    "{} is served by {}.",
                    found.postcode,
                    found.technicians.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
                Err(failure) => failure
                    .field_errors()
                    .first()
                    .map(|e| e.message.to_string())
                    .unwrap_or_else(|| failure.message()),
            };
            answer.set(Some(text));
        });
    };
    view! {
        <form class="inline-check" on:submit=check>
            <label for="coverage-postcode">"Who serves postcode"</label>
            <input id="coverage-postcode" prop:value=move || postcode.get() on:input=move |ev| postcode.set(event_target_value(&ev)) />
            <button type="submit">"Check"</button>
            <p role="status">{move || answer.get()}</p>
        </form>
    }
}

const DAYS: [(&str, &str); 7] = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

fn day_of(hours: &HoursInput, day: &str) -> Vec<String> {
    match day {
        "monday" => hours.monday.clone(),
        "tuesday" => hours.tuesday.clone(),
        "wednesday" => hours.wednesday.clone(),
        "thursday" => hours.thursday.clone(),
        "friday" => hours.friday.clone(),
        "saturday" => hours.saturday.clone(),
        _ => hours.sunday.clone(),
    }
}

/// One row of the time-off list.
#[derive(Clone, Copy)]
struct OffRow {
    key: usize,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

/// Creates (`id` = `None`) or edits a technician.
#[component]
pub fn TechnicianEditor(api: Api, site: String, id: Option<String>) -> impl IntoView {
    let errors = Errors::new();
    let alert = RwSignal::new(None::<String>);
    let new_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let areas = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let hours: Vec<(&'static str, &'static str, RwSignal<String>)> =
        DAYS.iter().map(|(key, label)| (*key, *label, RwSignal::new(String::new()))).collect();
    let time_off = RwSignal::new(Vec::<OffRow>::new());
    let next_row = StoredValue::new(0usize);
    let offered = RwSignal::new(Vec::<(String, String)>::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let version = RwSignal::new(None::<String>);
    let add_off = move |from: String, to: String| {
        let key = next_row.get_value();
        next_row.set_value(key + 1);
        time_off.update(|rows| rows.push(OffRow { key, from: RwSignal::new(from), to: RwSignal::new(to) }));
    };

    {
        let (api, site, id, hours) = (api.clone(), site.clone(), id.clone(), hours.clone());
        spawn_local(async move {
            match api.get::<ServicesInput>(&format!("/api/sites/{site}/services")).await {
                Ok(services) => {
                    offered.set(services.value.services.into_iter().map(|s| (s.id, s.name)).collect())
                }
                Err(failure) => alert.set(Some(failure.message())),
            }
            let Some(id) = id else { return };
            match api.get::<Entry>(&format!("/api/sites/{site}/technicians/{id}")).await {
                Ok(tagged) => {
                    let t = tagged.value.technician;
                    name.set(t.name.clone());
                    areas.set(t.areas.join("\n"));
                    zone.set(t.time_zone.clone());
                    active.set(t.active);
                    chosen.set(t.services.clone());
                    for (key, _, signal) in &hours {
                        signal.set(day_of(&t.hours, key).join(", "));
                    }
                    for off in t.time_off {
                        add_off(off.from, off.to);
                    }
                    version.set(tagged.etag);
                }
                Err(failure) => alert.set(Some(failure.message())),
            }
        });
    }

    let creating = id.is_none();
    let save = {
        let (api, site, id, hours) = (api.clone(), site.clone(), id.clone(), hours.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let day = |key: &str| {
                hours
                    .iter()
                    .find(|(k, _, _)| *k == key)
                    .map(|(_, _, s)| items(&s.get_untracked()))
                    .unwrap_or_default()
            };
            let input = TechnicianInput {
                name: name.get_untracked(),
                areas: items(&areas.get_untracked()),
                services: chosen.get_untracked(),
                hours: HoursInput {
                    monday: day("monday"),
                    tuesday: day("tuesday"),
                    wednesday: day("wednesday"),
                    thursday: day("thursday"),
                    friday: day("friday"),
                    saturday: day("saturday"),
                    sunday: day("sunday"),
                },
                time_off: time_off
                    .get_untracked()
                    .iter()
                    .map(|row| TimeOffInput { from: row.from.get_untracked(), to: row.to.get_untracked() })
                    .collect(),
                time_zone: zone.get_untracked(),
                active: active.get_untracked(),
            };
            let target = id.clone().unwrap_or_else(|| new_id.get_untracked().trim().to_owned());
            let version_to_send = match (creating, version.get_untracked()) {
                (true, _) => Version::New,
                (false, Some(tag)) => Version::Of(tag),
                (false, None) => Version::Of(String::new()),
            };
            let (api, site) = (api.clone(), site.clone());
            spawn_local(async move {
                if target.is_empty() {
                    errors.set(vec![jobslot_domain::FieldError::new(
                        "id",
                        "Give the technician an id, e.g. jo-bloggs.",
                    )]);
                    return;
                }
                let path = format!("/api/sites/{site}/technicians/{}", js_sys::encode_uri_component(&target));
                match api.put::<_, Entry>(&path, &input, &version_to_send).await {
                    Ok(_) => navigate("#/technicians"),
                    Err(failure) => {
                        errors.set(failure.field_errors());
                        let message = match &failure {
                            Failure::Problem(_) if !failure.field_errors().is_empty() => {
                                "Some fields need attention.".to_owned()
                            }
                            _ => failure.message(),
                        };
                        alert.set(Some(message));
                    }
                }
            });
        }
    };

    view! {
        <section aria-labelledby="editor-heading">
            <h2 id="editor-heading">{if creating { "Add a technician".to_owned() } else { format!("Edit {}", id.clone().unwrap_or_default()) }}</h2>
            <p class="alert" role="alert">{move || alert.get()}</p>
            <form on:submit=save novalidate>
                {creating.then(|| view! {
                    <Input label="Id" field="id" value=new_id errors=errors hint="Lower-case letters, digits and dashes, e.g. jo-bloggs. It cannot change later." />
                })}
                <Input label="Name" field="name" value=name errors=errors />
                <Input multiline=true label="Service areas" field="areas" value=areas errors=errors
                    hint="One per line or comma-separated: a postcode (2000), a range (2000-2099) or a prefix (20*, SW1*)." />
                <fieldset>
                    <legend>"Services"</legend>
                    <p class="hint">"None ticked means every service."</p>
                    {move || offered.get().into_iter().map(|(service, label)| {
                        let checked = { let service = service.clone(); move || chosen.with(|c| c.contains(&service)) };
                        let toggle = { let service = service.clone(); move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|s| s != &service); if on { c.push(service.clone()); } });
                        }};
                        let control = format!("service-{service}");
                        view! { <div class="check"><input type="checkbox" id=control.clone() prop:checked=checked on:change=toggle /><label for=control>{label}</label></div> }
                    }).collect_view()}
                    <p class="error">{move || errors.within("services").join(" ")}</p>
                </fieldset>
                <fieldset>
                    <legend>"Weekly hours"</legend>
                    <p class="hint">"Intervals like 08:00-12:00, 13:00-17:00; leave a day empty for a day off."</p>
                    {hours.iter().map(|(key, label, signal)| {
                        let field: &'static str = match *key {
                            "monday" => "hours.monday", "tuesday" => "hours.tuesday", "wednesday" => "hours.wednesday",
                            "thursday" => "hours.thursday", "friday" => "hours.friday", "saturday" => "hours.saturday", _ => "hours.sunday",
                        };
                        view! { <Input label=label field=field value=*signal errors=errors /> }
                    }).collect_view()}
                </fieldset>
                <fieldset>
                    <legend>"Time off"</legend>
                    <p class="hint">"A date (2026-12-25) for a whole day, or from and to as 2026-12-24T12:00."</p>
                    {move || time_off.get().into_iter().enumerate().map(|(i, row)| {
                        let from_id = format!("time-off-{}-from", row.key);
                        let to_id = format!("time-off-{}-to", row.key);
                        let field = format!("time_off[{i}]");
                        view! {
                            <div class="time-off-row">
                                <label for=from_id.clone()>"From"</label>
                                <input id=from_id prop:value=move || row.from.get() on:input=move |ev| row.from.set(event_target_value(&ev)) />
                                <label for=to_id.clone()>"To"</label>
                                <input id=to_id prop:value=move || row.to.get() on:input=move |ev| row.to.set(event_target_value(&ev)) />
                                <button type="button" on:click=move |_| time_off.update(|rows| rows.retain(|r| r.key != row.key))>"Remove"</button>
                                <p class="error">{move || errors.within(&field).join(" ")}</p>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" on:click=move |_| add_off(String::new(), String::new())>"Add time off"</button>
                </fieldset>
                <Input label="Time zone" field="time_zone" value=zone errors=errors hint="Leave empty for the site's zone." />
                <div class="check">
                    <input type="checkbox" id="technician-active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <label for="technician-active">"Active (offered to customers)"</label>
                </div>
                <div class="actions">
                    <a href="#/technicians">"Cancel"</a>
                    <button type="submit" class="primary">"Save technician"</button>
                </div>
            </form>
        </section>
    }
}
