//! Webhooks: the endpoints that hear of the site's events, each delivery's attempts, and
//! sending one again. A new endpoint's signing secret (and a rotated one) is shown once.

use crate::api::{Api, Failure};
use crate::form::{Errors, Input};
use crate::format;
use crate::pages::deliveries::{send_again, state};
use crate::route::Route;
use jobslot_domain::ids::SiteId;
use jobslot_domain::notification::{Delivery, DeliveryPage, DeliveryStatus};
use jobslot_domain::routes::for_site;
use jobslot_domain::webhook::{EVENTS, Endpoint, EndpointInput, EndpointPage, EndpointWithSecret};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn input_of(endpoint: &Endpoint, enabled: bool) -> EndpointInput {
    EndpointInput {
        url: endpoint.url.as_str().to_owned(),
        events: endpoint.events.iter().map(|e| e.name().to_owned()).collect(),
        description: endpoint.description.as_ref().map(|d| d.as_str().to_owned()),
        enabled,
    }
}

/// The endpoints, a form to add one, and the newest deliveries to each.
/// Where an endpoint stands, in words: why Jobslot paused it, or since when it fails.
fn endpoint_state(endpoint: &Endpoint) -> String {
    match (endpoint.enabled, endpoint.paused_at, endpoint.failing_since) {
        (false, Some(at), _) => format!(
            "Paused by Jobslot on {}: every request failed for a day. Fix the endpoint, then resume it.",
            format::date_time(at, &format::site_zone())
        ),
        (false, None, _) => "Paused".into(),
        (true, _, Some(since)) => format!("Failing since {}", format::date_time(since, &format::site_zone())),
        (true, _, None) => "Listening".into(),
    }
}

#[component]
pub fn WebhooksPage(api: Api, site: SiteId) -> impl IntoView {
    let endpoints = RwSignal::new(Vec::<Endpoint>::new());
    let deliveries = RwSignal::new(Vec::<Delivery>::new());
    let status = RwSignal::new(None::<String>);
    let secret = RwSignal::new(None::<(String, String)>);
    let load = {
        let (api, site) = (api.clone(), site.clone());
        move || {
            let (api, site) = (api.clone(), site.clone());
            spawn_local(async move {
                match api.get::<EndpointPage>(&for_site(&site).webhooks()).await {
                    Ok(page) => endpoints.set(page.value.items),
                    Err(failure) => status.set(Some(failure.message())),
                }
                if let Ok(page) = api.get::<DeliveryPage>(&for_site(&site).deliveries()).await {
                    deliveries.set(
                        page.value.items.into_iter().filter(|d| d.audience.starts_with("wh_")).collect(),
                    );
                }
            });
        }
    };
    load();
    let toggle = {
        let (api, site, load) = (api.clone(), site.clone(), load.clone());
        move |endpoint: Endpoint| {
            let (api, site, load) = (api.clone(), site.clone(), load.clone());
            spawn_local(async move {
                let path = for_site(&site).webhook(&endpoint.id);
                let input = input_of(&endpoint, !endpoint.enabled);
                match api.put_plain::<_, Endpoint>(&path, &input).await {
                    Ok(saved) => {
                        let word = if saved.value.enabled { "hears of events again" } else { "is paused" };
                        status.set(Some(format!("{} {word}.", saved.value.url.as_str())));
                        load();
                    }
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let rotate = {
        let (api, site) = (api.clone(), site.clone());
        move |endpoint: Endpoint| {
            let (api, site) = (api.clone(), site.clone());
            spawn_local(async move {
                let path = for_site(&site).webhook_rotate_secret(&endpoint.id);
                let key = crate::session::idempotency_key().unwrap_or_default();
                match api.post::<_, EndpointWithSecret>(&path, &serde_json::json!({}), &key).await {
                    Ok(done) => {
                        status.set(Some(
                            "The old secret still signs for 24 hours, next to the new one.".into(),
                        ));
                        secret.set(Some((done.value.endpoint.url.as_str().to_owned(), done.value.secret)));
                    }
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let remove = {
        let (api, site, load) = (api.clone(), site.clone(), load.clone());
        move |endpoint: Endpoint| {
            let (api, site, load) = (api.clone(), site.clone(), load.clone());
            spawn_local(async move {
                match api.delete(&for_site(&site).webhook(&endpoint.id)).await {
                    Ok(()) => {
                        status.set(Some(format!("{} is removed.", endpoint.url.as_str())));
                        load();
                    }
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let resend = {
        let (api, site, load) = (api.clone(), site.clone(), load.clone());
        move |delivery: Delivery| {
            let (api, site, load) = (api.clone(), site.clone(), load.clone());
            spawn_local(async move {
                match send_again(&api, &site, &delivery).await {
                    Ok(_) => {
                        status.set(Some(format!(
                            "{} for {} will be sent again.",
                            delivery.event.name(),
                            delivery.work_order
                        )));
                        load();
                    }
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let url_of = move |id: &str| {
        endpoints.with(|all| all.iter().find(|e| e.id.as_str() == id).map(|e| e.url.as_str().to_owned()))
    };
    view! {
        <section aria-labelledby="webhooks-heading">
            <h2 id="webhooks-heading">"Webhooks"</h2>
            <p class="hint">"Your systems hear of bookings and status changes as signed JSON requests (Standard Webhooks). Failed deliveries are retried for a day."</p>
            <p class="alert" role="status">{move || status.get()}</p>
            {move || secret.get().map(|(url, secret)| view! {
                <div class="alert" role="status">
                    <p>{format!("The signing secret of {url}: copy it now, it is not shown again.")}</p>
                    <p><code class="secret">{secret}</code></p>
                </div>
            })}
            <table>
                <thead><tr>
                    <th scope="col">"Endpoint"</th><th scope="col">"Events"</th><th scope="col">"State"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {move || endpoints.get().into_iter().map(|e| {
                        let (toggle, rotate, remove) = (toggle.clone(), rotate.clone(), remove.clone());
                        let (a, b, c) = (e.clone(), e.clone(), e.clone());
                        let url = e.url.as_str().to_owned();
                        let pause = if e.enabled { "Pause" } else { "Resume" };
                        view! {
                            <tr>
                                <td><code>{url.clone()}</code><br />{e.description.as_ref().map(|d| d.as_str().to_owned())}</td>
                                <td>{e.events.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")}</td>
                                <td>{endpoint_state(&e)}</td>
                                <td>
                                    <button type="button" aria-label=format!("{pause} {url}") on:click=move |_| toggle(a.clone())>{pause}</button>
                                    <button type="button" aria-label=format!("New secret for {url}") on:click=move |_| rotate(b.clone())>"New secret"</button>
                                    <button type="button" aria-label=format!("Remove {url}") on:click=move |_| remove(c.clone())>"Remove"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <NewEndpoint api=api.clone() site=site.clone() secret=secret on_saved=load.clone() />
            <h3>"Deliveries"</h3>
            <table>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"Event"</th><th scope="col">"Work order"</th><th scope="col">"Endpoint"</th>
                    <th scope="col">"State"</th><th scope="col">"Attempts"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {move || deliveries.get().into_iter().map(|d| {
                        let resend = resend.clone();
                        let settled = matches!(d.status, DeliveryStatus::Delivered | DeliveryStatus::Failed);
                        let label = format!("Send again: {} for {}", d.event.name(), d.work_order);
                        let again = d.clone();
                        let attempts: Vec<String> = d.history.iter().map(|a| format!(
                            "{}: {}", format::date_time(a.at, &format::site_zone()), a.error.clone().unwrap_or_else(|| "delivered".into())
                        )).collect();
                        view! {
                            <tr>
                                <td>{format::date_time(d.event_at, &format::site_zone())}</td>
                                <td>{d.event.name()}</td>
                                <td><a href=Route::WorkOrder(d.work_order.clone()).href()>{d.work_order.to_string()}</a></td>
                                <td>{url_of(&d.audience).unwrap_or_else(|| "(removed)".into())}</td>
                                <td>{state(&d)}</td>
                                <td><ul class="attempts">{attempts.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul></td>
                                <td>{settled.then(|| view! {
                                    <button type="button" aria-label=label on:click=move |_| resend(again.clone())>"Send again"</button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// "Add an endpoint": its address, events and description.
#[component]
fn NewEndpoint(
    api: Api,
    site: SiteId,
    secret: RwSignal<Option<(String, String)>>,
    on_saved: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let errors = Errors::new();
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(EVENTS.iter().map(|e| e.name().to_owned()).collect::<Vec<_>>());
    let alert = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, site, on_saved) = (api.clone(), site.clone(), on_saved.clone());
        let input = EndpointInput {
            url: url.get_untracked(),
            events: chosen.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
            enabled: true,
        };
        spawn_local(async move {
            let key = crate::session::idempotency_key().unwrap_or_default();
            match api.post::<_, EndpointWithSecret>(&for_site(&site).webhooks(), &input, &key).await {
                Ok(done) => {
                    errors.set(Vec::new());
                    alert.set(None);
                    url.set(String::new());
                    description.set(String::new());
                    secret.set(Some((done.value.endpoint.url.as_str().to_owned(), done.value.secret)));
                    on_saved();
                }
                Err(failure @ Failure::Problem(_)) => {
                    errors.set(failure.field_errors());
                    alert.set(Some(failure.message()));
                }
                Err(failure) => alert.set(Some(failure.message())),
            }
        });
    };
    view! {
        <h3>"Add an endpoint"</h3>
        <p class="alert" role="alert">{move || alert.get()}</p>
        <form on:submit=create novalidate>
            <Input label="Address (https://…)" field="url" value=url errors=errors kind="url" />
            <fieldset>
                <legend>"Events"</legend>
                {EVENTS.iter().map(|kind| {
                    let name = kind.name();
                    let checked = move || chosen.with(|c| c.iter().any(|n| n == name));
                    let toggle = move |ev| {
                        let on = event_target_checked(&ev);
                        chosen.update(|c| { c.retain(|n| n != name); if on { c.push(name.to_owned()); } });
                    };
                    let control = format!("event-{}", name.replace('.', "-"));
                    view! { <div class="check"><input type="checkbox" id=control.clone() prop:checked=checked on:change=toggle /><label for=control>{name}</label></div> }
                }).collect_view()}
                <p class="error">{move || errors.within("events").join(" ")}</p>
            </fieldset>
            <Input label="What it is for (optional)" field="description" value=description errors=errors />
            <div class="actions"><button type="submit" class="primary">"Add endpoint"</button></div>
        </form>
    }
}
