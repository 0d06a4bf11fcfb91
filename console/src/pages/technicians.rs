//! Technicians: the list, a "who serves postcode X" check, and the editor (areas, services,
//! weekly hours, time off).

use crate::api::{Api, Failure, Version};
use crate::form::{Errors, Input, items};
use crate::hours::{DaysOff, TimeOffEditor, Week, WeekEditor};
use crate::route::Route;
use jobslot_domain::api::CoverageResponse;
use jobslot_domain::area::{ServiceArea, coverage_summary};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::TechnicianId;
use jobslot_domain::postcode::Country;
use jobslot_domain::routes::{for_site, with_query};
use jobslot_domain::setup::{ServicesInput, SettingsInput, TechnicianInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use jobslot_domain::setup::TechnicianEntry as Entry;

/// The site's technicians.
#[component]
pub fn TechnicianList(api: Api, site: SiteId) -> impl IntoView {
    let list = {
        let (api, site) = (api.clone(), site.clone());
        LocalResource::new(move || {
            let (api, site) = (api.clone(), site.clone());
            async move { api.get_all::<Entry>(&for_site(&site).technicians()).await }
        })
    };
    view! {
        <section aria-labelledby="technicians-heading">
            <div class="title-row">
                <h2 id="technicians-heading">"Technicians"</h2>
                <a class="button" href=Route::NewTechnician.href()>"Add a technician"</a>
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
                                        <td><a href=Route::Technician(entry.id.clone()).href()>{entry.technician.name.clone()}</a></td>
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
fn CoverageCheck(api: Api, site: SiteId) -> impl IntoView {
    let postcode = RwSignal::new(String::new());
    let answer = RwSignal::new(None::<String>);
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, site) = (api.clone(), site.clone());
        let code = postcode.get_untracked();
        spawn_local(async move {
            let path = with_query(for_site(&site).coverage(), &[("postcode", code.trim())]);
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

/// What the typed areas cover, or which entries are not areas, as the owner types.
fn areas_summary(typed: &str, country: Option<Country>) -> String {
    let Some(country) = country else { return String::new() };
    let mut areas = Vec::new();
    let mut unreadable = Vec::new();
    for raw in items(typed) {
        match ServiceArea::parse("areas", country, &raw) {
            Ok(area) => areas.push(area),
            Err(error) => unreadable.push(format!("“{raw}”: {}", error.message)),
        }
    }
    let mut text = coverage_summary(&areas, country);
    if !unreadable.is_empty() {
        text.push_str(&format!(" Not areas: {}", unreadable.join(" ")));
    }
    text
}

/// Creates (`id` = `None`) or edits a technician.
#[component]
pub fn TechnicianEditor(api: Api, site: SiteId, id: Option<TechnicianId>) -> impl IntoView {
    let errors = Errors::new();
    let alert = RwSignal::new(None::<String>);
    let new_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let areas = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let active = RwSignal::new(true);
    let week = Week::new();
    let days_off = DaysOff::new();
    let offered = RwSignal::new(Vec::<(String, String)>::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let version = RwSignal::new(None::<String>);
    let country = RwSignal::new(None::<Country>);

    {
        let (api, site, id) = (api.clone(), site.clone(), id.clone());
        spawn_local(async move {
            let routes = for_site(&site);
            match api.get::<ServicesInput>(&routes.services()).await {
                Ok(services) => {
                    offered.set(services.value.services.into_iter().map(|s| (s.id, s.name)).collect())
                }
                Err(failure) => alert.set(Some(failure.message())),
            }
            if let Ok(settings) = api.get::<SettingsInput>(&routes.settings()).await {
                country.set(serde_json::from_value(serde_json::Value::String(settings.value.country)).ok());
            }
            let Some(id) = id else { return };
            match api.get::<Entry>(&routes.technician(&id)).await {
                Ok(tagged) => {
                    let t = tagged.value.technician;
                    name.set(t.name.clone());
                    areas.set(t.areas.join("\n"));
                    zone.set(t.time_zone.clone());
                    active.set(t.active);
                    chosen.set(t.services.clone());
                    week.fill(&t.hours);
                    days_off.fill(&t.time_off);
                    version.set(tagged.etag);
                }
                Err(failure) => alert.set(Some(failure.message())),
            }
        });
    }

    let creating = id.is_none();
    let heading = match &id {
        None => "Add a technician".to_owned(),
        Some(id) => format!("Edit {id}"),
    };
    let save = {
        let (api, site, id) = (api.clone(), site.clone(), id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let input = TechnicianInput {
                name: name.get_untracked(),
                areas: items(&areas.get_untracked()),
                services: chosen.get_untracked(),
                hours: week.input(),
                time_off: days_off.input(),
                time_zone: zone.get_untracked(),
                active: active.get_untracked(),
            };
            let target = match &id {
                Some(id) => Ok(id.clone()),
                None => TechnicianId::parse("id", new_id.get_untracked().trim()),
            };
            let target = match target {
                Ok(target) => target,
                Err(error) => {
                    errors.set(vec![error]);
                    alert.set(Some("Some fields need attention.".into()));
                    return;
                }
            };
            let version_to_send = match (creating, version.get_untracked()) {
                (true, _) => Version::New,
                (false, tag) => Version::Of(tag.unwrap_or_default()),
            };
            let (api, site) = (api.clone(), site.clone());
            spawn_local(async move {
                match api
                    .put::<_, Entry>(&for_site(&site).technician(&target), &input, &version_to_send)
                    .await
                {
                    Ok(_) => Route::Technicians.go(),
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
            <h2 id="editor-heading">{heading}</h2>
            <p class="alert" role="alert">{move || alert.get()}</p>
            <form on:submit=save novalidate>
                {creating.then(|| view! {
                    <Input label="Id" field="id" value=new_id errors=errors hint="Lower-case letters, digits and dashes, e.g. jo-bloggs. It cannot change later." />
                })}
                <Input label="Name" field="name" value=name errors=errors />
                <Input multiline=true label="Service areas" field="areas" value=areas errors=errors
                    hint="One per line or comma-separated: a postcode (2000), a range (2000-2099) or a prefix (20*, SW1*)." />
                <p class="hint" id="areas-summary" aria-live="polite">{move || areas_summary(&areas.get(), country.get())}</p>
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
                <WeekEditor week=week errors=errors />
                <TimeOffEditor days_off=days_off errors=errors />
                <Input label="Time zone" field="time_zone" value=zone errors=errors hint="Leave empty for the site's zone." />
                <div class="check">
                    <input type="checkbox" id="technician-active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                    <label for="technician-active">"Active (offered to customers)"</label>
                </div>
                <div class="actions">
                    <a href=Route::Technicians.href()>"Cancel"</a>
                    <button type="submit" class="primary">"Save technician"</button>
                </div>
            </form>
        </section>
    }
}
