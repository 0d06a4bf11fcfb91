//! Members: who may do what on the site.

use crate::api::{Api, Failure};
use crate::form::{Errors, Input};
use jobslot_domain::setup::{IntegrationCreated, IntegrationInput, MemberInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
struct MemberEntry {
    email: String,
    role: String,
    #[serde(default)]
    technician: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct Saved {
    email: String,
    #[serde(default)]
    password: Option<String>,
}

/// The members of `site`, and a form to add one or change a role.
#[component]
pub fn MembersPage(api: Api, site: String) -> impl IntoView {
    let errors = Errors::new();
    let status = RwSignal::new(None::<String>);
    let members = RwSignal::new(Vec::<MemberEntry>::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("dispatcher".to_owned());
    let technician = RwSignal::new(String::new());
    let (api_for_integrations, site_for_integrations) = (api.clone(), site.clone());
    let path = format!("/api/sites/{site}/members");
    let load = {
        let (api, path) = (api.clone(), path.clone());
        move || {
            let (api, path) = (api.clone(), path.clone());
            spawn_local(async move {
                match api.get_all::<MemberEntry>(&path).await {
                    Ok(list) => members.set(list),
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    load();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = MemberInput {
            email: email.get_untracked(),
            user: None,
            role: role.get_untracked(),
            technician: Some(technician.get_untracked()).filter(|t| !t.trim().is_empty()),
        };
        let (api, path, load) = (api.clone(), path.clone(), load.clone());
        spawn_local(async move {
            match api.put_plain::<_, Saved>(&path, &input).await {
                Ok(saved) => {
                    errors.set(Vec::new());
                    status.set(Some(match saved.value.password {
                        Some(password) => format!(
                            "{} can now sign in with the first password {password} — give it to them; it is not shown again.",
                            saved.value.email
                        ),
                        None => format!("{}'s role is saved.", saved.value.email),
                    }));
                    email.set(String::new());
                    load();
                }
                Err(failure @ Failure::Problem(_)) => {
                    errors.set(failure.field_errors());
                    status.set(Some(failure.message()));
                }
                Err(failure) => status.set(Some(failure.message())),
            }
        });
    };
    view! {
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">"Members"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <table>
                <thead><tr><th scope="col">"E-mail"</th><th scope="col">"Role"</th><th scope="col">"Technician"</th></tr></thead>
                <tbody>
                    {move || members.get().into_iter().map(|m| view! {
                        <tr><td>{m.email}</td><td>{m.role}</td><td>{m.technician.unwrap_or_default()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>"Add someone or change their role"</h3>
            <form on:submit=save novalidate>
                <Input label="E-mail address" field="email" value=email errors=errors kind="email" />
                <div class="field">
                    <label for="member-role">"Role"</label>
                    <select id="member-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="owner" selected=move || role.get() == "owner">"Owner: everything"</option>
                        <option value="dispatcher" selected=move || role.get() == "dispatcher">"Dispatcher: work orders and schedules"</option>
                        <option value="technician" selected=move || role.get() == "technician">"Technician: their own jobs"</option>
                    </select>
                    <p class="error">{move || errors.of("role")}</p>
                </div>
                {move || (role.get() == "technician").then(|| view! {
                    <Input label="Which technician (id)" field="technician" value=technician errors=errors />
                })}
                <div class="actions"><button type="submit" class="primary">"Save member"</button></div>
            </form>
            <Integrations api=api_for_integrations site=site_for_integrations />
        </section>
    }
}

/// "Connect an integrator's system": a machine client for the client-credentials grant, its
/// secret shown once.
#[component]
fn Integrations(api: Api, site: String) -> impl IntoView {
    let errors = Errors::new();
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<IntegrationCreated>);
    let status = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (api, site) = (api.clone(), site.clone());
        let input = IntegrationInput { name: name.get_untracked() };
        spawn_local(async move {
            let key = crate::session::idempotency_key().unwrap_or_default();
            match api
                .post::<_, IntegrationCreated>(&format!("/api/sites/{site}/integrations"), &input, &key)
                .await
            {
                Ok(done) => {
                    errors.set(Vec::new());
                    status.set(None);
                    created.set(Some(done.value));
                }
                Err(failure) => {
                    errors.set(failure.field_errors());
                    status.set(Some(failure.message()));
                }
            }
        });
    };
    view! {
        <h3>"Connect an integrator's system"</h3>
        <p class="hint">"It signs in with the OAuth 2.0 client-credentials grant and may read this site's work orders."</p>
        <p class="alert" role="status">{move || status.get()}</p>
        <form on:submit=create novalidate>
            <Input label="What to call it" field="name" value=name errors=errors />
            <div class="actions"><button type="submit">"Create credentials"</button></div>
        </form>
        {move || created.get().map(|c| view! {
            <div class="alert" role="status">
                <p>"Give these to the integrator now; the secret is not shown again."</p>
                <dl class="facts">
                    <dt>"Client id"</dt><dd><code>{c.client_id.to_string()}</code></dd>
                    <dt>"Client secret"</dt><dd><code>{c.client_secret.clone()}</code></dd>
                    <dt>"Token endpoint"</dt><dd><code>{c.token_endpoint.clone()}</code></dd>
                </dl>
            </div>
        })}
    }
}
