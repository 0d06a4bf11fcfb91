//! Technicians as the console edits and lists them: areas, services, weekly hours, time off.

use super::settings::parse_zone;
use crate::area::ServiceArea;
use crate::availability::TimeOff;
use crate::ids::TechnicianId;
use crate::schedule::{WeeklyHours, WorkingInterval};
use crate::site::{Site, Technician};
use crate::text::Text;
use crate::{FieldError, FieldErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Most service areas one technician may list.
pub const AREAS_MAX: usize = 5_000;

/// A day or part-day off as typed: `from` and `to` as `2026-12-24T12:00`, or a date alone in
/// `from` (and optionally a last date in `to`) for whole days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TimeOffInput {
    /// Start: a date (whole day) or a date and time.
    pub from: String,
    /// End: the last whole day, or the date and time work resumes; empty for one day.
    pub to: String,
}

impl TimeOffInput {
    /// Whole days (midnight to midnight) as their first and last date, the rest as date-times
    /// to the minute: the way a person entered them.
    pub fn of(off: &TimeOff) -> Self {
        let midnight = jiff::civil::Time::midnight();
        let minute = |t: jiff::civil::DateTime| t.strftime("%Y-%m-%dT%H:%M").to_string();
        if off.from.time() == midnight && off.to.time() == midnight {
            let first = off.from.date();
            if let Ok(last) = off.to.date().yesterday()
                && last >= first
            {
                let to = if last == first { String::new() } else { last.to_string() };
                return Self { from: first.to_string(), to };
            }
        }
        Self { from: minute(off.from), to: minute(off.to) }
    }

    fn parse(&self, field: &str) -> Result<TimeOff, FieldError> {
        // A bare date only: jiff would also read the date out of `2026-12-25T10:00`.
        let date =
            |raw: &str| Some(raw.trim()).filter(|r| r.len() == 10).and_then(|r| r.parse::<Date>().ok());
        match (date(&self.from), self.to.trim()) {
            (Some(day), "") => Ok(TimeOff::day(day)),
            (Some(first), last) => {
                let last = date(last)
                    .ok_or_else(|| FieldError::new(field, "Enter the last day off as YYYY-MM-DD."))?;
                let back =
                    last.tomorrow().map_err(|_| FieldError::new(field, "That date is out of range."))?;
                TimeOff::parse(field, &first.to_string(), &back.to_string())
            }
            (None, _) => TimeOff::parse(field, &self.from, &self.to),
        }
    }
}

/// `PUT /api/sites/{site}/technicians/{id}`: a technician as the console edits one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TechnicianInput {
    /// Name shown to customers.
    pub name: String,
    /// Service areas as typed (`2000`, `2000-2099`, `941*`, `SW1*`).
    pub areas: Vec<String>,
    /// Ids of the services they do; none means all.
    pub services: Vec<String>,
    /// Working intervals per day, `HH:MM-HH:MM`.
    pub hours: HoursInput,
    /// Days and part-days off.
    pub time_off: Vec<TimeOffInput>,
    /// IANA zone of their hours; the site's when empty.
    pub time_zone: String,
    /// Offered to customers.
    pub active: bool,
}

/// Working intervals per weekday, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HoursInput {
    #[allow(missing_docs)]
    pub monday: Vec<String>,
    #[allow(missing_docs)]
    pub tuesday: Vec<String>,
    #[allow(missing_docs)]
    pub wednesday: Vec<String>,
    #[allow(missing_docs)]
    pub thursday: Vec<String>,
    #[allow(missing_docs)]
    pub friday: Vec<String>,
    #[allow(missing_docs)]
    pub saturday: Vec<String>,
    #[allow(missing_docs)]
    pub sunday: Vec<String>,
}

impl TechnicianInput {
    /// A technician as the console shows one.
    pub fn of(tech: &Technician) -> Self {
        let day = |intervals: &[WorkingInterval]| intervals.iter().map(|i| String::from(*i)).collect();
        Self {
            name: tech.name.clone(),
            areas: tech.areas.iter().map(ToString::to_string).collect(),
            services: tech.services.iter().map(ToString::to_string).collect(),
            hours: HoursInput {
                monday: day(&tech.hours.monday),
                tuesday: day(&tech.hours.tuesday),
                wednesday: day(&tech.hours.wednesday),
                thursday: day(&tech.hours.thursday),
                friday: day(&tech.hours.friday),
                saturday: day(&tech.hours.saturday),
                sunday: day(&tech.hours.sunday),
            },
            time_off: tech.time_off.iter().map(TimeOffInput::of).collect(),
            time_zone: tech.time_zone.name().to_owned(),
            active: tech.active,
        }
    }

    /// Parses the technician `id` of `site`, naming every field at fault.
    pub fn parse(&self, site: &Site, id: &TechnicianId) -> Result<Technician, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let name = errors.take(Text::parse("name", &self.name, 80));
        if self.areas.is_empty() {
            errors.push(FieldError::new("areas", "Add at least one postcode, range or prefix."));
        }
        if self.areas.len() > AREAS_MAX {
            errors.push(FieldError::new(
                "areas",
                format!("List at most {AREAS_MAX} areas; use ranges or prefixes."),
            ));
        }
        let mut areas = Vec::with_capacity(self.areas.len());
        for (i, raw) in self.areas.iter().enumerate().take(AREAS_MAX) {
            if let Some(area) = errors.take(ServiceArea::parse(&format!("areas[{i}]"), site.country, raw))
                && !areas.contains(&area)
            {
                areas.push(area);
            }
        }
        let mut services = Vec::new();
        for (i, raw) in self.services.iter().enumerate() {
            if let Some(service) = errors.take(site.parse_any_service(&format!("services[{i}]"), raw)) {
                services.push(service.id);
            }
        }
        let mut day = |name: &str, raw: &[String]| -> Vec<WorkingInterval> {
            let parsed: Vec<WorkingInterval> = raw
                .iter()
                .enumerate()
                .filter_map(|(i, r)| errors.take(WorkingInterval::parse(&format!("hours.{name}[{i}]"), r)))
                .collect();
            let mut sorted = parsed.clone();
            sorted.sort_by_key(|i| i.start());
            if sorted.windows(2).any(|w| w[1].start() < w[0].end()) {
                errors.push(FieldError::new(format!("hours.{name}"), "These working hours overlap."));
            }
            sorted
        };
        let hours = WeeklyHours {
            monday: day("monday", &self.hours.monday),
            tuesday: day("tuesday", &self.hours.tuesday),
            wednesday: day("wednesday", &self.hours.wednesday),
            thursday: day("thursday", &self.hours.thursday),
            friday: day("friday", &self.hours.friday),
            saturday: day("saturday", &self.hours.saturday),
            sunday: day("sunday", &self.hours.sunday),
        };
        let time_off: Vec<TimeOff> = self
            .time_off
            .iter()
            .enumerate()
            .filter_map(|(i, t)| errors.take(t.parse(&format!("time_off[{i}]"))))
            .collect();
        let zone = match self.time_zone.trim() {
            "" => Some(site.time_zone.clone()),
            raw => errors.take(parse_zone(raw)),
        };
        errors.finish(|| {
            Some(Technician {
                site: site.id.clone(),
                id: id.clone(),
                name: name?.to_string(),
                areas,
                services,
                hours,
                time_off,
                time_zone: zone?,
                active: self.active,
            })
        })
    }
}

/// A technician as listed in the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianEntry {
    #[allow(missing_docs)]
    pub id: TechnicianId,
    /// Its fields as the console edits them.
    #[serde(flatten)]
    pub technician: TechnicianInput,
}
