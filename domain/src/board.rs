//! The dispatch board: a day or a week of bookings per technician, with their time off.

use crate::FieldError;
use crate::api::TechnicianSummary;
use crate::availability::Interval;
use crate::dispatch::WorkOrderSummary;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Most days one board shows.
pub const BOARD_DAYS_MAX: u16 = 14;

/// Query of `GET /api/sites/{site}/board`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(default)]
pub struct BoardQuery {
    /// First day (`YYYY-MM-DD`, in the site's zone); today when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Number of days, 1 (a day) to 14 ([`BOARD_DAYS_MAX`]); 1 when absent, 7 for a week.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 14))]
    pub days: Option<u16>,
}

impl BoardQuery {
    /// The first day (or `today`) and the number of days, naming the field at fault.
    pub fn parse(&self, today: Date) -> Result<(Date, u16), Vec<FieldError>> {
        let mut errors = crate::FieldErrors::default();
        let from = match self.from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(today),
            Some(raw) => errors.take(
                raw.parse::<Date>().map_err(|_| FieldError::new("from", "Enter a date as YYYY-MM-DD.")),
            ),
        };
        let days = self.days.unwrap_or(1);
        if !(1..=BOARD_DAYS_MAX).contains(&days) {
            errors.push(FieldError::new("days", format!("Show 1 to {BOARD_DAYS_MAX} days.")));
        }
        errors.finish(|| Some((from?, days)))
    }
}

/// One technician's row of the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardRow {
    /// Who.
    pub technician: TechnicianSummary,
    /// Whether they take bookings.
    pub active: bool,
    /// Their time off overlapping the board's days.
    pub time_off: Vec<Interval>,
    /// Their jobs on the board's days that hold time (not cancelled or rejected), by start.
    pub jobs: Vec<WorkOrderSummary>,
}

/// `GET /api/sites/{site}/board`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    /// The zone the days are counted in.
    pub time_zone: String,
    /// The first day.
    pub from: Date,
    /// How many days.
    pub days: u16,
    /// One row per technician, by name.
    pub rows: Vec<BoardRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_is_a_day_from_today_unless_asked_otherwise() {
        let today: Date = "2026-12-01".parse().expect("date");
        assert_eq!(BoardQuery::default().parse(today), Ok((today, 1)));
        let week = BoardQuery { from: Some("2026-12-07".into()), days: Some(7) };
        assert_eq!(week.parse(today), Ok(("2026-12-07".parse().expect("date"), 7)));
        let bad = BoardQuery { from: Some("monday".into()), days: Some(15) }.parse(today).expect_err("bad");
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "days"]);
    }
}
