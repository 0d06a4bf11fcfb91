//! The site's outgoing e-mail: each message's state, the mail server's last answer when it
//! failed, and sending one again.

use crate::api::{Api, Failure};
use crate::format;
use crate::route::Route;
use jobslot_domain::events::EventKind;
use jobslot_domain::ids::SiteId;
use jobslot_domain::notification::{Delivery, DeliveryPage, DeliveryStatus};
use jobslot_domain::routes::for_site;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn what(delivery: &Delivery) -> String {
    let kind = match delivery.event {
        EventKind::BookingCreated => "Booked",
        EventKind::BookingRescheduled => "New time",
        EventKind::BookingCancelled => "Cancelled",
        EventKind::StatusChanged => "Status",
        EventKind::ManageLinkReplaced => "New link",
    };
    let to = if delivery.audience == "customer" { "to the customer" } else { "to the office" };
    format!("{kind}, {to}")
}

/// Where a message stands, in words.
pub(crate) fn state(delivery: &Delivery) -> String {
    match delivery.status {
        DeliveryStatus::Delivered => "Delivered".into(),
        DeliveryStatus::Failed => format!("Given up after {} attempts", delivery.attempts),
        DeliveryStatus::Pending if delivery.attempts == 0 => "Waiting".into(),
        DeliveryStatus::Pending => format!("Retrying ({} attempts so far)", delivery.attempts),
        DeliveryStatus::Sending => "Sending".into(),
    }
}

/// Puts a settled message back in the queue (its key makes a double click one resend).
pub(crate) async fn send_again(api: &Api, site: &SiteId, delivery: &Delivery) -> Result<(), Failure> {
    let path = for_site(site).delivery_resend(&delivery.event_id, &delivery.audience);
    let key = format!("resend-{}-{}-{}", delivery.event_id, delivery.audience, delivery.resends);
    api.post::<_, Delivery>(&path, &serde_json::json!({}), &key).await.map(|_| ())
}

/// The newest 200 messages.
#[component]
pub fn DeliveriesPage(api: Api, site: SiteId) -> impl IntoView {
    let items = RwSignal::new(Vec::<Delivery>::new());
    let status = RwSignal::new(None::<String>);
    let load = {
        let (api, site) = (api.clone(), site.clone());
        move || {
            let (api, site) = (api.clone(), site.clone());
            spawn_local(async move {
                match api.get::<DeliveryPage>(&for_site(&site).deliveries()).await {
                    // Webhook deliveries have their own page.
                    Ok(page) => items.set(
                        page.value.items.into_iter().filter(|d| !d.audience.starts_with("wh_")).collect(),
                    ),
                    Err(failure) => status.set(Some(failure.message())),
                }
            });
        }
    };
    load();
    let resend = move |delivery: Delivery| {
        let (api, site, load) = (api.clone(), site.clone(), load.clone());
        spawn_local(async move {
            match send_again(&api, &site, &delivery).await {
                Ok(_) => {
                    status.set(Some(format!("{} will be sent again.", what(&delivery))));
                    load();
                }
                Err(failure) => status.set(Some(failure.message())),
            }
        });
    };
    view! {
        <section aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">"E-mail"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <table>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"Work order"</th><th scope="col">"Message"</th>
                    <th scope="col">"State"</th><th scope="col">"Mail server's answer"</th><th scope="col">"Actions"</th>
                </tr></thead>
                <tbody>
                    {move || items.get().into_iter().map(|d| {
                        let resend = resend.clone();
                        let settled = matches!(d.status, DeliveryStatus::Delivered | DeliveryStatus::Failed);
                        let label = format!("Send again: {} for {}", what(&d), d.work_order);
                        let again = d.clone();
                        view! {
                            <tr>
                                <td>{format::date_time(d.event_at, &format::site_zone())}</td>
                                <td><a href=Route::WorkOrder(d.work_order.clone()).href()>{d.work_order.to_string()}</a></td>
                                <td>{what(&d)}</td>
                                <td>{state(&d)}</td>
                                <td>{d.last_error.clone().unwrap_or_default()}</td>
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
