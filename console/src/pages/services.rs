//! Services: what customers can book, with duration, price, order type and whether offered.

use crate::api::Api;
use crate::form::control_id;
use crate::versioned::{Status, VersionedForm};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::for_site;
use jobslot_domain::setup::{ServiceInput, ServicesInput};
use leptos::prelude::*;

const ORDER_TYPES: [(&str, &str); 7] = [
    ("install", "Install"),
    ("inspection", "Inspection"),
    ("maintenance", "Maintenance"),
    ("de_install", "De-install"),
    ("repair", "Repair"),
    ("demo", "Demo"),
    ("training", "Training"),
];

/// One editable row.
#[derive(Clone, Copy)]
struct Row {
    key: usize,
    id: RwSignal<String>,
    name: RwSignal<String>,
    minutes: RwSignal<String>,
    price: RwSignal<String>,
    order_type: RwSignal<String>,
    active: RwSignal<bool>,
}

impl Row {
    fn new(key: usize, s: ServiceInput) -> Self {
        Self {
            key,
            id: RwSignal::new(s.id),
            name: RwSignal::new(s.name),
            minutes: RwSignal::new(s.duration_minutes.to_string()),
            price: RwSignal::new(format!("{}.{:02}", s.price_minor / 100, s.price_minor % 100)),
            order_type: RwSignal::new(s.order_type),
            active: RwSignal::new(s.active),
        }
    }

    fn input(&self) -> ServiceInput {
        ServiceInput {
            id: self.id.get_untracked().trim().to_owned(),
            name: self.name.get_untracked(),
            duration_minutes: self.minutes.get_untracked().trim().parse().unwrap_or(0),
            price_minor: jobslot_domain::money::minor_units(&self.price.get_untracked()).unwrap_or(-1),
            order_type: self.order_type.get_untracked(),
            active: self.active.get_untracked(),
        }
    }
}

/// The services of `site`.
#[component]
pub fn ServicesPage(api: Api, site: SiteId) -> impl IntoView {
    let rows = RwSignal::new(Vec::<Row>::new());
    let next = StoredValue::new(0usize);
    let fill = move |ServicesInput { services }: ServicesInput| {
        let mut key = next.get_value();
        rows.set(
            services
                .into_iter()
                .map(|s| {
                    key += 1;
                    Row::new(key, s)
                })
                .collect(),
        );
        next.set_value(key + 1);
    };
    let form = VersionedForm::new(api, for_site(&site).services(), fill);
    let errors = form.errors;
    let add = move |_| {
        let key = next.get_value();
        next.set_value(key + 1);
        rows.update(|r| r.push(Row::new(key, ServiceInput::default())));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ServicesInput { services: rows.get_untracked().iter().map(Row::input).collect() };
        form.save(input);
    };
    view! {
        <section aria-labelledby="services-heading">
            <h2 id="services-heading">"Services"</h2>
            <Status status=form.status />
            <form on:submit=save novalidate>
                {move || rows.get().into_iter().enumerate().map(|(i, row)| {
                    let at = move |part: &str| format!("services[{i}].{part}");
                    let text = move |label: &'static str, part: &'static str, value: RwSignal<String>| {
                        let field = at(part);
                        let id = control_id(&format!("{field}-{}", row.key));
                        view! {
                            <div class="field">
                                <label for=id.clone()>{label}</label>
                                <input id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                                    aria-invalid={ let field = field.clone(); move || errors.within(&field).first().map(|_| "true") } />
                                <p class="error">{ let field = field.clone(); move || errors.within(&field).join(" ") }</p>
                            </div>
                        }
                    };
                    let type_id = control_id(&format!("service-type-{}", row.key));
                    let active_id = control_id(&format!("service-active-{}", row.key));
                    view! {
                        <fieldset>
                            <legend>{move || { let n = row.name.get(); if n.is_empty() { format!("Service {}", i + 1) } else { n } }}</legend>
                            {text("Id", "id", row.id)}
                            {text("Name", "name", row.name)}
                            {text("Minutes on site", "duration_minutes", row.minutes)}
                            {text("Price", "price_minor", row.price)}
                            <div class="field">
                                <label for=type_id.clone()>"Order type"</label>
                                <select id=type_id on:change=move |ev| row.order_type.set(event_target_value(&ev))>
                                    {ORDER_TYPES.iter().map(|(value, label)| {
                                        let value = *value;
                                        view! { <option value=value selected=move || row.order_type.get() == value>{*label}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="check">
                                <input type="checkbox" id=active_id.clone() prop:checked=move || row.active.get() on:change=move |ev| row.active.set(event_target_checked(&ev)) />
                                <label for=active_id>"Offered to customers"</label>
                            </div>
                            <button type="button" on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>"Remove this service"</button>
                        </fieldset>
                    }
                }).collect_view()}
                <p class="error">{move || errors.of("services")}</p>
                <div class="actions">
                    <button type="button" on:click=add>"Add a service"</button>
                    <button type="submit" class="primary" disabled=move || form.saving()>"Save services"</button>
                </div>
            </form>
        </section>
    }
}
