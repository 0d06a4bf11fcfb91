//! Step 3: the business's own order form, drawn from the site's configuration.

use crate::answers::Answered;
use crate::fields::{FieldError, field_id, invalid};
use crate::flow::{Flow, use_flow};
use jobslot_domain::form::{ANSWERS, FieldKind, FormField};
use jobslot_domain::wire_time::format_date;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Renders every field of the order form and checks the answers before moving on.
#[component]
pub fn DetailsStep() -> impl IntoView {
    let flow = use_flow();
    let fields = flow.config.order_form.fields.clone();
    let words = flow.lang.words;
    let next = {
        let flow = flow.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            match flow.answers.with_untracked(|answers| answers.parse(&flow.config.order_form)) {
                Ok(_) => flow.answered(),
                Err(errors) => flow.show_errors(errors),
            }
        }
    };
    let back = {
        let flow = flow.clone();
        move |_| flow.back()
    };
    view! {
        <form class="step" on:submit=next novalidate>
            <h3 tabindex="-1">{words.about_the_job}</h3>
            {fields.into_iter().map(|f| form_control(&flow, f)).collect_view()}
            <div class="actions">
                <button type="button" on:click=back>{words.back}</button>
                <button type="submit" class="primary">{words.next}</button>
            </div>
        </form>
    }
}

fn set_answer(flow: &Flow, id: &str, answer: Answered) {
    flow.answers.update(|answers| answers.set(id, answer));
}

/// One control for one field, bound to its answer.
fn form_control(flow: &Flow, field: FormField) -> impl IntoView + use<> {
    let path = format!("{ANSWERS}.{}", field.id);
    let id = field_id(&path);
    let key = field.id.to_string();
    let answers = flow.answers;
    let text_value = {
        let key = key.clone();
        move || answers.with(|a| a.text(&key))
    };
    let on_text = {
        let (flow, key) = (flow.clone(), key.clone());
        move |ev| set_answer(&flow, &key, Answered::Text(event_target_value(&ev)))
    };
    let described = format!("{id}-error");
    let required = field.required;
    let marker = required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> });
    let help = field.help.clone().map(|h| view! { <p class="hint">{h}</p> });
    let control = match field.kind {
        FieldKind::Text { max_length } => view! {
            <input id=id.clone() type="text" maxlength=max_length.to_string() required=required
                aria-invalid=invalid(&path) aria-describedby=described prop:value=text_value on:input=on_text />
        }
        .into_any(),
        FieldKind::LongText { max_length } => view! {
            <textarea id=id.clone() rows="4" maxlength=max_length.to_string() required=required
                aria-invalid=invalid(&path) aria-describedby=described prop:value=text_value on:input=on_text></textarea>
        }
        .into_any(),
        FieldKind::Number { min, max } => view! {
            <input id=id.clone() type="number" inputmode="numeric" min=min.to_string() max=max.to_string() step="1"
                required=required aria-invalid=invalid(&path) aria-describedby=described prop:value=text_value on:input=on_text />
        }
        .into_any(),
        FieldKind::Select { options } => {
            let current = text_value.clone();
            view! {
                <select id=id.clone() required=required aria-invalid=invalid(&path) aria-describedby=described on:change=on_text>
                    <option value="" selected=move || current().is_empty()>{flow.lang.words.choose}</option>
                    {options
                        .into_iter()
                        .map(|option| {
                            let text_value = text_value.clone();
                            let (this, value) = (option.clone(), option.clone());
                            view! { <option value=value selected=move || text_value() == this>{option}</option> }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::Date { min, max } => view! {
            <input id=id.clone() type="date" min=min.map(format_date) max=max.map(format_date)
                required=required aria-invalid=invalid(&path) aria-describedby=described prop:value=text_value on:input=on_text />
        }
        .into_any(),
        FieldKind::Checkbox => {
            let flow = flow.clone();
            let checked_key = key.clone();
            let checked = move || answers.with(|a| a.get(&checked_key) == Some(&Answered::Ticked(true)));
            return view! {
                <div class="field checkbox">
                    <input id=id.clone() type="checkbox" required=required aria-invalid=invalid(&path)
                        aria-describedby=described prop:checked=checked
                        on:change=move |ev| set_answer(&flow, &key, Answered::Ticked(event_target_checked(&ev))) />
                    <label for=id>{field.label}{marker}</label>
                    {help}
                    <FieldError field=path />
                </div>
            }
            .into_any();
        }
    };
    view! {
        <div class="field">
            <label for=id>{field.label}{marker}</label>
            {control}
            {help}
            <FieldError field=path />
        </div>
    }
    .into_any()
}
