//! Changing one's own password (self-hosted accounts): the current one and a new one; every
//! other sign-in of the account ends.

use crate::api::Api;
use crate::form::{Errors, Input};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form to change the signed-in person's password.
#[component]
pub fn PasswordPage(api: Api) -> impl IntoView {
    let errors = Errors::new();
    let status = RwSignal::new(None::<String>);
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = serde_json::json!({
            "current_password": current.get_untracked(),
            "new_password": new_password.get_untracked(),
        });
        let api = api.clone();
        spawn_local(async move {
            match api.put_empty(jobslot_domain::routes::ME_PASSWORD, &body).await {
                Ok(()) => {
                    errors.set(Vec::new());
                    current.set(String::new());
                    new_password.set(String::new());
                    status.set(Some(
                        "Your password is changed, and every other place you were signed in is signed out. \
                         Next time, sign in with the new one."
                            .to_owned(),
                    ));
                }
                Err(failure) => {
                    errors.set(failure.field_errors());
                    status.set(Some(failure.message()));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="password-heading">
            <h2 id="password-heading">"Your password"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <form on:submit=change novalidate>
                <Input label="Current password" field="current_password" value=current errors=errors kind="password" />
                <Input label="New password" field="new_password" value=new_password errors=errors kind="password"
                    hint="At least 12 characters; a few words you will remember work well." />
                <div class="actions"><button type="submit" class="primary">"Change password"</button></div>
            </form>
        </section>
    }
}
