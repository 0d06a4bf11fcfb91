//! A work order as staff open it: the order with the history of its changes.

use crate::work_order::WorkOrder;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One property changed by one edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The property (`status`, `technician`, `contact.phone`, `staff_notes`, …).
    pub field: String,
    /// Its value before; absent when it had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Its value after; absent when it was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One edit of a work order: who, when, and every property it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    #[allow(missing_docs)]
    pub at: Timestamp,
    /// Who (their e-mail address; `customer` for the booking itself).
    pub by: String,
    /// What changed.
    pub changes: Vec<Change>,
}

/// A work order with its history, oldest change first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderDetail {
    /// The work order.
    #[serde(flatten)]
    pub order: WorkOrder,
    /// Every change since it was booked.
    pub history: Vec<HistoryEntry>,
}
