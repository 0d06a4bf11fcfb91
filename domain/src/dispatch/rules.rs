//! The site's reason codes and its rules per order type, as the console edits them.

use super::patch::key_name;
use crate::ids::ReasonCode;
use crate::site::Site;
use crate::text::Text;
use crate::work_order::{OrderRules, OrderType, Reason, ReasonCodes};
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most reason codes in one list.
pub const REASONS_MAX: usize = 30;
/// Longest reason label.
pub const REASON_LABEL_MAX: usize = 60;

/// `PUT /api/sites/{site}/work-order-rules`: the site's reason codes and its rules per order
/// type, as the console edits them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WorkOrderRulesInput {
    /// Reasons a job may be closed incomplete.
    pub closed_incomplete: Vec<ReasonInput>,
    /// Reasons a job may be rejected.
    pub rejected: Vec<ReasonInput>,
    /// Rules by order type (`repair`, `install`, …); a type not listed has every rule off.
    pub order_types: BTreeMap<String, OrderRules>,
}

/// One reason code as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReasonInput {
    /// Stable code, a slug (`parts-needed`).
    pub code: String,
    /// What staff pick it by.
    pub label: String,
}

impl WorkOrderRulesInput {
    /// The rules of `site`, as the console edits them.
    pub fn of(site: &Site) -> Self {
        let reasons = |list: &[Reason]| {
            list.iter().map(|r| ReasonInput { code: r.code.to_string(), label: r.label.clone() }).collect()
        };
        Self {
            closed_incomplete: reasons(&site.reasons.closed_incomplete),
            rejected: reasons(&site.reasons.rejected),
            order_types: site
                .order_rules
                .iter()
                .map(|(t, r)| {
                    (
                        serde_json::to_value(t)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        *r,
                    )
                })
                .collect(),
        }
    }

    /// Applies the rules to `site`, naming every field at fault.
    pub fn apply(&self, site: &Site) -> Result<Site, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let closed_incomplete = parse_reasons("closed_incomplete", &self.closed_incomplete, &mut errors);
        let rejected = parse_reasons("rejected", &self.rejected, &mut errors);
        let mut order_rules = BTreeMap::new();
        for (name, rules) in &self.order_types {
            match serde_json::from_value::<OrderType>(Value::String(name.clone())) {
                Ok(order_type) => {
                    order_rules.insert(order_type, *rules);
                }
                Err(_) => errors.push(FieldError::new(
                    key_name("order_types", name).unwrap_or_else(|| "order_types".into()),
                    "Not an order type (install, inspection, maintenance, de_install, repair, demo, training).",
                )),
            }
        }
        errors.finish(|| {
            Some(Site { reasons: ReasonCodes { closed_incomplete, rejected }, order_rules, ..site.clone() })
        })
    }
}

fn parse_reasons(list: &str, raw: &[ReasonInput], errors: &mut FieldErrors) -> Vec<Reason> {
    if raw.is_empty() || raw.len() > REASONS_MAX {
        errors.push(FieldError::new(list, format!("Keep 1 to {REASONS_MAX} reasons.")));
        return Vec::new();
    }
    let mut reasons: Vec<Reason> = Vec::new();
    for (i, input) in raw.iter().enumerate() {
        let code = errors.take(ReasonCode::parse(&format!("{list}[{i}].code"), input.code.trim()));
        let label = errors.take(Text::parse(&format!("{list}[{i}].label"), &input.label, REASON_LABEL_MAX));
        if let (Some(code), Some(label)) = (code, label) {
            if reasons.iter().any(|r| r.code == code) {
                errors.push(FieldError::new(format!("{list}[{i}].code"), "Each code may appear once."));
            } else {
                reasons.push(Reason { code, label: label.as_str().to_owned() });
            }
        }
    }
    reasons
}
