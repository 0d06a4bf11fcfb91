//! One work order: the customer, the place, the business's form answers, the booking, notes
//! and remarks, the history of every change, and what staff can do next (status, reassign,
//! reschedule, cancel, follow-up).

use crate::api::{Api, Failure, Tagged, Version};
use crate::format;
use crate::pages::work_orders::{TechnicianName, technician_names};
use crate::route::Route;
use crate::session;
use jobslot_domain::api::SlotsResponse;
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::connector::UnscheduledOrderCreated;
use jobslot_domain::dispatch::{WorkOrderDetail, WorkOrderRulesInput};
use jobslot_domain::ids::{SiteId, WorkOrderNumber};
use jobslot_domain::routes::{for_site, with_query};
use jobslot_domain::work_order::{OrderStatus, WorkOrder};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

/// A work order and its version, as the pages hold it.
pub type Job = Tagged<WorkOrderDetail>;

/// Sends a PATCH of `body` to the job under its version; answers with the changed job.
pub async fn change(api: &Api, site: &SiteId, job: &Job, body: &Value) -> Result<Job, Failure> {
    let path = for_site(site).work_order(&job.value.order.number);
    let version = Version::Of(job.etag.clone().unwrap_or_default());
    api.patch(&path, body, &version).await
}

/// The site's reason codes and rules (everyone on the site may read them).
pub async fn rules(api: &Api, site: &SiteId) -> Option<WorkOrderRulesInput> {
    api.get::<WorkOrderRulesInput>(&for_site(site).work_order_rules()).await.ok().map(|t| t.value)
}

fn action_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Enroute => "Enroute",
        OrderStatus::Onsite => "Onsite",
        OrderStatus::TravelComplete => "Travel complete",
        OrderStatus::Pending => "Pending",
        OrderStatus::ClosedComplete => "Close complete",
        OrderStatus::ClosedIncomplete => "Close incomplete",
        OrderStatus::Rejected => "Reject",
        OrderStatus::Cancelled => "Cancel job",
        OrderStatus::New => "New",
    }
}

/// A map search for the job's address.
pub fn map_link(order: &WorkOrder) -> String {
    let address = format!(
        "{}, {} {}",
        order.location.line1.as_str(),
        order.location.city.as_str(),
        order.location.postcode
    );
    format!("https://www.openstreetmap.org/search?query={}", js_sys::encode_uri_component(&address))
}

/// The status moves the job allows from where it is, each a button; closing incomplete and
/// rejecting ask for a reason code from the site's list first.
#[component]
pub fn StatusActions(
    api: Api,
    site: SiteId,
    job: RwSignal<Option<Job>>,
    rules: RwSignal<Option<WorkOrderRulesInput>>,
    message: RwSignal<Option<String>>,
    /// Leave out reject and cancel (the technician's view).
    #[prop(optional)]
    field_only: bool,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let send = move |body: Value| {
        let (api, site) = (api.clone(), site.clone());
        let Some(current) = job.get_untracked() else { return };
        spawn_local(async move {
            match change(&api, &site, &current, &body).await {
                Ok(changed) => {
                    message.set(Some(format!("Now {}.", changed.value.order.status.label().to_lowercase())));
                    job.set(Some(changed));
                }
                Err(failure) => message.set(Some(field_message(&failure))),
            }
        });
    };
    move || {
        let Some(current) = job.get() else { return ().into_any() };
        let status = current.value.order.status;
        let booked = current.value.order.appointment.is_some();
        let nexts: Vec<OrderStatus> = OrderStatus::ALL
            .into_iter()
            .filter(|next| status.can_become(*next))
            // An order waiting for its customer to book has no field work yet.
            .filter(|next| booked || !next.needs_appointment())
            .filter(|next| !field_only || !matches!(next, OrderStatus::Rejected | OrderStatus::Cancelled))
            .collect();
        let reasons = move |next: OrderStatus| {
            rules
                .get()
                .map(|r| if next == OrderStatus::Rejected { r.rejected } else { r.closed_incomplete })
                .unwrap_or_default()
        };
        view! {
            <div class="status-actions" role="group" aria-label="Change the status">
                {nexts.into_iter().map(|next| {
                    let send = send.clone();
                    if next.reason_list().is_some() {
                        let id = format!("reason-{}", next.name());
                        let send_reason = send.clone();
                        view! {
                            <div class="reasoned">
                                <label for=id.clone()>{format!("Reason to {}", action_label(next).to_lowercase())}</label>
                                <select id=id on:change=move |ev| reason.set(event_target_value(&ev))>
                                    <option value="">"Choose a reason"</option>
                                    {reasons(next).into_iter().map(|r| view! { <option value=r.code>{r.label}</option> }).collect_view()}
                                </select>
                                <button type="button" on:click=move |_| {
                                    let code = reason.get_untracked();
                                    // No code chosen: the server's message asks for one.
                                    let body = if code.is_empty() { json!({ "status": next.name() }) }
                                        else { json!({ "status": next.name(), "reason_code": code }) };
                                    send_reason(body)
                                }>
                                    {action_label(next)}
                                </button>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class=if next == OrderStatus::Cancelled { "danger" } else { "primary" }
                                on:click=move |_| send(json!({ "status": next.name() }))>{action_label(next)}</button>
                        }.into_any()
                    }
                }).collect_view()}
            </div>
        }
        .into_any()
    }
}

/// The message for a failed change: the fields' messages when fields are at fault.
pub fn field_message(failure: &Failure) -> String {
    let fields = failure.field_errors();
    if fields.is_empty() {
        failure.message()
    } else {
        fields.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join(" ")
    }
}

/// "Book follow-up" for a job closed incomplete whose rules allow it: free slots for the same
/// place and service (the same technician's first), then a new linked work order.
#[component]
pub fn FollowUp(
    api: Api,
    site: SiteId,
    job: RwSignal<Option<Job>>,
    rules: RwSignal<Option<WorkOrderRulesInput>>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let slots = RwSignal::new(None::<SlotsResponse>);
    let allowed = move || {
        let (Some(job), Some(rules)) = (job.get(), rules.get()) else { return false };
        let order = &job.value.order;
        let order_type =
            serde_json::to_value(order.order_type).ok().and_then(|v| v.as_str().map(str::to_owned));
        order.status == OrderStatus::ClosedIncomplete
            && order_type
                .and_then(|t| rules.order_types.get(&t).map(|r| r.can_schedule_followup))
                .unwrap_or(false)
    };
    let search = {
        let (api, site) = (api.clone(), site.clone());
        move |_| {
            let (api, site) = (api.clone(), site.clone());
            let Some(current) = job.get_untracked() else { return };
            spawn_local(async move {
                let path = with_query(
                    for_site(&site).work_order_follow_up_slots(&current.value.order.number),
                    &[("days", "14")],
                );
                match api.get::<SlotsResponse>(&path).await {
                    Ok(found) => slots.set(Some(found.value)),
                    Err(failure) => message.set(Some(failure.message())),
                }
            });
        }
    };
    let book = move |technician: String, start: String| {
        let (api, site) = (api.clone(), site.clone());
        let Some(current) = job.get_untracked() else { return };
        spawn_local(async move {
            let number = current.value.order.number.clone();
            let path = for_site(&site).work_order_follow_up(&number);
            let key = session::idempotency_key().unwrap_or_default();
            match api
                .post::<_, WorkOrderCreated>(
                    &path,
                    &json!({ "technician": technician, "start": start }),
                    &key,
                )
                .await
            {
                Ok(created) => {
                    let created = created.value;
                    message.set(Some(format!(
                        "Follow-up {} booked with {} for {}.",
                        created.number,
                        created.technician_name,
                        format::date_time(created.start, &created.time_zone)
                    )));
                    slots.set(None);
                    if let Ok(fresh) = api.get::<WorkOrderDetail>(&for_site(&site).work_order(&number)).await
                    {
                        job.set(Some(fresh));
                    }
                }
                Err(failure) => message.set(Some(failure.message())),
            }
        });
    };
    move || {
        if !allowed() {
            return ().into_any();
        }
        let book = book.clone();
        view! {
            <div class="follow-up">
                <button type="button" class="primary" on:click=search.clone()>"Book follow-up"</button>
                {move || slots.get().map(|found| {
                    let zone = found.time_zone.clone();
                    let names: std::collections::HashMap<String, String> =
                        found.technicians.iter().map(|t| (t.id.to_string(), t.name.clone())).collect();
                    let book = book.clone();
                    if found.days.is_empty() {
                        return view! { <p>"No free slots in the next two weeks."</p> }.into_any();
                    }
                    view! {
                        <ul class="slots" aria-label="Free slots for the follow-up">
                            {found.days.into_iter().flat_map(|day| day.slots).take(40).map(|slot| {
                                let (book, tech, start) = (book.clone(), slot.technician.to_string(), slot.start.to_string());
                                let label = format!("{} — {}", format::date_time(slot.start, &zone), names.get(&tech).cloned().unwrap_or_default());
                                view! { <li><button type="button" on:click=move |_| book(tech.clone(), start.clone())>{label}</button></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </div>
        }
        .into_any()
    }
}

/// The work order page for dispatchers and owners.
/// The customer's links: a new booking link for an order that waits for its booking, a new
/// manage link (e-mailed to the customer) for a booked one. Either kills the one before.
#[component]
fn CustomerLinks(
    api: Api,
    site: SiteId,
    job: RwSignal<Option<Job>>,
    message: RwSignal<Option<String>>,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let booking_link = RwSignal::new(None::<String>);
    let new_booking_link = {
        let (api, site) = (api.clone(), site.clone());
        move |_| {
            let Some(found) = job.get_untracked() else { return };
            let number = found.value.order.number.clone();
            if !super::confirmed("The booking link given before will stop working. Make a new one?") {
                return;
            }
            let (api, site) = (api.clone(), site.clone());
            spawn_local(async move {
                let path = for_site(&site).work_order_booking_link(&number);
                match api.act::<UnscheduledOrderCreated>(&path).await {
                    Ok(created) => {
                        let origin =
                            web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                        booking_link.set(Some(format!("{origin}{}", created.booking_path)));
                        message.set(Some("New booking link made; the one before no longer works.".into()));
                    }
                    Err(failure) => message.set(Some(failure.message())),
                }
            });
        }
    };
    let new_manage_link = move |_: leptos::ev::MouseEvent| {
        let Some(found) = job.get_untracked() else { return };
        let order = &found.value.order;
        let (number, email) = (order.number.clone(), order.contact.email.as_str().to_owned());
        let question = format!(
            "Links to this booking sent before will stop working, and a new one goes to {email}. Go on?"
        );
        if !super::confirmed(&question) {
            return;
        }
        let (api, site, reload) = (api.clone(), site.clone(), reload.clone());
        spawn_local(async move {
            match api.act_empty(&for_site(&site).booking_manage_link(&number)).await {
                Ok(()) => {
                    message.set(Some(format!(
                        "A new link is on its way to {email}; the ones before no longer work."
                    )));
                    reload();
                }
                Err(failure) => message.set(Some(failure.message())),
            }
        });
    };
    move || {
        let order = job.get()?.value.order;
        let waiting = order.appointment.is_none() && order.status == OrderStatus::New;
        let booked = order.held().is_some();
        (waiting || booked).then(|| view! {
            <h3>"Customer's link"</h3>
            {waiting.then(|| view! {
                <p class="hint">"The customer books this order through its link."</p>
                <button type="button" on:click=new_booking_link.clone()>"New booking link"</button>
                {move || booking_link.get().map(|url| view! {
                    <p><label for="booking-link">"Booking link (shown only now)"</label>
                    <input id="booking-link" readonly prop:value=url /></p>
                })}
            })}
            {booked.then(|| view! {
                <p class="hint">"The customer sees, moves or cancels the booking through the link in their e-mails."</p>
                <button type="button" on:click=new_manage_link.clone()>"Send a new link"</button>
            })}
        })
    }
}

#[component]
pub fn WorkOrderView(api: Api, site: SiteId, number: WorkOrderNumber) -> impl IntoView {
    let job = RwSignal::new(None::<Job>);
    let rules_signal = RwSignal::new(None::<WorkOrderRulesInput>);
    let technicians = RwSignal::new(Vec::<TechnicianName>::new());
    let message = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let remarks = RwSignal::new(String::new());
    let reassign_to = RwSignal::new(String::new());
    let times = RwSignal::new(None::<SlotsResponse>);
    let load = {
        let (api, site, number) = (api.clone(), site.clone(), number.clone());
        move || {
            let (api, site, number) = (api.clone(), site.clone(), number.clone());
            spawn_local(async move {
                match api.get::<WorkOrderDetail>(&for_site(&site).work_order(&number)).await {
                    Ok(found) => {
                        remarks.set(
                            found
                                .value
                                .order
                                .remarks
                                .as_ref()
                                .map(|r| r.as_str().to_owned())
                                .unwrap_or_default(),
                        );
                        job.set(Some(found));
                    }
                    Err(failure) => message.set(Some(failure.message())),
                }
            });
        }
    };
    load();
    {
        let (api, site) = (api.clone(), site.clone());
        spawn_local(async move {
            rules_signal.set(rules(&api, &site).await);
            technicians.set(technician_names(&api, &site).await);
        });
    }
    let patch = {
        let (api, site) = (api.clone(), site.clone());
        move |body: Value, done: String| {
            let (api, site) = (api.clone(), site.clone());
            let Some(current) = job.get_untracked() else { return };
            spawn_local(async move {
                match change(&api, &site, &current, &body).await {
                    Ok(changed) => {
                        message.set(Some(done));
                        job.set(Some(changed));
                        times.set(None);
                    }
                    Err(failure) => message.set(Some(field_message(&failure))),
                }
            });
        }
    };
    let find_times = {
        let (api, site) = (api.clone(), site.clone());
        move |_| {
            let (api, site) = (api.clone(), site.clone());
            let Some(current) = job.get_untracked() else { return };
            let order = current.value.order;
            let path = with_query(
                for_site(&site).slots(),
                &[
                    ("postcode", order.location.postcode.as_str()),
                    ("service", order.service.id.as_str()),
                    ("days", "14"),
                ],
            );
            spawn_local(async move {
                match api.public::<SlotsResponse>(&path).await {
                    Ok(found) => times.set(Some(found)),
                    Err(failure) => message.set(Some(failure.message())),
                }
            });
        }
    };
    let add_note = {
        let patch = patch.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            patch(json!({ "staff_notes": [{ "text": note.get_untracked() }] }), "Note added.".into());
            note.set(String::new());
        }
    };
    let save_remarks = {
        let patch = patch.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = remarks.get_untracked();
            let body = if text.trim().is_empty() {
                json!({ "_fields": ["remarks"] })
            } else {
                json!({ "remarks": text })
            };
            patch(body, "Remarks saved.".into());
        }
    };
    let reassign = {
        let patch = patch.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            patch(json!({ "technician": reassign_to.get_untracked() }), "Reassigned.".into());
        }
    };
    let status_view = view! { <StatusActions api=api.clone() site=site.clone() job=job rules=rules_signal message=message /> };
    let follow_up =
        view! { <FollowUp api=api.clone() site=site.clone() job=job rules=rules_signal message=message /> };
    let links = view! { <CustomerLinks api=api.clone() site=site.clone() job=job message=message reload=load.clone() /> };
    let move_to = patch.clone();
    let delete_note = patch.clone();
    view! {
        <section aria-labelledby="work-order-heading">
            <p><a href=Route::WorkOrders.href()>"← Work orders"</a></p>
            <h2 id="work-order-heading">{number.to_string()}</h2>
            <p class="alert" role="status">{move || message.get()}</p>
            {move || job.get().map(|found| {
                let order = found.value.order.clone();
                let zone = order.time_zone.clone();
                view! {
                    <p class="status-line">
                        <span class=format!("status status-{}", order.status.name())>{order.status.label()}</span>
                        {order.reason.as_ref().map(|r| format!(" — {}", r.label))}
                        {order.follow_up_of.as_ref().map(|n| view! { " · follows up " <a href=Route::WorkOrder(n.clone()).href()>{n.to_string()}</a> })}
                    </p>
                    <dl class="facts">
                        <dt>"Service"</dt><dd>{order.service.name.clone()}</dd>
                        <dt>"When"</dt><dd>{format::booked(order.appointment.as_ref().map(|a| a.time()), &zone)}</dd>
                        <dt>"Technician"</dt><dd>{order.technician().map_or("None yet".to_owned(), |t| t.name.clone())}</dd>
                        <dt>"Customer"</dt><dd>{order.contact.name.as_str().to_owned()}</dd>
                        <dt>"E-mail"</dt><dd><a href=format!("mailto:{}", order.contact.email.as_str())>{order.contact.email.as_str().to_owned()}</a></dd>
                        <dt>"Phone"</dt><dd><a href=format!("tel:{}", order.contact.phone.as_str())>{order.contact.phone.as_str().to_owned()}</a></dd>
                        <dt>"Address"</dt>
                        <dd>
                            {format!("{}{}, {} {}", order.location.line1.as_str(),
                                order.location.line2.as_ref().map(|l| format!(", {}", l.as_str())).unwrap_or_default(),
                                order.location.city.as_str(), order.location.postcode)}
                            " " <a href=map_link(&order) target="_blank" rel="noopener">"Map"</a>
                        </dd>
                        {order.asset.iter().map(|a| view! { <dt>{a.label.clone()}</dt><dd>{a.value.to_string()}</dd> }).collect_view()}
                        {order.notes.as_ref().map(|n| view! { <dt>"Customer's notes"</dt><dd>{n.as_str().to_owned()}</dd> })}
                        {(!order.tracking.is_empty()).then(|| view! {
                            <dt>"Came from"</dt>
                            <dd class="tracking">{order.tracking.values().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(" · ")}</dd>
                        })}
                        {(!order.follow_ups.is_empty()).then(|| view! {
                            <dt>"Follow-ups"</dt>
                            <dd>{order.follow_ups.iter().map(|n| view! { <a href=Route::WorkOrder(n.clone()).href()>{n.to_string()}</a> " " }).collect_view()}</dd>
                        })}
                    </dl>
                }
            })}
            <h3>"Next"</h3>
            {status_view}
            {follow_up}
            {links}
            <h3>{move || if job.get().is_some_and(|j| j.value.order.appointment.is_none()) { "Book a time" } else { "Reassign or reschedule" }}</h3>
            <form class="inline-check" on:submit=reassign>
                <label for="reassign-to">"Technician"</label>
                <select id="reassign-to" on:change=move |ev| reassign_to.set(event_target_value(&ev))>
                    <option value="">"Choose"</option>
                    {move || technicians.get().into_iter().map(|t| view! { <option value=t.id.to_string()>{t.technician.name}</option> }).collect_view()}
                </select>
                <button type="submit">"Reassign"</button>
                <button type="button" on:click=find_times>"Find other times"</button>
            </form>
            {move || times.get().map(|found| {
                let zone = found.time_zone.clone();
                let names: std::collections::HashMap<String, String> =
                    found.technicians.iter().map(|t| (t.id.to_string(), t.name.clone())).collect();
                let move_to = move_to.clone();
                let current = job.get_untracked().and_then(|j| j.value.order.technician().map(|t| t.id.to_string())).unwrap_or_default();
                view! {
                    <ul class="slots" aria-label="Free times">
                        {found.days.into_iter().flat_map(|d| d.slots).take(40).map(|slot| {
                            let move_to = move_to.clone();
                            let tech = slot.technician.to_string();
                            let label = format!("{} — {}", format::date_time(slot.start, &zone), names.get(&tech).cloned().unwrap_or_default());
                            let done = if tech == current {
                                "Rescheduled.".to_owned()
                            } else {
                                format!("Reassigned to {}.", names.get(&tech).cloned().unwrap_or_default())
                            };
                            let body = json!({ "technician": tech, "start": slot.start.to_string() });
                            view! { <li><button type="button" on:click=move |_| move_to(body.clone(), done.clone())>{label}</button></li> }
                        }).collect_view()}
                    </ul>
                }
            })}
            <h3>"Remarks for the customer"</h3>
            <form on:submit=save_remarks>
                <label for="remarks">"Remarks"</label>
                <textarea id="remarks" rows="3" prop:value=move || remarks.get() on:input=move |ev| remarks.set(event_target_value(&ev))></textarea>
                <div class="actions"><button type="submit">"Save remarks"</button></div>
            </form>
            <h3>"Staff notes"</h3>
            <ul class="notes">
                {move || job.get().map(|found| found.value.order.staff_notes.into_iter().map(|n| {
                    let delete_note = delete_note.clone();
                    let id = n.id.clone();
                    let zone = found.value.order.time_zone.clone();
                    view! {
                        <li>
                            <p>{n.text.as_str().to_owned()}</p>
                            <p class="hint">{format!("{}, {}", n.author, format::date_time(n.at, &zone))}</p>
                            <button type="button" on:click=move |_| delete_note(json!({ "staff_notes": [{ "id": id.clone(), "Delete": true }] }), "Note removed.".into())>"Remove"</button>
                        </li>
                    }
                }).collect_view())}
            </ul>
            <form on:submit=add_note>
                <label for="new-note">"Add a note (internal, never shown to the customer)"</label>
                <textarea id="new-note" rows="2" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <div class="actions"><button type="submit">"Add note"</button></div>
            </form>
            <h3>"History"</h3>
            <table>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"From"</th><th scope="col">"To"</th></tr></thead>
                <tbody>
                    {move || job.get().map(|found| {
                        let zone = found.value.order.time_zone.clone();
                        found.value.history.into_iter().flat_map(|entry| {
                            let (at, by) = (format::date_time(entry.at, &zone), entry.by.clone());
                            entry.changes.into_iter().map(move |c| view! {
                                <tr><td>{at.clone()}</td><td>{by.clone()}</td><td>{c.field}</td><td>{c.from.unwrap_or_default()}</td><td>{c.to.unwrap_or_default()}</td></tr>
                            })
                        }).collect_view()
                    })}
                </tbody>
            </table>
        </section>
    }
}
