//! "My jobs": a technician's own jobs on a phone, today's first and then what is coming: the
//! address with a map link, the customer's phone, the form answers, and the buttons of the
//! field flow (Enroute → Onsite → Closed complete / Closed incomplete with a reason), with
//! "Book follow-up" on a job closed incomplete whose rules allow it.

use crate::api::Api;
use crate::format;
use crate::pages::work_order::{FollowUp, Job, StatusActions, map_link, rules};
use jiff::SignedDuration;
use jobslot_domain::dispatch::{WorkOrderDetail, WorkOrderPage, WorkOrderRulesInput};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::{for_site, with_query};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The signed-in technician's jobs.
#[component]
pub fn MyJobs(api: Api, site: SiteId) -> impl IntoView {
    let jobs = RwSignal::new(Vec::<RwSignal<Option<Job>>>::new());
    let rules_signal = RwSignal::new(None::<WorkOrderRulesInput>);
    let message = RwSignal::new(None::<String>);
    {
        let (api, site) = (api.clone(), site.clone());
        spawn_local(async move {
            rules_signal.set(rules(&api, &site).await);
            // From yesterday by this phone's clock, so a job of today is there in any zone;
            // the server keeps the list to the technician's own jobs.
            let since = format::iso_date(format::now() - SignedDuration::from_hours(24), "UTC");
            let page = match api
                .get::<WorkOrderPage>(&with_query(
                    for_site(&site).work_orders(),
                    &[("from", &since), ("limit", "100")],
                ))
                .await
            {
                Ok(page) => page.value,
                Err(failure) => return message.set(Some(failure.message())),
            };
            // Earlier days' closed jobs are done with; the rest load at once, in list order.
            let wanted = page.items.into_iter().filter(|summary| {
                let today = format::iso_date(format::now(), &summary.time_zone);
                let day = summary.start.map(|start| format::iso_date(start, &summary.time_zone));
                day.is_some_and(|day| day >= today) || !summary.status.is_closed()
            });
            let details = futures::future::join_all(wanted.map(|summary| {
                let (api, path) = (api.clone(), for_site(&site).work_order(&summary.number));
                async move { api.get::<WorkOrderDetail>(&path).await }
            }))
            .await;
            let loaded: Vec<_> =
                details.into_iter().filter_map(Result::ok).map(|job| RwSignal::new(Some(job))).collect();
            if loaded.is_empty() {
                message.set(Some("No jobs today or coming up.".into()));
            }
            jobs.set(loaded);
        });
    }
    view! {
        <section class="my-jobs" aria-labelledby="my-jobs-heading">
            <h2 id="my-jobs-heading">"My jobs"</h2>
            <p class="alert" role="status">{move || message.get()}</p>
            {move || jobs.get().into_iter().map(|job| {
                let (api, site) = (api.clone(), site.clone());
                let card_message = RwSignal::new(None::<String>);
                view! {
                    <article class="job-card">
                        {move || job.get().map(|found| {
                            let order = found.value.order;
                            let zone = order.time_zone.clone();
                            let time = order.appointment.as_ref().map(|a| a.time());
                            let today = time.is_some_and(|t| format::iso_date(format::now(), &zone) == format::iso_date(t.start, &zone));
                            view! {
                                <h3>
                                    {if today { "Today " } else { "" }}
                                    {format::booked(time, &zone)}
                                </h3>
                                <p><strong>{order.service.name.clone()}</strong>" · "{order.number.to_string()}" · "
                                    <span class=format!("status status-{}", order.status.name())>{order.status.label()}</span></p>
                                <p>{order.contact.name.as_str().to_owned()}" · "
                                    <a href=format!("tel:{}", order.contact.phone.as_str())>{order.contact.phone.as_str().to_owned()}</a></p>
                                <p>{format!("{}, {} {}", order.location.line1.as_str(), order.location.city.as_str(), order.location.postcode)}
                                    " " <a href=map_link(&order) target="_blank" rel="noopener">"Map"</a></p>
                                <dl class="facts">
                                    {order.asset.iter().map(|a| view! { <dt>{a.label.clone()}</dt><dd>{a.value.to_string()}</dd> }).collect_view()}
                                    {order.notes.as_ref().map(|n| view! { <dt>"Customer's notes"</dt><dd>{n.as_str().to_owned()}</dd> })}
                                </dl>
                            }
                        })}
                        <p class="alert" role="status">{move || card_message.get()}</p>
                        <StatusActions api=api.clone() site=site.clone() job=job rules=rules_signal message=card_message field_only=true />
                        <FollowUp api=api site=site job=job rules=rules_signal message=card_message />
                    </article>
                }
            }).collect_view()}
        </section>
    }
}
