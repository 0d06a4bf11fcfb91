//! Weekly working hours, in a technician's own time zone.

use crate::FieldError;
use jiff::civil::{Time, Weekday};
use serde::{Deserialize, Serialize};

/// Bookings start and end on this grid (in minutes). Every time-zone offset in use is a
/// multiple of it, so a local grid time is also a UTC grid time and slot locks line up.
pub const GRID_MINUTES: u16 = 15;

/// A positive length of time on the booking grid, at most 12 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct GridMinutes(u16);

impl GridMinutes {
    /// Parses a number of minutes that is a positive multiple of [`GRID_MINUTES`], ≤ 720.
    pub fn parse(field: &str, minutes: u16) -> Result<Self, FieldError> {
        if minutes > 0 && minutes <= 720 && minutes.is_multiple_of(GRID_MINUTES) {
            Ok(Self(minutes))
        } else {
            Err(FieldError::new(
                field,
                format!("Use a multiple of {GRID_MINUTES} minutes, at most 12 hours."),
            ))
        }
    }

    /// The number of minutes.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The length as a signed span for time arithmetic.
    pub fn span(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_mins(i64::from(self.0))
    }
}

impl TryFrom<u16> for GridMinutes {
    type Error = FieldError;
    fn try_from(minutes: u16) -> Result<Self, FieldError> {
        Self::parse("minutes", minutes)
    }
}

impl From<GridMinutes> for u16 {
    fn from(m: GridMinutes) -> u16 {
        m.0
    }
}

/// One stretch of working time on a day, e.g. `08:00-12:00`, on the grid, start before end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkingInterval {
    start: Time,
    end: Time,
}

impl WorkingInterval {
    /// Parses `HH:MM-HH:MM`; `24:00` is not accepted, end the day at `23:45`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, "Write working hours as HH:MM-HH:MM, e.g. 08:00-17:00.");
        let (start, end) = raw.trim().split_once('-').ok_or_else(invalid)?;
        let parse_time = |s: &str| -> Result<Time, FieldError> {
            let (h, m) = s.trim().split_once(':').ok_or_else(invalid)?;
            let (h, m): (i8, i8) = (h.parse().map_err(|_| invalid())?, m.parse().map_err(|_| invalid())?);
            let time = Time::new(h, m, 0, 0).map_err(|_| invalid())?;
            if !u16::from(m.unsigned_abs()).is_multiple_of(GRID_MINUTES) {
                return Err(FieldError::new(
                    field,
                    format!("Working hours start and end on a {GRID_MINUTES}-minute boundary."),
                ));
            }
            Ok(time)
        };
        let (start, end) = (parse_time(start)?, parse_time(end)?);
        if start >= end {
            return Err(FieldError::new(field, "Working hours must end after they start."));
        }
        Ok(Self { start, end })
    }

    /// Local start time.
    pub fn start(&self) -> Time {
        self.start
    }

    /// Local end time.
    pub fn end(&self) -> Time {
        self.end
    }
}

impl TryFrom<String> for WorkingInterval {
    type Error = FieldError;
    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse("hours", &raw)
    }
}

impl From<WorkingInterval> for String {
    fn from(i: WorkingInterval) -> String {
        format!("{}-{}", i.start.strftime("%H:%M"), i.end.strftime("%H:%M"))
    }
}

/// Working intervals for each day of the week; a day without intervals is a day off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeeklyHours {
    /// Monday's intervals.
    pub monday: Vec<WorkingInterval>,
    /// Tuesday's intervals.
    pub tuesday: Vec<WorkingInterval>,
    /// Wednesday's intervals.
    pub wednesday: Vec<WorkingInterval>,
    /// Thursday's intervals.
    pub thursday: Vec<WorkingInterval>,
    /// Friday's intervals.
    pub friday: Vec<WorkingInterval>,
    /// Saturday's intervals.
    pub saturday: Vec<WorkingInterval>,
    /// Sunday's intervals.
    pub sunday: Vec<WorkingInterval>,
}

impl WeeklyHours {
    /// The intervals worked on `day`.
    pub fn on(&self, day: Weekday) -> &[WorkingInterval] {
        match day {
            Weekday::Monday => &self.monday,
            Weekday::Tuesday => &self.tuesday,
            Weekday::Wednesday => &self.wednesday,
            Weekday::Thursday => &self.thursday,
            Weekday::Friday => &self.friday,
            Weekday::Saturday => &self.saturday,
            Weekday::Sunday => &self.sunday,
        }
    }

    /// The same hours on every weekday from Monday to Friday, weekends off.
    pub fn weekdays(intervals: &[WorkingInterval]) -> Self {
        let v = intervals.to_vec();
        Self {
            monday: v.clone(),
            tuesday: v.clone(),
            wednesday: v.clone(),
            thursday: v.clone(),
            friday: v,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_intervals_round_trip_as_text() {
        let interval = WorkingInterval::parse("h", "08:00-12:30");
        assert_eq!(interval.map(String::from), Ok("08:00-12:30".to_owned()));
    }

    #[test]
    fn bad_working_intervals_are_rejected() {
        for raw in ["", "8-5", "17:00-08:00", "08:00-08:00", "08:10-12:00", "25:00-26:00", "08:00"] {
            assert!(WorkingInterval::parse("h", raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn grid_minutes_are_positive_multiples_of_the_grid() {
        assert!(GridMinutes::parse("d", 60).is_ok());
        assert!(GridMinutes::parse("d", 0).is_err());
        assert!(GridMinutes::parse("d", 50).is_err());
        assert!(GridMinutes::parse("d", 735).is_err());
    }
}
