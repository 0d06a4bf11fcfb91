//! The work order: what is to be done, where, for whom, by whom and when.
//!
//! Shaped after the work order object of the source documents: order status and type codes,
//! account, location, contact, asset details from the form, planned dates and the technician.

use crate::contact::Contact;
use crate::form::Answer;
use crate::ids::{ServiceId, SiteId, TechnicianId, WorkOrderNumber};
use crate::money::Money;
use crate::postcode::Postcode;
use crate::text::Text;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a work order is in its life. The numeric codes are the work order object's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Booked, not yet started (1).
    New,
    /// The technician is travelling (6).
    Enroute,
    /// The technician is on site (7).
    Onsite,
    /// Travel finished (8).
    TravelComplete,
    /// Waiting on something (9).
    Pending,
    /// Declined by the business (1001).
    Rejected,
    /// Done (4096).
    ClosedComplete,
    /// Closed without finishing; may lead to a follow-up (4097).
    ClosedIncomplete,
}

impl OrderStatus {
    /// The status code of the work order object.
    pub fn code(self) -> u16 {
        match self {
            OrderStatus::New => 1,
            OrderStatus::Enroute => 6,
            OrderStatus::Onsite => 7,
            OrderStatus::TravelComplete => 8,
            OrderStatus::Pending => 9,
            OrderStatus::Rejected => 1001,
            OrderStatus::ClosedComplete => 4096,
            OrderStatus::ClosedIncomplete => 4097,
        }
    }

    /// True once nothing more can happen to the order.
    pub fn is_closed(self) -> bool {
        matches!(self, OrderStatus::Rejected | OrderStatus::ClosedComplete | OrderStatus::ClosedIncomplete)
    }

    /// Whether staff may move an order from this status to `next`.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        match self {
            New => matches!(next, Enroute | Onsite | Pending | Rejected),
            Enroute => matches!(next, TravelComplete | Onsite | Pending),
            TravelComplete => matches!(next, Onsite | Pending),
            Onsite => matches!(next, Pending | ClosedComplete | ClosedIncomplete),
            Pending => matches!(next, Enroute | Onsite | Rejected | ClosedIncomplete),
            Rejected | ClosedComplete | ClosedIncomplete => false,
        }
    }
}

/// The kind of job. The numeric codes are the work order object's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// Install (1001).
    Install,
    /// Inspection (1002).
    Inspection,
    /// Maintenance (1003).
    Maintenance,
    /// De-install (1004).
    DeInstall,
    /// Repair (1005).
    Repair,
    /// Demo (1006).
    Demo,
    /// Training (1007).
    Training,
}

impl OrderType {
    /// The type code of the work order object.
    pub fn code(self) -> u16 {
        match self {
            OrderType::Install => 1001,
            OrderType::Inspection => 1002,
            OrderType::Maintenance => 1003,
            OrderType::DeInstall => 1004,
            OrderType::Repair => 1005,
            OrderType::Demo => 1006,
            OrderType::Training => 1007,
        }
    }
}

/// Where the job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    /// Street address.
    pub line1: Text,
    /// Unit, building, … (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<Text>,
    /// Suburb, town or city.
    pub city: Text,
    /// The postcode (carries its country).
    pub postcode: Postcode,
}

/// The customer's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    /// Account name: the customer's name for a private customer.
    pub name: Text,
}

/// Who does the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignee {
    /// Technician id.
    pub id: TechnicianId,
    /// Technician name when booked.
    pub name: String,
}

/// What was booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookedService {
    /// Service id.
    pub id: ServiceId,
    /// Service name when booked.
    pub name: String,
    /// Price quoted when booked.
    pub price: Money,
}

/// A work order as stored and as returned to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrder {
    /// The site it belongs to.
    pub site: SiteId,
    /// Its number.
    pub number: WorkOrderNumber,
    /// Status; `New` on creation.
    pub status: OrderStatus,
    /// Kind of job.
    pub order_type: OrderType,
    /// 0 (highest) to 99 (lowest).
    pub priority: u8,
    /// The service booked.
    pub service: BookedService,
    /// The customer's account.
    pub account: Account,
    /// Who to talk to.
    pub contact: Contact,
    /// Where.
    pub location: Address,
    /// Details of the asset from the site's order form (car make, model, …).
    pub asset: Vec<Answer>,
    /// Notes from the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Text>,
    /// Planned start.
    pub planned_start: Timestamp,
    /// Planned end.
    pub planned_end: Timestamp,
    /// The zone the job's local times are in.
    pub time_zone: String,
    /// The technician.
    pub technician: Assignee,
    /// When it was created.
    pub created_at: Timestamp,
}

/// Priority given to work orders booked by customers.
pub const DEFAULT_PRIORITY: u8 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [OrderStatus; 8] = [
        OrderStatus::New,
        OrderStatus::Enroute,
        OrderStatus::Onsite,
        OrderStatus::TravelComplete,
        OrderStatus::Pending,
        OrderStatus::Rejected,
        OrderStatus::ClosedComplete,
        OrderStatus::ClosedIncomplete,
    ];

    #[test]
    fn status_codes_match_the_work_order_object() {
        let codes: Vec<u16> = ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [1, 6, 7, 8, 9, 1001, 4096, 4097]);
        assert_eq!(OrderType::Install.code(), 1001);
        assert_eq!(OrderType::Training.code(), 1007);
    }

    #[test]
    fn closed_orders_never_change_and_nothing_returns_to_new() {
        for from in ALL {
            for to in ALL {
                if from.is_closed() {
                    assert!(!from.can_become(to), "{from:?} -> {to:?}");
                }
                assert!(!from.can_become(OrderStatus::New), "{from:?} -> New");
            }
        }
        assert!(OrderStatus::Onsite.can_become(OrderStatus::ClosedIncomplete));
        assert!(!OrderStatus::New.can_become(OrderStatus::ClosedComplete));
    }
}
