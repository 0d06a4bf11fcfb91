//! Follow-up bookings (seed 001): a job closed incomplete, on a work order whose rules allow
//! it, is followed by a new work order for the same location and service, booked against a
//! free slot and linked to the first.

use crate::FieldError;
use crate::FieldErrors;
use crate::ids::TechnicianId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// `POST /api/sites/{site}/work-orders/{number}/follow-up`, with an `Idempotency-Key`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FollowUpInput {
    /// Technician id of the chosen slot.
    pub technician: String,
    /// Start instant of the chosen slot (RFC 3339).
    pub start: String,
}

impl FollowUpInput {
    /// The technician and start asked for.
    pub fn parse(&self) -> Result<(TechnicianId, Timestamp), Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let technician = errors.take(TechnicianId::parse("technician", self.technician.trim()));
        let start = errors.take(
            self.start
                .trim()
                .parse::<Timestamp>()
                .map_err(|_| FieldError::new("start", "Choose a time slot.")),
        );
        errors.finish(|| Some((technician?, start?)))
    }
}

/// Query of `GET /api/sites/{site}/work-orders/{number}/follow-up/slots`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(default)]
pub struct FollowUpSlotsQuery {
    /// First day (`YYYY-MM-DD`, in the site's zone); today when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Number of days, 1 to 14; 7 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 14))]
    pub days: Option<u16>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_follow_up_names_a_technician_and_a_start() {
        let good = FollowUpInput { technician: " sam ".into(), start: "2026-12-01T22:00:00Z".into() };
        assert!(good.parse().is_ok());
        let bad = FollowUpInput { technician: "Sam!".into(), start: "soon".into() }.parse().expect_err("bad");
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["technician", "start"]);
    }
}
