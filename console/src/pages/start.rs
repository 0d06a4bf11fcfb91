//! The first-run checklist: what a new site still needs before customers can book it, each
//! step a link to where it is done. Owners and dispatchers land here until every step is done.

use crate::api::{Api, Failure};
use crate::route::Route;
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::for_site;
use jobslot_domain::setup::{ServicesInput, SettingsInput, TechnicianEntry};
use leptos::prelude::*;

/// What the checklist found, step by step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// A business name and a way for customers to reach the business.
    pub business: bool,
    /// At least one service offered.
    pub service: bool,
    /// At least one active technician with areas and hours.
    pub technician: bool,
    /// The website the widget goes on is allowed to embed it.
    pub website: bool,
}

impl Progress {
    /// Every step done.
    pub fn complete(&self) -> bool {
        self.business && self.service && self.technician && self.website
    }

    /// What the site has set up, loading.
    fn resource(api: Api, site: SiteId) -> LocalResource<Result<Progress, Failure>> {
        LocalResource::new(move || {
            let (api, site) = (api.clone(), site.clone());
            async move { Progress::of(&api, &site).await }
        })
    }

    /// Reads what the site has set up so far.
    pub async fn of(api: &Api, site: &SiteId) -> Result<Progress, Failure> {
        let routes = for_site(site);
        let (settings, services, technicians) = (routes.settings(), routes.services(), routes.technicians());
        let (settings, services, technicians) = futures::join!(
            api.get::<SettingsInput>(&settings),
            api.get::<ServicesInput>(&services),
            api.get_all::<TechnicianEntry>(&technicians),
        );
        let settings = settings?.value;
        let has = |text: &str| !text.trim().is_empty();
        Ok(Progress {
            business: has(&settings.business_name)
                && (has(&settings.contact_email) || has(&settings.contact_phone)),
            service: services?.value.services.iter().any(|s| s.active),
            technician: technicians?.iter().any(|entry| {
                let t = &entry.technician;
                let h = &t.hours;
                let days =
                    [&h.monday, &h.tuesday, &h.wednesday, &h.thursday, &h.friday, &h.saturday, &h.sunday];
                t.active && !t.areas.is_empty() && days.iter().any(|day| !day.is_empty())
            }),
            website: !settings.allowed_origins.is_empty(),
        })
    }
}

/// The checklist page.
#[component]
pub fn StartPage(api: Api, site: SiteId) -> impl IntoView {
    let progress = Progress::resource(api, site);
    view! {
        <section aria-labelledby="start-heading">
            <h2 id="start-heading">"Get ready to take bookings"</h2>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || progress.get().map(|found| match found {
                    Err(failure) => view! { <p class="alert" role="alert">{failure.message()}</p> }.into_any(),
                    Ok(progress) => view! { <Checklist progress=progress /> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// The steps, each with its state and where to do it.
#[component]
fn Checklist(progress: Progress) -> impl IntoView {
    let steps = [
        (
            progress.business,
            "Your business",
            "Its name, and the e-mail or phone customers reach you at.",
            Route::Settings,
            "Open the settings",
        ),
        (
            progress.service,
            "A service to book",
            "What customers book, how long it takes and what it costs.",
            Route::Services,
            "Add a service",
        ),
        (
            progress.technician,
            "A technician",
            "Who does the work: the postcodes they cover and their weekly hours.",
            Route::NewTechnician,
            "Add a technician",
        ),
        (
            progress.website,
            "Your website",
            "Allow your website in the settings and paste the snippet there; the settings show the widget as customers will.",
            Route::Settings,
            "Get the snippet",
        ),
    ];
    let done = steps.iter().filter(|step| step.0).count();
    view! {
        <p>{if progress.complete() {
            "Everything is set up: customers can book you. New bookings appear under Work orders.".to_owned()
        } else {
            format!("{done} of {} steps done.", steps.len())
        }}</p>
        <ol class="checklist">
            {steps.into_iter().map(|(done, title, what, route, action)| view! {
                <li class:done=done>
                    <strong>{title}</strong>
                    <span class="state">{if done { " — done" } else { " — to do" }}</span>
                    <p class="hint">{what}</p>
                    {(!done).then(|| view! { <a href=route.href()>{action}</a> })}
                </li>
            }).collect_view()}
        </ol>
        {progress.complete().then(|| view! { <p><a href=Route::WorkOrders.href()>"Go to the work orders"</a></p> })}
    }
}

/// Where owners and dispatchers land: the checklist while the site is not ready, else the
/// work orders.
#[component]
pub fn Landing(api: Api, site: SiteId) -> impl IntoView {
    let progress = Progress::resource(api.clone(), site.clone());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || progress.get().map(|found| {
                let (api, site) = (api.clone(), site.clone());
                match found {
                    Ok(progress) if !progress.complete() => view! {
                        <section aria-labelledby="start-heading">
                            <h2 id="start-heading">"Get ready to take bookings"</h2>
                            <Checklist progress=progress />
                        </section>
                    }.into_any(),
                    _ => view! { <super::work_orders::WorkOrderList api=api site=site /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
