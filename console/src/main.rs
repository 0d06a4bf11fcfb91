//! The Jobslot staff console: sign in, pick a site, set up the business.
//!
//! Pages are chosen by the URL fragment (`#/work-orders`, `#/work-orders/{number}`, `#/board`,
//! `#/my-jobs`, `#/technicians`, `#/technicians/new`, `#/technicians/{id}`, `#/services`,
//! `#/order-form`, `#/work-order-rules`, `#/settings`, `#/members`, `#/audit`), so every page
//! has an address and the browser's back button works, without a router dependency. A
//! technician lands on "My jobs", everyone else on the work orders.

mod api;
mod form;
mod format;
mod pages;
mod session;

use api::Api;
use jobslot_domain::setup::{Me, MySite};
use jobslot_domain::staff::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use pages::audit::AuditPage;
use pages::board::BoardPage;
use pages::deliveries::DeliveriesPage;
use pages::members::MembersPage;
use pages::my_jobs::MyJobs;
use pages::new_site::NewSitePage;
use pages::order_form::OrderFormPage;
use pages::password::PasswordPage;
use pages::rules::RulesPage;
use pages::services::ServicesPage;
use pages::settings::SettingsPage;
use pages::technicians::{TechnicianEditor, TechnicianList};
use pages::webhooks::WebhooksPage;
use pages::work_order::WorkOrderView;
use pages::work_orders::WorkOrderList;
use session::Config;

fn main() {
    leptos::mount::mount_to_body(Console);
}

/// Goes to a page of the console.
pub fn navigate(hash: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(hash);
    }
}

fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Where the console is in signing in.
#[derive(Clone)]
enum Phase {
    Starting,
    SignedOut(Option<String>, Option<Config>),
    SignedIn(Api, Me),
}

#[component]
fn Console() -> impl IntoView {
    let phase = RwSignal::new(Phase::Starting);
    spawn_local(async move {
        phase.set(start().await);
    });
    view! {
        <header class="top"><span class="brand">"Jobslot"</span>" console"</header>
        <main id="main">
            {move || match phase.get() {
                Phase::Starting => view! { <p>"Loading…"</p> }.into_any(),
                Phase::SignedOut(message, config) => view! { <SignIn message=message config=config /> }.into_any(),
                Phase::SignedIn(api, me) => view! { <Workspace api=api me=me phase=phase /> }.into_any(),
            }}
        </main>
    }
}

async fn start() -> Phase {
    let config = match session::config().await {
        Ok(config) => config,
        Err(error) => return Phase::SignedOut(Some(format!("The console is not configured: {error}")), None),
    };
    if let Err(error) = session::finish_sign_in(&config).await {
        return Phase::SignedOut(Some(error), Some(config));
    }
    if session::stored().is_none() {
        return Phase::SignedOut(None, Some(config));
    }
    let api = Api::new(config.clone());
    match api.get::<Me>("/api/me").await {
        Ok(me) => Phase::SignedIn(api, me.value),
        Err(failure) => Phase::SignedOut(Some(failure.message()), Some(config)),
    }
}

#[component]
fn SignIn(message: Option<String>, config: Option<Config>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(message);
    let sign_in = move |_| {
        let Some(config) = config.clone() else { return };
        busy.set(true);
        spawn_local(async move {
            if let Err(e) = session::start_sign_in(&config).await {
                error.set(Some(e));
                busy.set(false);
            }
        });
    };
    view! {
        <section class="sign-in" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">"Sign in to manage your business"</h1>
            <p class="alert" role="alert">{move || error.get()}</p>
            <button type="button" class="primary" on:click=sign_in disabled=move || busy.get()>"Sign in"</button>
        </section>
    }
}

#[component]
fn Workspace(api: Api, me: Me, phase: RwSignal<Phase>) -> impl IntoView {
    let route = RwSignal::new(current_hash());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| route.set(current_hash()));
    on_cleanup(move || handle.remove());
    let sites = me.sites.clone();
    let site = RwSignal::new(sites.first().map(|s: &MySite| s.site.to_string()).unwrap_or_default());
    let sign_out = {
        let api = api.clone();
        move |_| {
            let api = api.clone();
            spawn_local(async move {
                session::sign_out(api.config()).await;
                phase.set(Phase::SignedOut(Some("You are signed out.".into()), Some(api.config().clone())));
            });
        }
    };
    let operator = me.operator;
    let roles = me.sites.clone();
    let role_on = move |site: &str| roles.iter().find(|s| s.site.as_str() == site).map(|s| s.role);
    let technician_only = {
        let role_on = role_on.clone();
        move || role_on(&site.get()) == Some(Role::Technician)
    };
    // Webhook endpoints are the owners' (and integrators') to manage.
    let owner = {
        let role_on = role_on.clone();
        move || role_on(&site.get()) == Some(Role::Owner)
    };
    let page = move || {
        let site = site.get();
        if operator && route.get() == "#/new-site" {
            return view! { <NewSitePage api=api.clone() /> }.into_any();
        }
        if route.get() == "#/password" {
            return view! { <PasswordPage api=api.clone() /> }.into_any();
        }
        if site.is_empty() {
            return view! { <p>"You are not a member of any site yet. Ask the business's owner to add you."</p> }.into_any();
        }
        let path = route.get();
        let parts: Vec<&str> = path.trim_start_matches('#').trim_start_matches('/').split('/').collect();
        let technician = role_on(&site) == Some(Role::Technician);
        match parts.as_slice() {
            ["work-orders", number] => {
                view! { <WorkOrderView api=api.clone() site=site number=(*number).to_owned() /> }.into_any()
            }
            ["work-orders"] => view! { <WorkOrderList api=api.clone() site=site /> }.into_any(),
            ["board"] => view! { <BoardPage api=api.clone() site=site /> }.into_any(),
            ["my-jobs"] => view! { <MyJobs api=api.clone() site=site /> }.into_any(),
            _ if technician => view! { <MyJobs api=api.clone() site=site /> }.into_any(),
            ["work-order-rules"] => view! { <RulesPage api=api.clone() site=site /> }.into_any(),
            ["settings"] => view! { <SettingsPage api=api.clone() site=site /> }.into_any(),
            ["services"] => view! { <ServicesPage api=api.clone() site=site /> }.into_any(),
            ["order-form"] => view! { <OrderFormPage api=api.clone() site=site /> }.into_any(),
            ["members"] => view! { <MembersPage api=api.clone() site=site /> }.into_any(),
            ["audit"] => view! { <AuditPage api=api.clone() site=site /> }.into_any(),
            ["e-mail"] => view! { <DeliveriesPage api=api.clone() site=site /> }.into_any(),
            ["webhooks"] => view! { <WebhooksPage api=api.clone() site=site /> }.into_any(),
            ["technicians", "new"] => {
                view! { <TechnicianEditor api=api.clone() site=site id=None /> }.into_any()
            }
            ["technicians", id] => {
                view! { <TechnicianEditor api=api.clone() site=site id=Some((*id).to_owned()) /> }.into_any()
            }
            ["technicians"] => view! { <TechnicianList api=api.clone() site=site /> }.into_any(),
            _ => view! { <WorkOrderList api=api.clone() site=site /> }.into_any(),
        }
    };
    view! {
        <nav aria-label="Console">
            <label for="site-picker">"Site"</label>
            <select id="site-picker" on:change=move |ev| site.set(event_target_value(&ev))>
                {sites.into_iter().map(|s| {
                    let id = s.site.to_string();
                    let label = format!("{id} ({})", s.role.as_str());
                    view! { <option value=id.clone() selected=move || site.get() == id>{label}</option> }
                }).collect_view()}
            </select>
            {move || if technician_only() {
                view! { <a href="#/my-jobs">"My jobs"</a> }.into_any()
            } else {
                view! {
                    <a href="#/work-orders">"Work orders"</a>
                    <a href="#/board">"Board"</a>
                    <a href="#/e-mail">"E-mail"</a>
                    <a href="#/technicians">"Technicians"</a>
                    <a href="#/services">"Services"</a>
                    <a href="#/order-form">"Order form"</a>
                    <a href="#/work-order-rules">"Work-order rules"</a>
                    <a href="#/settings">"Settings"</a>
                    <a href="#/members">"Members"</a>
                    {owner().then(|| view! { <a href="#/webhooks">"Webhooks"</a> })}
                    <a href="#/audit">"Audit trail"</a>
                }.into_any()
            }}
            {operator.then(|| view! { <a href="#/new-site">"Open a site"</a> })}
            <a href="#/password">"Your password"</a>
            <button type="button" on:click=sign_out>"Sign out"</button>
        </nav>
        {page}
    }
}
