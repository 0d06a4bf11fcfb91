//! The Jobslot staff console: sign in, pick a site, set up the business.
//!
//! Pages are chosen by the URL fragment (`#/work-orders`, `#/work-orders/{number}`, `#/board`,
//! `#/my-jobs`, `#/technicians`, `#/technicians/new`, `#/technicians/{id}`, `#/services`,
//! `#/order-form`, `#/work-order-rules`, `#/settings`, `#/members`, `#/audit`), so every page
//! has an address and the browser's back button works, without a router dependency. A
//! technician lands on "My jobs", everyone else on the work orders.

pub mod api;
pub mod form;
mod format;
pub mod hours;
mod pages;
pub mod route;
pub mod session;
pub mod versioned;

pub use pages::technicians::TechnicianEditor;

use api::Api;
use jobslot_domain::ids::SiteId;
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
use pages::start::{Landing, StartPage};
use pages::technicians::TechnicianList;
use pages::webhooks::WebhooksPage;
use pages::work_order::WorkOrderView;
use pages::work_orders::WorkOrderList;
use route::Route;
use session::Config;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

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

/// The whole console: signing in, then the signed-in staff's workspace.
#[component]
pub fn Console() -> impl IntoView {
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
    match api.get::<Me>(jobslot_domain::routes::ME).await {
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
    let route = RwSignal::new(Route::parse(&current_hash()));
    let handle =
        window_event_listener(leptos::ev::hashchange, move |_| route.set(Route::parse(&current_hash())));
    on_cleanup(move || handle.remove());
    let sites = me.sites.clone();
    let site = RwSignal::new(sites.first().map(|s: &MySite| s.site.clone()));
    let zone = RwSignal::new("UTC".to_owned());
    provide_context(format::SiteZone(zone));
    {
        let api = api.clone();
        Effect::new(move |_| {
            let Some(site) = site.get() else { return };
            let api = api.clone();
            spawn_local(async move {
                let config = jobslot_domain::routes::for_site(&site).config();
                if let Ok(config) = api.public::<jobslot_domain::api::SiteConfigResponse>(&config).await {
                    zone.set(config.time_zone);
                }
            });
        });
    }
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
    let role_on = move |site: &SiteId| roles.iter().find(|s| &s.site == site).map(|s| s.role);
    let role = {
        let role_on = role_on.clone();
        move || site.get().and_then(|site| role_on(&site))
    };
    let technician_only = {
        let role = role.clone();
        move || role() == Some(Role::Technician)
    };
    // Webhook endpoints are the owners' (and integrators') to manage.
    let owner = move || role() == Some(Role::Owner);
    let page = move || {
        let route = route.get();
        match route {
            Some(Route::NewSite) if operator => return view! { <NewSitePage api=api.clone() /> }.into_any(),
            Some(Route::Password) => return view! { <PasswordPage api=api.clone() /> }.into_any(),
            _ => {}
        }
        let Some(site) = site.get() else {
            return view! { <p>"You are not a member of any site yet. Ask the business's owner to add you."</p> }.into_any();
        };
        let api = api.clone();
        let technician = role_on(&site) == Some(Role::Technician);
        let Some(route) = route else {
            return if technician {
                view! { <MyJobs api=api site=site /> }.into_any()
            } else {
                view! { <Landing api=api site=site /> }.into_any()
            };
        };
        match route {
            Route::WorkOrder(number) => {
                view! { <WorkOrderView api=api site=site number=number /> }.into_any()
            }
            Route::WorkOrders => view! { <WorkOrderList api=api site=site /> }.into_any(),
            Route::Board => view! { <BoardPage api=api site=site /> }.into_any(),
            Route::MyJobs => view! { <MyJobs api=api site=site /> }.into_any(),
            // A technician's other pages are their own jobs; the server holds the line too.
            _ if technician => view! { <MyJobs api=api site=site /> }.into_any(),
            Route::Start => view! { <StartPage api=api site=site /> }.into_any(),
            Route::WorkOrderRules => view! { <RulesPage api=api site=site /> }.into_any(),
            Route::Settings => view! { <SettingsPage api=api site=site /> }.into_any(),
            Route::Services => view! { <ServicesPage api=api site=site /> }.into_any(),
            Route::OrderForm => view! { <OrderFormPage api=api site=site /> }.into_any(),
            Route::Members => view! { <MembersPage api=api site=site /> }.into_any(),
            Route::Audit => view! { <AuditPage api=api site=site /> }.into_any(),
            Route::Email => view! { <DeliveriesPage api=api site=site /> }.into_any(),
            Route::Webhooks => view! { <WebhooksPage api=api site=site /> }.into_any(),
            Route::NewTechnician => view! { <TechnicianEditor api=api site=site id=None /> }.into_any(),
            Route::Technician(id) => view! { <TechnicianEditor api=api site=site id=Some(id) /> }.into_any(),
            Route::Technicians => view! { <TechnicianList api=api site=site /> }.into_any(),
            Route::NewSite | Route::Password => view! { <WorkOrderList api=api site=site /> }.into_any(),
        }
    };
    view! {
        <nav aria-label="Console">
            <label for="site-picker">"Site"</label>
            <select id="site-picker" on:change={
                let sites = sites.clone();
                move |ev| {
                    let chosen = event_target_value(&ev);
                    site.set(sites.iter().find(|s| s.site.as_str() == chosen).map(|s| s.site.clone()));
                }
            }>
                {sites.iter().map(|s| {
                    let id = s.site.clone();
                    let label = format!("{id} ({})", s.role.as_str());
                    view! { <option value=id.to_string() selected=move || site.get().as_ref() == Some(&id)>{label}</option> }
                }).collect_view()}
            </select>
            {move || if technician_only() {
                view! { <a href=Route::MyJobs.href()>"My jobs"</a> }.into_any()
            } else {
                view! {
                    <a href=Route::Start.href()>"Checklist"</a>
                    <a href=Route::WorkOrders.href()>"Work orders"</a>
                    <a href=Route::Board.href()>"Board"</a>
                    <a href=Route::Email.href()>"E-mail"</a>
                    <a href=Route::Technicians.href()>"Technicians"</a>
                    <a href=Route::Services.href()>"Services"</a>
                    <a href=Route::OrderForm.href()>"Order form"</a>
                    <a href=Route::WorkOrderRules.href()>"Work-order rules"</a>
                    <a href=Route::Settings.href()>"Settings"</a>
                    <a href=Route::Members.href()>"Members"</a>
                    {owner().then(|| view! { <a href=Route::Webhooks.href()>"Webhooks"</a> })}
                    <a href=Route::Audit.href()>"Audit trail"</a>
                }.into_any()
            }}
            {operator.then(|| view! { <a href=Route::NewSite.href()>"Open a site"</a> })}
            <a href=Route::Password.href()>"Your password"</a>
            <button type="button" on:click=sign_out>"Sign out"</button>
        </nav>
        {page}
    }
}
