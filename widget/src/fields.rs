//! Form controls with their label, hint and error message wired for screen readers.

use crate::flow::use_flow;
use leptos::prelude::*;

/// The element id of a field path: `contact.email` → `jobslot-contact-email`.
pub fn field_id(field: &str) -> String {
    format!("jobslot-{}", field.replace(['.', '_'], "-"))
}

/// The error message of `field`, shown under its control.
#[component]
pub fn FieldError(
    /// Dotted path of the field.
    field: String,
) -> impl IntoView {
    let flow = use_flow();
    let id = format!("{}-error", field_id(&field));
    view! {
        <p class="field-error" id=id>
            {move || flow.error_for(&field)}
        </p>
    }
}

/// `aria-invalid` and `aria-describedby` for a control whose field may have an error.
pub fn invalid(field: &str) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static + use<> {
    let flow = use_flow();
    let field = field.to_owned();
    move || flow.error_for(&field).map(|_| "true")
}

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    /// Visible label.
    label: String,
    /// Dotted path of the field, for error messages.
    field: String,
    /// The text as typed, kept by the flow across steps.
    value: RwSignal<String>,
    /// HTML input type.
    #[prop(default = "text")]
    input_type: &'static str,
    /// Autofill hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Whether an answer is needed.
    #[prop(optional)]
    required: bool,
    /// Longest input accepted.
    #[prop(optional)]
    max_length: Option<usize>,
) -> impl IntoView {
    let id = field_id(&field);
    let is_invalid = invalid(&field);
    view! {
        <div class="field">
            <label for=id.clone()>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            <input
                id=id.clone()
                type=input_type
                autocomplete=autocomplete
                required=required
                maxlength=max_length.map(|m| m.to_string())
                aria-invalid=is_invalid
                aria-describedby=format!("{id}-error")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <FieldError field=field />
        </div>
    }
}
