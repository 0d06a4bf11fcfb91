//! The order form builder: the business's own questions, with a live preview of the widget's
//! form step.

use crate::api::{Api, Version};
use crate::form::{Errors, control_id};
use jobslot_domain::FieldError;
use jobslot_domain::form::{FieldKind, FormField};
use jobslot_domain::ids::FieldId;
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::for_site;
use jobslot_domain::setup::OrderFormInput;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

const KINDS: [(&str, &str); 6] = [
    ("text", "Short text"),
    ("long_text", "Long text"),
    ("number", "Whole number"),
    ("select", "Choice from a list"),
    ("checkbox", "Tick box"),
    ("date", "Date"),
];

/// One question being edited.
#[derive(Clone, Copy)]
struct Question {
    key: usize,
    id: RwSignal<String>,
    label: RwSignal<String>,
    kind: RwSignal<String>,
    required: RwSignal<bool>,
    help: RwSignal<String>,
    max_length: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
    options: RwSignal<String>,
}

impl Question {
    fn new(key: usize, field: Option<FormField>) -> Self {
        let (kind, max_length, min, max, options) = match field.as_ref().map(|f| &f.kind) {
            None => ("text", "100".to_owned(), String::new(), String::new(), String::new()),
            Some(FieldKind::Text { max_length }) => {
                ("text", max_length.to_string(), String::new(), String::new(), String::new())
            }
            Some(FieldKind::LongText { max_length }) => {
                ("long_text", max_length.to_string(), String::new(), String::new(), String::new())
            }
            Some(FieldKind::Number { min, max }) => {
                ("number", String::new(), min.to_string(), max.to_string(), String::new())
            }
            Some(FieldKind::Select { options }) => {
                ("select", String::new(), String::new(), String::new(), options.join("\n"))
            }
            Some(FieldKind::Checkbox) => {
                ("checkbox", String::new(), String::new(), String::new(), String::new())
            }
            Some(FieldKind::Date { min, max }) => (
                "date",
                String::new(),
                min.map(|d| d.to_string()).unwrap_or_default(),
                max.map(|d| d.to_string()).unwrap_or_default(),
                String::new(),
            ),
        };
        Self {
            key,
            id: RwSignal::new(field.as_ref().map(|f| f.id.to_string()).unwrap_or_default()),
            label: RwSignal::new(field.as_ref().map(|f| f.label.clone()).unwrap_or_default()),
            kind: RwSignal::new(kind.to_owned()),
            required: RwSignal::new(field.as_ref().is_some_and(|f| f.required)),
            help: RwSignal::new(field.as_ref().and_then(|f| f.help.clone()).unwrap_or_default()),
            max_length: RwSignal::new(max_length),
            min: RwSignal::new(min),
            max: RwSignal::new(max),
            options: RwSignal::new(options),
        }
    }

    /// The field as JSON, or errors the browser can name before anything is sent.
    fn to_json(self, i: usize, errors: &mut Vec<FieldError>) -> Value {
        let at = |part: &str| format!("form.fields[{i}].{part}");
        let id = self.id.get_untracked().trim().to_owned();
        if let Err(mut e) = FieldId::parse(&at("id"), &id) {
            e.field = at("id");
            errors.push(e);
        }
        let mut number = |part: &str, raw: String| -> Value {
            match raw.trim().parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => {
                    errors.push(FieldError::new(at(part), "Enter a whole number."));
                    Value::Null
                }
            }
        };
        let help = Some(self.help.get_untracked()).filter(|h| !h.trim().is_empty());
        let mut field = json!({ "id": id, "label": self.label.get_untracked(), "required": self.required.get_untracked(), "help": help });
        let kind = self.kind.get_untracked();
        let extra = match kind.as_str() {
            "text" | "long_text" => {
                json!({ "max_length": number("max_length", self.max_length.get_untracked()) })
            }
            "number" => {
                json!({ "min": number("min", self.min.get_untracked()), "max": number("max", self.max.get_untracked()) })
            }
            "select" => json!({ "options": crate::form::lines(&self.options.get_untracked()) }),
            "date" => {
                let date = |raw: String| Some(raw.trim().to_owned()).filter(|d| !d.is_empty());
                json!({ "min": date(self.min.get_untracked()), "max": date(self.max.get_untracked()) })
            }
            _ => json!({}),
        };
        field["kind"] = json!(kind);
        if let (Some(target), Some(extra)) = (field.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                if !v.is_null() {
                    target.insert(k.clone(), v.clone());
                }
            }
        }
        if field["help"].is_null()
            && let Some(target) = field.as_object_mut()
        {
            target.remove("help");
        }
        field
    }
}

/// The order form of `site`.
#[component]
pub fn OrderFormPage(api: Api, site: SiteId) -> impl IntoView {
    let errors = Errors::new();
    let status = RwSignal::new(None::<String>);
    let questions = RwSignal::new(Vec::<Question>::new());
    let version = RwSignal::new(None::<String>);
    let next = StoredValue::new(0usize);
    let fill = move |fields: Vec<FormField>| {
        let mut key = next.get_value();
        questions.set(
            fields
                .into_iter()
                .map(|f| {
                    key += 1;
                    Question::new(key, Some(f))
                })
                .collect(),
        );
        next.set_value(key + 1);
    };
    let path = for_site(&site).order_form();
    {
        let (api, path) = (api.clone(), path.clone());
        spawn_local(async move {
            match api.get::<OrderFormInput>(&path).await {
                Ok(tagged) => {
                    fill(tagged.value.form.fields);
                    version.set(tagged.etag);
                }
                Err(failure) => status.set(Some(failure.message())),
            }
        });
    }
    let add = move |_| {
        let key = next.get_value();
        next.set_value(key + 1);
        questions.update(|q| q.push(Question::new(key, None)));
    };
    let shift = move |key: usize, by: isize| {
        questions.update(|q| {
            if let Some(at) = q.iter().position(|x| x.key == key) {
                let to = at as isize + by;
                if (0..q.len() as isize).contains(&to) {
                    q.swap(at, to as usize);
                }
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut local = Vec::new();
        let fields: Vec<Value> =
            questions.get_untracked().iter().enumerate().map(|(i, q)| q.to_json(i, &mut local)).collect();
        if !local.is_empty() {
            errors.set(local);
            status.set(Some("Some fields need attention.".into()));
            return;
        }
        let body = json!({ "form": { "fields": fields } });
        let (api, path) = (api.clone(), path.clone());
        let version_to_send = Version::Of(version.get_untracked().unwrap_or_default());
        spawn_local(async move {
            match api.put::<_, OrderFormInput>(&path, &body, &version_to_send).await {
                Ok(tagged) => {
                    fill(tagged.value.form.fields);
                    version.set(tagged.etag);
                    errors.set(Vec::new());
                    status.set(Some(
                        "Saved. New bookings use this form; bookings already made keep their answers.".into(),
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
        <section aria-labelledby="form-heading">
            <h2 id="form-heading">"Order form"</h2>
            <p class="alert" role="status">{move || status.get()}</p>
            <div class="builder">
                <form on:submit=save novalidate>
                    {move || questions.get().into_iter().enumerate().map(|(i, q)| question_editor(i, q, errors, questions, shift)).collect_view()}
                    <div class="actions">
                        <button type="button" on:click=add>"Add a question"</button>
                        <button type="submit" class="primary">"Save the form"</button>
                    </div>
                </form>
                <aside aria-labelledby="preview-heading" class="preview">
                    <h3 id="preview-heading">"Preview: what customers see"</h3>
                    {move || questions.get().into_iter().map(preview).collect_view()}
                </aside>
            </div>
        </section>
    }
}

fn question_editor(
    i: usize,
    q: Question,
    errors: Errors,
    questions: RwSignal<Vec<Question>>,
    shift: impl Fn(usize, isize) + Copy + 'static,
) -> impl IntoView {
    let at = move |part: &str| format!("form.fields[{i}].{part}");
    let text = move |label: &'static str, part: &'static str, value: RwSignal<String>| {
        let field = at(part);
        let id = control_id(&format!("q{}-{part}", q.key));
        let (f1, f2) = (field.clone(), field);
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || errors.within(&f1).first().map(|_| "true") />
                <p class="error">{move || errors.within(&f2).join(" ")}</p>
            </div>
        }
    };
    let kind_id = control_id(&format!("q{}-kind", q.key));
    let required_id = control_id(&format!("q{}-required", q.key));
    let options_id = control_id(&format!("q{}-options", q.key));
    let options_field = at("options");
    view! {
        <fieldset>
            <legend>{move || { let l = q.label.get(); if l.is_empty() { format!("Question {}", i + 1) } else { l } }}</legend>
            {text("Question", "label", q.label)}
            {text("Id (stored with each answer)", "id", q.id)}
            <div class="field">
                <label for=kind_id.clone()>"Kind of answer"</label>
                <select id=kind_id on:change=move |ev| q.kind.set(event_target_value(&ev))>
                    {KINDS.iter().map(|(value, label)| {
                        let value = *value;
                        view! { <option value=value selected=move || q.kind.get() == value>{*label}</option> }
                    }).collect_view()}
                </select>
            </div>
            {move || match q.kind.get().as_str() {
                "text" | "long_text" => text("Longest answer (characters)", "max_length", q.max_length).into_any(),
                "number" | "date" => view! { {text("Smallest / earliest", "min", q.min)} {text("Largest / latest", "max", q.max)} }.into_any(),
                "select" => {
                    let (f1, f2) = (options_field.clone(), options_field.clone());
                    view! {
                        <div class="field">
                            <label for=options_id.clone()>"Options, one per line"</label>
                            <textarea id=options_id.clone() rows="4" prop:value=move || q.options.get()
                                on:input=move |ev| q.options.set(event_target_value(&ev))
                                aria-invalid=move || errors.within(&f1).first().map(|_| "true")></textarea>
                            <p class="error">{move || errors.within(&f2).join(" ")}</p>
                        </div>
                    }.into_any()
                }
                _ => ().into_any(),
            }}
            {text("Help text (optional)", "help", q.help)}
            <div class="check">
                <input type="checkbox" id=required_id.clone() prop:checked=move || q.required.get() on:change=move |ev| q.required.set(event_target_checked(&ev)) />
                <label for=required_id>"An answer is required"</label>
            </div>
            <div class="actions">
                <button type="button" on:click=move |_| shift(q.key, -1)>"Move up"</button>
                <button type="button" on:click=move |_| shift(q.key, 1)>"Move down"</button>
                <button type="button" on:click=move |_| questions.update(|all| all.retain(|x| x.key != q.key))>"Remove"</button>
            </div>
        </fieldset>
    }
}

/// The question as the widget's form step shows it (inert: a picture, not a form).
fn preview(q: Question) -> impl IntoView {
    let id = format!("preview-{}", q.key);
    let marker = move || q.required.get().then_some(" *");
    let control = {
        let id = id.clone();
        move || {
            match q.kind.get().as_str() {
            "long_text" => view! { <textarea id=id.clone() rows="3" disabled></textarea> }.into_any(),
            "number" => view! { <input id=id.clone() type="number" disabled /> }.into_any(),
            "date" => view! { <input id=id.clone() type="date" disabled /> }.into_any(),
            "checkbox" => view! { <input id=id.clone() type="checkbox" disabled /> }.into_any(),
            "select" => view! {
                <select id=id.clone() disabled>
                    <option>"Choose…"</option>
                    {crate::form::lines(&q.options.get()).into_iter().map(|o| view! { <option>{o}</option> }).collect_view()}
                </select>
            }.into_any(),
            _ => view! { <input id=id.clone() type="text" disabled /> }.into_any(),
        }
        }
    };
    view! {
        <div class="field">
            <label for=id>{move || q.label.get()}{marker}</label>
            {control}
            {move || Some(q.help.get()).filter(|h| !h.is_empty()).map(|h| view! { <p class="hint">{h}</p> })}
        </div>
    }
}
