//! Work-order rules: the reason codes staff pick when closing incomplete or rejecting, and the
//! rules per order type (whether a job closed incomplete may be followed up).

use crate::api::Api;
use crate::versioned::{Status, VersionedForm};
use jobslot_domain::dispatch::{ReasonInput, WorkOrderRulesInput};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes::for_site;
use jobslot_domain::work_order::{OrderRules, OrderType};
use leptos::prelude::*;

/// One reason code as typed, one per line: `code: label`.
fn lines_of(reasons: &[ReasonInput]) -> String {
    reasons.iter().map(|r| format!("{}: {}", r.code, r.label)).collect::<Vec<_>>().join("\n")
}

fn reasons_of(text: &str) -> Vec<ReasonInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once(':') {
            Some((code, label)) => ReasonInput { code: code.trim().into(), label: label.trim().into() },
            None => ReasonInput { code: line.into(), label: String::new() },
        })
        .collect()
}

fn type_name(order_type: OrderType) -> String {
    serde_json::to_value(order_type).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The editor of the site's work-order rules.
#[component]
pub fn RulesPage(api: Api, site: SiteId) -> impl IntoView {
    let incomplete = RwSignal::new(String::new());
    let rejected = RwSignal::new(String::new());
    let follow_ups = RwSignal::new(Vec::<String>::new());
    let show = move |rules: WorkOrderRulesInput| {
        incomplete.set(lines_of(&rules.closed_incomplete));
        rejected.set(lines_of(&rules.rejected));
        follow_ups.set(
            rules
                .order_types
                .iter()
                .filter(|(_, r)| r.can_schedule_followup)
                .map(|(t, _)| t.clone())
                .collect(),
        );
    };
    let form = VersionedForm::new(api, for_site(&site).work_order_rules(), show);
    let errors = form.errors;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = WorkOrderRulesInput {
            closed_incomplete: reasons_of(&incomplete.get_untracked()),
            rejected: reasons_of(&rejected.get_untracked()),
            order_types: follow_ups
                .get_untracked()
                .into_iter()
                .map(|t| (t, OrderRules { can_schedule_followup: true }))
                .collect(),
        };
        form.save(input);
    };
    view! {
        <section aria-labelledby="rules-heading">
            <h2 id="rules-heading">"Work-order rules"</h2>
            <Status status=form.status />
            <form on:submit=save novalidate>
                <div class="field">
                    <label for="reasons-incomplete">"Reasons for closing incomplete"</label>
                    <p class="hint">"One per line: code: label, e.g. parts-needed: Parts needed."</p>
                    <textarea id="reasons-incomplete" rows="5" prop:value=move || incomplete.get()
                        on:input=move |ev| incomplete.set(event_target_value(&ev))></textarea>
                    <p class="error">{move || errors.within("closed_incomplete").join(" ")}</p>
                </div>
                <div class="field">
                    <label for="reasons-rejected">"Reasons for rejecting"</label>
                    <textarea id="reasons-rejected" rows="4" prop:value=move || rejected.get()
                        on:input=move |ev| rejected.set(event_target_value(&ev))></textarea>
                    <p class="error">{move || errors.within("rejected").join(" ")}</p>
                </div>
                <fieldset>
                    <legend>"Follow-ups (CanScheduleFollowup)"</legend>
                    <p class="hint">"A job of these types closed incomplete may be followed up with a new booking."</p>
                    {OrderType::ALL.into_iter().map(|t| {
                        let name = type_name(t);
                        let id = format!("follow-up-{name}");
                        let (checked, toggled) = (name.clone(), name.clone());
                        view! {
                            <div class="check">
                                <input type="checkbox" id=id.clone() prop:checked=move || follow_ups.get().contains(&checked)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        follow_ups.update(|list| {
                                            list.retain(|n| *n != toggled);
                                            if on { list.push(toggled.clone()); }
                                        });
                                    } />
                                <label for=id>{t.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="actions"><button type="submit" class="primary" disabled=move || form.saving()>"Save rules"</button></div>
            </form>
        </section>
    }
}
