//! A booking: a technician's time taken by a work order.

use crate::availability::Interval;
use crate::ids::{SiteId, TechnicianId, WorkOrderNumber};
use serde::{Deserialize, Serialize};

/// Time taken from a technician's calendar for one work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    #[allow(missing_docs)]
    pub site: SiteId,
    /// Whose time.
    pub technician: TechnicianId,
    #[allow(missing_docs)]
    pub work_order: WorkOrderNumber,
    #[allow(missing_docs)]
    pub time: Interval,
}
