//! The work-order list: its lines, filters, search text and pages.

use crate::availability::Interval;
use crate::ids::{TechnicianId, WorkOrderNumber};
use crate::postcode::{Country, Postcode};
use crate::work_order::{Assignee, OrderStatus, OrderType, WorkOrder};
use crate::{FieldError, FieldErrors};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Work orders per list page unless asked otherwise.
pub const LIST_LIMIT_DEFAULT: u16 = 50;
/// Most work orders per list page.
pub const LIST_LIMIT_MAX: u16 = 100;
/// Longest free-text search.
pub const SEARCH_MAX: usize = 100;
/// Longest list cursor accepted back.
const CURSOR_MAX: usize = 200;

/// One line of the work-order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderSummary {
    #[allow(missing_docs)]
    pub number: WorkOrderNumber,
    #[allow(missing_docs)]
    pub status: OrderStatus,
    /// Kind of job.
    pub order_type: OrderType,
    /// 0 (highest) to 99 (lowest).
    pub priority: u8,
    /// Service name when booked.
    pub service_name: String,
    /// The technician; none (with no start or end) while the order waits for a slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<Assignee>,
    /// Planned start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// Planned end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    /// The zone the job's local times are in.
    pub time_zone: String,
    /// The customer's name.
    pub customer: String,
    /// The job's postcode.
    pub postcode: String,
    /// The job's suburb, town or city.
    pub city: String,
    /// The work order this one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<WorkOrderNumber>,
}

impl WorkOrderSummary {
    /// The booked time, if booked yet.
    pub fn time(&self) -> Option<Interval> {
        Some(Interval { start: self.start?, end: self.end? })
    }

    /// The list line of `order`.
    pub fn of(order: &WorkOrder) -> Self {
        Self {
            number: order.number.clone(),
            status: order.status,
            order_type: order.order_type,
            priority: order.priority,
            service_name: order.service.name.clone(),
            technician: order.technician().cloned(),
            start: order.appointment.as_ref().map(|a| a.planned_start),
            end: order.appointment.as_ref().map(|a| a.planned_end),
            time_zone: order.time_zone.clone(),
            customer: order.contact.name.as_str().to_owned(),
            postcode: order.location.postcode.to_string(),
            city: order.location.city.as_str().to_owned(),
            follow_up_of: order.follow_up_of.clone(),
        }
    }
}

/// What a free-text search looks through: number, customer, contact details, address and
/// service, lower-cased.
pub fn search_text(order: &WorkOrder) -> String {
    let mut parts = vec![
        order.number.as_str(),
        order.contact.name.as_str(),
        order.contact.email.as_str(),
        order.contact.phone.as_str(),
        order.location.line1.as_str(),
        order.location.city.as_str(),
        order.service.name.as_str(),
    ];
    if let Some(technician) = order.technician() {
        parts.push(technician.name.as_str());
    }
    if let Some(line2) = &order.location.line2 {
        parts.push(line2.as_str());
    }
    let postcode = order.location.postcode.to_string();
    parts.push(&postcode);
    parts.join("\n").to_lowercase()
}

/// One page of the work-order list, sorted by appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderPage {
    /// The work orders.
    pub items: Vec<WorkOrderSummary>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Query of `GET /api/sites/{site}/work-orders`, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(default)]
pub struct WorkOrderListQuery {
    /// Statuses to include, by name or code, comma-separated (`new,enroute` or `1,6`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// First day of appointments (`YYYY-MM-DD`, in the site's zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day of appointments, included (`YYYY-MM-DD`, in the site's zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only this technician's work orders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technician: Option<String>,
    /// Only work orders at this postcode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Words to find in the number, customer, contact details, address or service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// The `next` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Work orders per page, 1 to 100 ([`LIST_LIMIT_MAX`]); 50 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u16>,
}

fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A parsed list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderFilter {
    /// Statuses to include; empty means all.
    pub statuses: Vec<OrderStatus>,
    /// First day of appointments, in the site's zone.
    pub from: Option<Date>,
    /// Last day of appointments (included), in the site's zone.
    pub to: Option<Date>,
    /// Only this technician's.
    pub technician: Option<TechnicianId>,
    /// Only at this postcode.
    pub postcode: Option<Postcode>,
    /// Lower-cased words that must all appear.
    pub words: Vec<String>,
    /// Where the previous page ended.
    pub cursor: Option<String>,
    /// Page size.
    pub limit: usize,
}

impl WorkOrderListQuery {
    /// Parses the query for a site in `country`, naming every field at fault.
    pub fn parse(&self, country: Country) -> Result<WorkOrderFilter, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let mut statuses = Vec::new();
        if let Some(raw) = given(&self.status) {
            for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if let Some(status) = errors.take(OrderStatus::parse("status", part))
                    && !statuses.contains(&status)
                {
                    statuses.push(status);
                }
            }
        }
        let date = |field: &str, raw: Option<&str>| match raw {
            None => Ok(None),
            Some(raw) => raw
                .parse::<Date>()
                .map(Some)
                .map_err(|_| FieldError::new(field, "Enter a date as YYYY-MM-DD.")),
        };
        let from = errors.take(date("from", given(&self.from))).flatten();
        let to = errors.take(date("to", given(&self.to))).flatten();
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.push(FieldError::new("to", "The last day comes before the first."));
        }
        let technician =
            given(&self.technician).and_then(|raw| errors.take(TechnicianId::parse("technician", raw)));
        let postcode =
            given(&self.postcode).and_then(|raw| errors.take(Postcode::parse("postcode", country, raw)));
        let words = match given(&self.q) {
            Some(raw) if raw.chars().count() > SEARCH_MAX => {
                errors.push(FieldError::new("q", format!("Search for at most {SEARCH_MAX} characters.")));
                Vec::new()
            }
            Some(raw) => raw.to_lowercase().split_whitespace().map(str::to_owned).collect(),
            None => Vec::new(),
        };
        let cursor = given(&self.cursor).map(str::to_owned);
        if cursor.as_ref().is_some_and(|c| c.len() > CURSOR_MAX || !c.is_ascii()) {
            errors.push(FieldError::new("cursor", "Pass back the `next` of the previous page."));
        }
        let limit = self.limit.unwrap_or(LIST_LIMIT_DEFAULT);
        if !(1..=LIST_LIMIT_MAX).contains(&limit) {
            errors.push(FieldError::new("limit", format!("Ask for 1 to {LIST_LIMIT_MAX} work orders.")));
        }
        errors.finish(|| {
            Some(WorkOrderFilter {
                statuses,
                from,
                to,
                technician,
                postcode,
                words,
                cursor,
                limit: usize::from(limit),
            })
        })
    }
}

impl WorkOrderFilter {
    /// Whether a listed order passes the filters other than its date (the date range is a
    /// range of the index, not a filter).
    pub fn matches(&self, summary: &WorkOrderSummary, search_text: &str) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&summary.status))
            && self
                .technician
                .as_ref()
                .is_none_or(|t| summary.technician.as_ref().is_some_and(|a| a.id == *t))
            && self.postcode.as_ref().is_none_or(|p| p.to_string() == summary.postcode)
            && self.words.iter().all(|w| search_text.contains(w.as_str()))
    }
}
