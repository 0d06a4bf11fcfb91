//! Step 4: who to contact and where the job is.

use crate::fields::{FieldError, TextField};
use crate::flow::{Flow, use_flow};
use crate::i18n::fill;
use jobslot_domain::FieldError as Error;
use jobslot_domain::api::{ADDRESS_LINE_MAX, AddressInput, CITY_MAX, ContactInput, NOTES_MAX};
use jobslot_domain::contact::NAME_MAX;
use jobslot_domain::postcode::Postcode;
use jobslot_domain::text::{Lines, Text};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The contact details and address as typed.
pub fn contact_input(flow: &Flow) -> (ContactInput, AddressInput) {
    let c = flow.contact;
    (
        ContactInput {
            name: c.name.get_untracked(),
            email: c.email.get_untracked(),
            phone: c.phone.get_untracked(),
        },
        AddressInput {
            line1: c.line1.get_untracked(),
            line2: c.line2.get_untracked(),
            city: c.city.get_untracked(),
        },
    )
}

fn check(flow: &Flow) -> Vec<Error> {
    let (contact, address) = contact_input(flow);
    let mut errors = contact.parse().err().unwrap_or_default();
    let postcode = Postcode::parse("postcode", flow.config.country, &flow.postcode.get_untracked());
    errors.extend(address.parse(postcode).err().unwrap_or_default());
    let notes = flow.contact.notes.get_untracked();
    errors.extend(Text::parse_optional("notes", Some(&notes), NOTES_MAX, Lines::Multi).err());
    errors
}

/// Contact details and the job's address.
#[component]
pub fn ContactStep() -> impl IntoView {
    let flow = use_flow();
    let c = flow.contact;
    let postcode = flow.postcode.get_untracked();
    let w = flow.lang.words;
    let next = {
        let flow = flow.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let errors = check(&flow);
            if errors.is_empty() { flow.contact_given() } else { flow.show_errors(errors) }
        }
    };
    let back = {
        let flow = flow.clone();
        move |_| flow.back()
    };
    view! {
        <form class="step" on:submit=next novalidate>
            <h3 tabindex="-1">{w.your_details}</h3>
            <TextField label=w.full_name.into() field="contact.name".into() value=c.name autocomplete="name" required=true max_length=NAME_MAX />
            <TextField label=w.email.into() field="contact.email".into() value=c.email input_type="email" autocomplete="email" required=true max_length=254 />
            <TextField label=w.phone.into() field="contact.phone".into() value=c.phone input_type="tel" autocomplete="tel" required=true max_length=24 />
            <TextField label=w.street.into() field="address.line1".into() value=c.line1 autocomplete="address-line1" required=true max_length=ADDRESS_LINE_MAX />
            <TextField label=w.unit.into() field="address.line2".into() value=c.line2 autocomplete="address-line2" max_length=ADDRESS_LINE_MAX />
            <TextField label=w.city.into() field="address.city".into() value=c.city autocomplete="address-level2" required=true max_length=CITY_MAX />
            <p class="hint">{fill(w.postcode_is, &[&postcode])}</p>
            <div class="field">
                <label for="jobslot-notes">{w.notes}</label>
                <textarea id="jobslot-notes" rows="3" maxlength=NOTES_MAX.to_string()
                    prop:value=move || c.notes.get() on:input=move |ev| c.notes.set(event_target_value(&ev))></textarea>
                <FieldError field="notes".to_owned() />
            </div>
            <div class="actions">
                <button type="button" on:click=back>{w.back}</button>
                <button type="submit" class="primary">{w.review}</button>
            </div>
        </form>
    }
}
