//! The audit trail: every change to the site's setup, who made it and when.

use crate::api::Api;
use jobslot_domain::audit::{AuditEntry, AuditPage as Page};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::{for_site, with_query};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The newest changes first, fifty at a time.
#[component]
pub fn AuditPage(api: Api, site: SiteId) -> impl IntoView {
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let more = move |cursor: Option<String>| {
        let (api, site) = (api.clone(), site.clone());
        spawn_local(async move {
            let path = with_query(for_site(&site).audit(), &[("cursor", cursor.as_deref().unwrap_or(""))]);
            match api.get::<Page>(&path).await {
                Ok(page) => {
                    entries.update(|e| e.extend(page.value.entries));
                    next.set(page.value.next);
                }
                Err(failure) => status.set(Some(failure.message())),
            }
        });
    };
    more(None);
    view! {
        <section aria-labelledby="audit-heading">
            <h2 id="audit-heading">"Audit trail"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <table>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Of"</th></tr></thead>
                <tbody>
                    {move || entries.get().into_iter().map(|e| view! {
                        <tr>
                            <td>{crate::format::date_time(e.at, &crate::format::site_zone())}</td>
                            <td>{if e.email.is_empty() { e.user.to_string() } else { e.email }}</td>
                            <td>{e.action}</td>
                            <td>{e.target}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {move || next.get().map(|cursor| {
                let more = more.clone();
                view! { <button type="button" on:click=move |_| more(Some(cursor.clone()))>"Older changes"</button> }
            })}
        </section>
    }
}
