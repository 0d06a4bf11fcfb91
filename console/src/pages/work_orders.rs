//! Work orders: the list dispatchers search (status, days, technician, postcode, words),
//! sorted by appointment, a page at a time.

use crate::api::Api;
use crate::format;
use crate::route::Route;
use jobslot_domain::dispatch::{WorkOrderPage, WorkOrderSummary};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::{for_site, with_query};
use jobslot_domain::work_order::OrderStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A technician as the pickers list one.
pub type TechnicianName = jobslot_domain::setup::TechnicianEntry;

/// Every technician of `site`, for pickers.
pub async fn technician_names(api: &Api, site: &SiteId) -> Vec<TechnicianName> {
    api.get_all::<TechnicianName>(&for_site(site).technicians()).await.unwrap_or_default()
}

/// The work-order list with its filters.
#[component]
pub fn WorkOrderList(api: Api, site: SiteId) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let technician = RwSignal::new(String::new());
    let postcode = RwSignal::new(String::new());
    let words = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<WorkOrderSummary>::new());
    let next = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let technicians = RwSignal::new(Vec::<TechnicianName>::new());
    {
        let (api, site) = (api.clone(), site.clone());
        spawn_local(async move { technicians.set(technician_names(&api, &site).await) });
    }
    let load = {
        let (api, site) = (api.clone(), site.clone());
        move |cursor: Option<String>| {
            let (api, site) = (api.clone(), site.clone());
            let path = with_query(
                for_site(&site).work_orders(),
                &[
                    ("status", status.get_untracked().trim()),
                    ("from", from.get_untracked().trim()),
                    ("to", to.get_untracked().trim()),
                    ("technician", technician.get_untracked().trim()),
                    ("postcode", postcode.get_untracked().trim()),
                    ("q", words.get_untracked().trim()),
                    ("cursor", cursor.as_deref().unwrap_or_default()),
                ],
            );
            spawn_local(async move {
                match api.get::<WorkOrderPage>(&path).await {
                    Ok(page) => {
                        let page = page.value;
                        message.set(None);
                        if cursor.is_some() {
                            rows.update(|r| r.extend(page.items));
                        } else {
                            if page.items.is_empty() {
                                message.set(Some("No work orders match.".into()));
                            }
                            rows.set(page.items);
                        }
                        next.set(page.next);
                    }
                    Err(failure) => message.set(Some(failure.message())),
                }
            });
        }
    };
    load(None);
    let search = {
        let load = load.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            load(None);
        }
    };
    let more = move || {
        let load = load.clone();
        move |_| load(next.get_untracked())
    };
    view! {
        <section aria-labelledby="work-orders-heading">
            <h2 id="work-orders-heading">"Work orders"</h2>
            <form class="filters" role="search" on:submit=search>
                <div class="field">
                    <label for="wo-q">"Find"</label>
                    <input id="wo-q" type="search" placeholder="Number, customer, phone, street…"
                        prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="wo-status">"Status"</label>
                    <select id="wo-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">"Any"</option>
                        {OrderStatus::ALL.into_iter().map(|s| view! { <option value=s.name()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="wo-from">"From"</label>
                    <input id="wo-from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="wo-to">"To"</label>
                    <input id="wo-to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="wo-technician">"Technician"</label>
                    <select id="wo-technician" on:change=move |ev| technician.set(event_target_value(&ev))>
                        <option value="">"Anyone"</option>
                        {move || technicians.get().into_iter().map(|t| view! { <option value=t.id.to_string()>{t.technician.name}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="wo-postcode">"Postcode"</label>
                    <input id="wo-postcode" prop:value=move || postcode.get() on:input=move |ev| postcode.set(event_target_value(&ev)) />
                </div>
                <div class="actions"><button type="submit" class="primary">"Search"</button></div>
            </form>
            <p class="alert" role="status">{move || message.get()}</p>
            <table>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"Number"</th><th scope="col">"Customer"</th>
                    <th scope="col">"Where"</th><th scope="col">"Service"</th><th scope="col">"Technician"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|row| view! {
                        <tr>
                            <td>{format::booked(row.time(), &row.time_zone)}</td>
                            <td><a href=Route::WorkOrder(row.number.clone()).href()>{row.number.to_string()}</a></td>
                            <td>{row.customer.clone()}</td>
                            <td>{format!("{} {}", row.city, row.postcode)}</td>
                            <td>{row.service_name.clone()}</td>
                            <td>{row.technician.as_ref().map(|t| t.name.clone())}</td>
                            <td><span class=format!("status status-{}", row.status.name())>{row.status.label()}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {move || next.get().map(|_| view! { <button type="button" on:click=more()>"More"</button> })}
        </section>
    }
}
