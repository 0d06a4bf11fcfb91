//! Labelled form controls whose server-side errors appear beside them.

use jobslot_domain::FieldError;
use leptos::prelude::*;

/// The errors of the last save, looked up by field path.
#[derive(Clone, Copy)]
pub struct Errors(RwSignal<Vec<FieldError>>);

impl Errors {
    /// No errors yet.
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    /// Replaces the errors.
    pub fn set(&self, errors: Vec<FieldError>) {
        self.0.set(errors);
    }

    /// The message for exactly `field`, if any.
    pub fn of(&self, field: &str) -> Option<String> {
        self.0.with(|all| all.iter().find(|e| e.field == field).map(|e| e.message.to_string()))
    }

    /// The message for `field` of a row; none for a row that was not sent (`None`). The
    /// errors are read either way, so a row left blank when drawn still shows the message the
    /// next save brings once it is filled in.
    pub fn of_row(&self, field: Option<String>) -> Option<String> {
        self.0.with(|all| {
            let field = field?;
            all.iter().find(|e| e.field == field).map(|e| e.message.to_string())
        })
    }

    /// Messages for fields inside `prefix` (`hours.monday` covers `hours.monday[1]`).
    pub fn within(&self, prefix: &str) -> Vec<String> {
        self.0.with(|all| {
            all.iter()
                .filter(|e| {
                    e.field == prefix
                        || e.field.starts_with(&format!("{prefix}["))
                        || e.field.starts_with(&format!("{prefix}."))
                })
                .map(|e| e.message.to_string())
                .collect()
        })
    }
}

impl Default for Errors {
    fn default() -> Self {
        Self::new()
    }
}

/// The element id of a field path.
pub fn control_id(field: &str) -> String {
    let cleaned: String = field.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("f-{cleaned}")
}

/// A labelled text control (one line, or several with `multiline`) whose errors show beside it.
#[component]
pub fn Input(
    /// Visible label.
    label: &'static str,
    /// Field path, for errors.
    field: &'static str,
    /// The text as typed.
    value: RwSignal<String>,
    /// Errors of the form.
    errors: Errors,
    /// Hint under the control.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// HTML input type of a one-line control.
    #[prop(default = "text")]
    kind: &'static str,
    /// A `<textarea>` instead of an `<input>`.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let id = control_id(field);
    let error_id = format!("{id}-error");
    let invalid = move || errors.within(field).first().map(|_| "true");
    let control = if multiline {
        view! {
            <textarea id=id.clone() rows="4" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid aria-describedby=error_id.clone()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type=kind prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid aria-describedby=error_id.clone() />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            {control}
            <p class="error" id=error_id>{move || errors.within(field).join(" ")}</p>
        </div>
    }
}

/// Splits text typed one item per line (items may contain commas).
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Splits text typed one item per line or comma-separated.
pub fn items(text: &str) -> Vec<String> {
    text.split([',', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}
