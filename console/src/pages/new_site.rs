//! Opening a site for a new business (platform operators).

use crate::api::Api;
use crate::form::{Errors, Input};
use jobslot_domain::setup::{NewSiteInput, SettingsInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use jobslot_domain::setup::SiteCreated as Created;

/// The form to open a site and name its first owner.
#[component]
pub fn NewSitePage(api: Api) -> impl IntoView {
    let errors = Errors::new();
    let status = RwSignal::new(None::<String>);
    let id = RwSignal::new(String::new());
    let business_name = RwSignal::new(String::new());
    let country = RwSignal::new("AU".to_owned());
    let time_zone = RwSignal::new("Australia/Sydney".to_owned());
    let currency = RwSignal::new("AUD".to_owned());
    let owner_email = RwSignal::new(String::new());
    // One key per form: pressing "Open" twice, or again after a lost answer, opens one site.
    let key = StoredValue::new(format!("new-site-{}", js_sys::Math::random().to_bits()));
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NewSiteInput {
            id: id.get_untracked(),
            settings: SettingsInput {
                business_name: business_name.get_untracked(),
                country: country.get_untracked(),
                time_zone: time_zone.get_untracked(),
                currency: currency.get_untracked(),
                ..SettingsInput::default()
            },
            owner_email: owner_email.get_untracked(),
            owner_user: None,
        };
        let api = api.clone();
        spawn_local(async move {
            match api.post::<_, Created>(jobslot_domain::routes::SITES, &input, &key.get_value()).await {
                Ok(created) => {
                    errors.set(Vec::new());
                    let site = created.value.site;
                    status.set(Some(if created.value.owner_invited {
                        format!("{site} is open. Its owner has an e-mail with a link to choose their password.")
                    } else {
                        format!("{site} is open; its owner signs in with their existing account and was told by e-mail.")
                    }));
                }
                Err(failure) => {
                    errors.set(failure.field_errors());
                    status.set(Some(failure.message()));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="new-site-heading">
            <h2 id="new-site-heading">"Open a site for a business"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <form on:submit=open novalidate>
                <Input label="Site id" field="id" value=id errors=errors hint="Used in the embed snippet, e.g. smith-plumbing." />
                <Input label="Business name" field="business_name" value=business_name errors=errors />
                <Input label="Country (AU, GB or US)" field="country" value=country errors=errors />
                <Input label="Time zone" field="time_zone" value=time_zone errors=errors />
                <Input label="Currency (AUD, GBP or USD)" field="currency" value=currency errors=errors />
                <Input label="Owner's e-mail address" field="owner_email" value=owner_email errors=errors kind="email" />
                <div class="actions"><button type="submit" class="primary">"Open the site"</button></div>
            </form>
        </section>
    }
}
