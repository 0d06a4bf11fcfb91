//! Members: who may do what on the site.

use crate::api::{Api, Failure};
use crate::form::{Errors, Input};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::for_site;
use jobslot_domain::setup::MemberEntry;
use jobslot_domain::setup::{IntegrationCreated, IntegrationInput, MemberInput};
use jobslot_domain::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn is_integration(member: &MemberEntry) -> bool {
    member.role == Role::Integrator
}

/// What the list says of them: the role, and whether they have joined yet.
fn standing(member: &MemberEntry) -> String {
    let role = member.role.as_str();
    match member.invited_at {
        Some(at) => format!(
            "{role} (invited {}, has not joined yet)",
            crate::format::iso_date(at, &crate::format::site_zone())
        ),
        None => role.to_owned(),
    }
}

/// The members of `site`, and a form to add one or change a role.
#[component]
pub fn MembersPage(api: Api, site: SiteId) -> impl IntoView {
    let errors = Errors::new();
    let status = RwSignal::new(None::<String>);
    let members = RwSignal::new(Vec::<MemberEntry>::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("dispatcher".to_owned());
    let technician = RwSignal::new(String::new());
    let rotated = RwSignal::new(None::<IntegrationCreated>);
    let (api_for_integrations, site_for_integrations) = (api.clone(), site.clone());
    let path = for_site(&site).members();
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
    let save = {
        let (api, path, load) = (api.clone(), path.clone(), load.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let input = MemberInput {
                email: email.get_untracked(),
                user: None,
                role: role.get_untracked(),
                technician: Some(technician.get_untracked()).filter(|t| !t.trim().is_empty()),
            };
            let (api, path, load) = (api.clone(), path.clone(), load.clone());
            spawn_local(async move {
                match api.put_plain::<_, MemberEntry>(&path, &input).await {
                    Ok(saved) => {
                        errors.set(Vec::new());
                        let who = saved.value.email;
                        status.set(Some(match saved.value.invited_at {
                            Some(_) => format!(
                                "{who} is invited: they have an e-mail with a link to choose their password."
                            ),
                            None => format!("{who}'s role is saved; they were told by e-mail."),
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
        }
    };
    // Removing someone (or withdrawing an invitation, or an integration), after asking.
    let remove = {
        let (api, site, load) = (api.clone(), site.clone(), load.clone());
        move |member: MemberEntry| {
            let question = if is_integration(&member) {
                format!("Remove the integration {}? Its credentials stop working at once.", member.user)
            } else {
                format!("Remove {} from this site? They lose access at once.", member.email)
            };
            if !super::confirmed(&question) {
                return;
            }
            let path = if is_integration(&member) {
                for_site(&site).integration(&member.user)
            } else {
                for_site(&site).member(&member.user)
            };
            let (api, load) = (api.clone(), load.clone());
            spawn_local(async move {
                match api.delete(&path).await {
                    Ok(()) => {
                        status.set(Some(format!("{} no longer has access.", member.email)));
                        load();
                    }
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let resend = {
        let (api, site) = (api.clone(), site.clone());
        move |member: MemberEntry| {
            let (api, path) = (api.clone(), for_site(&site).member_invitation(&member.user));
            spawn_local(async move {
                let key = crate::session::idempotency_key().unwrap_or_default();
                match api.post::<_, MemberEntry>(&path, &serde_json::json!({}), &key).await {
                    Ok(_) => status.set(Some(format!("A new invitation is on its way to {}.", member.email))),
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let rotate = {
        let (api, site) = (api.clone(), site.clone());
        move |member: MemberEntry| {
            if !super::confirmed(&format!(
                "Give {} a new secret? The current one stops working at once.",
                member.user
            )) {
                return;
            }
            let (api, path) = (api.clone(), for_site(&site).integration_rotate_secret(&member.user));
            spawn_local(async move {
                let key = crate::session::idempotency_key().unwrap_or_default();
                match api.post::<_, IntegrationCreated>(&path, &serde_json::json!({}), &key).await {
                    Ok(done) => rotated.set(Some(done.value)),
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    let row = move |m: MemberEntry| {
        let (remove, resend, rotate) = (remove.clone(), resend.clone(), rotate.clone());
        let (for_remove, for_resend, for_rotate) = (m.clone(), m.clone(), m.clone());
        let label = if is_integration(&m) { m.user.to_string() } else { m.email.clone() };
        let invited = m.invited_at.is_some();
        let integration = is_integration(&m);
        view! {
            <tr>
                <td>{label.clone()}</td>
                <td>{standing(&m)}</td>
                <td>{m.technician.as_ref().map(ToString::to_string).unwrap_or_default()}</td>
                <td class="actions">
                    {invited.then(|| view! {
                        <button type="button" on:click=move |_| resend(for_resend.clone())
                            aria-label=format!("Send {} the invitation again", label)>"Send again"</button>
                    })}
                    {integration.then(|| view! {
                        <button type="button" on:click=move |_| rotate(for_rotate.clone())>"New secret"</button>
                    })}
                    <button type="button" on:click=move |_| remove(for_remove.clone())>
                        {if invited { "Withdraw" } else { "Remove" }}
                    </button>
                </td>
            </tr>
        }
    };
    view! {
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">"Members"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <table>
                <thead><tr>
                    <th scope="col">"Who"</th><th scope="col">"Role"</th><th scope="col">"Technician"</th>
                    <th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {move || members.get().into_iter().map(row.clone()).collect_view()}
                </tbody>
            </table>
            {move || rotated.get().map(|c| view! {
                <div class="alert" role="status">
                    <p>"Give the integrator this new secret now; it is not shown again."</p>
                    <dl class="facts">
                        <dt>"Client id"</dt><dd><code>{c.client_id.to_string()}</code></dd>
                        <dt>"Client secret"</dt><dd><code>{c.client_secret.clone()}</code></dd>
                    </dl>
                </div>
            })}
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
fn Integrations(api: Api, site: SiteId) -> impl IntoView {
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
            match api.post::<_, IntegrationCreated>(&for_site(&site).integrations(), &input, &key).await {
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
