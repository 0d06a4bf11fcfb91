//! Site settings: the business, its booking rules, where the widget may be embedded, and the
//! snippet to paste with a live preview of the widget as customers see it.

use crate::api::Api;
use crate::form::{Input, items};
use crate::session;
use crate::versioned::{Status, VersionedForm};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::for_site;
use jobslot_domain::setup::SettingsInput;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The settings form of `site`.
#[component]
pub fn SettingsPage(api: Api, site: SiteId) -> impl IntoView {
    let business_name = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let time_zone = RwSignal::new(String::new());
    let currency = RwSignal::new(String::new());
    let terms = RwSignal::new(String::new());
    let step = RwSignal::new(String::new());
    let notice = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let origins = RwSignal::new(String::new());
    let accent = RwSignal::new(String::new());
    let font = RwSignal::new(String::new());
    let radius = RwSignal::new(String::new());
    let contact_email = RwSignal::new(String::new());
    let contact_phone = RwSignal::new(String::new());
    let notification_email = RwSignal::new(String::new());
    let change_notice = RwSignal::new(String::new());
    let fill = move |s: SettingsInput| {
        business_name.set(s.business_name);
        country.set(s.country);
        time_zone.set(s.time_zone);
        currency.set(s.currency);
        terms.set(s.terms);
        step.set(s.step_minutes.to_string());
        notice.set(s.min_notice_minutes.to_string());
        days.set(s.days_ahead.to_string());
        origins.set(s.allowed_origins.join("\n"));
        accent.set(s.accent_colour);
        font.set(s.font_family);
        radius.set(s.corner_radius.map(|r| r.to_string()).unwrap_or_default());
        contact_email.set(s.contact_email);
        contact_phone.set(s.contact_phone);
        notification_email.set(s.notification_email);
        change_notice.set(s.change_notice_hours.to_string());
    };
    let form = VersionedForm::new(api.clone(), for_site(&site).settings(), fill);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse().unwrap_or(0);
        let input = SettingsInput {
            business_name: business_name.get_untracked(),
            country: country.get_untracked(),
            time_zone: time_zone.get_untracked(),
            currency: currency.get_untracked(),
            terms: terms.get_untracked(),
            step_minutes: number(step) as u16,
            min_notice_minutes: number(notice) as u32,
            days_ahead: number(days) as u16,
            allowed_origins: items(&origins.get_untracked()),
            accent_colour: accent.get_untracked(),
            font_family: font.get_untracked(),
            // Blank is the default; anything else the server checks (an unreadable number
            // becomes one it refuses, with its message).
            corner_radius: match radius.get_untracked().trim() {
                "" => None,
                raw => Some(raw.parse().unwrap_or(u16::MAX)),
            },
            contact_email: contact_email.get_untracked(),
            contact_phone: contact_phone.get_untracked(),
            notification_email: notification_email.get_untracked(),
            change_notice_hours: number(change_notice) as u16,
        };
        form.save(input);
    };
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let api_origin = if api.config().api.is_empty() { origin.clone() } else { api.config().api.clone() };
    let snippet =
        format!("<script src=\"{api_origin}/widget/embed.js\" data-site=\"{site}\" async></script>");
    let copied = RwSignal::new(false);
    let copy = {
        let snippet = snippet.clone();
        move |_| {
            let snippet = snippet.clone();
            spawn_local(async move { copied.set(session::copy(&snippet).await.is_ok()) });
        }
    };
    let preview_loaded = RwSignal::new(false);
    let show_preview = {
        let src = format!("{api_origin}/widget/embed.js");
        move |_| {
            if session::load_script_once(&src).is_ok() {
                preview_loaded.set(true);
            }
        }
    };
    view! {
        <section aria-labelledby="settings-heading">
            <h2 id="settings-heading">"Site settings"</h2>
            <Status status=form.status />
            <form on:submit=save novalidate>
                <Input label="Business name" field="business_name" value=business_name errors=form.errors />
                <Input label="Country (AU, GB or US)" field="country" value=country errors=form.errors hint="Decides the postcode format." />
                <Input label="Time zone" field="time_zone" value=time_zone errors=form.errors hint="An IANA name such as Australia/Sydney." />
                <Input label="Currency (AUD, GBP or USD)" field="currency" value=currency errors=form.errors />
                <Input multiline=true label="Terms and conditions" field="terms" value=terms errors=form.errors />
                <Input label="Minutes between start times" field="step_minutes" value=step errors=form.errors kind="number" />
                <Input label="Minimum notice (minutes)" field="min_notice_minutes" value=notice errors=form.errors kind="number" />
                <Input label="Days ahead customers may book" field="days_ahead" value=days errors=form.errors kind="number" />
                <Input label="Hours before an appointment when online changes close" field="change_notice_hours" value=change_notice errors=form.errors kind="number"
                    hint="Until then, customers move or cancel through the link in their e-mail." />
                <Input multiline=true label="Pages allowed to embed the widget" field="allowed_origins" value=origins errors=form.errors
                    hint="One origin per line, e.g. https://shop.example." />
                <Input label="Accent colour" field="accent_colour" value=accent errors=form.errors hint="Like #1a56db; empty for the default." />
                <Input label="Widget font" field="font_family" value=font errors=form.errors hint="Like Georgia, serif; empty for the visitor's system font." />
                <Input label="Corner radius (pixels)" field="corner_radius" value=radius errors=form.errors kind="number" hint="0 to 24; empty for the default." />
                <Input label="E-mail for customers" field="contact_email" value=contact_email errors=form.errors kind="email"
                    hint="Shown in customers' booking e-mails; their replies go here." />
                <Input label="Phone for customers" field="contact_phone" value=contact_phone errors=form.errors kind="tel" />
                <Input label="E-mail for new-booking notices" field="notification_email" value=notification_email errors=form.errors kind="email"
                    hint="Empty: no notices." />
                <div class="actions">
                    <button type="button" on:click=move |_| form.reload()>"Reload"</button>
                    <button type="submit" class="primary" disabled=move || form.saving()>"Save settings"</button>
                </div>
            </form>
            <h3>"Embed on your website"</h3>
            <p>"Paste this where the booking form should appear:"</p>
            <pre tabindex="0" aria-label="The snippet"><code id="embed-snippet">{snippet.clone()}</code></pre>
            <button type="button" on:click=copy>"Copy the snippet"</button>
            <span role="status">{move || copied.get().then_some(" Copied.")}</span>
            <h3>"Preview"</h3>
            <button type="button" on:click=show_preview>"Show the widget as customers see it"</button>
            <div class="preview">
                {move || preview_loaded.get().then(|| view! { <jobslot-booking site=site.to_string() api=api_origin.clone()></jobslot-booking> })}
            </div>
        </section>
    }
}
