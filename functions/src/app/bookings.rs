//! The bookings function: free slots for a postcode and a service.

use super::{App, AppError};
use crate::store::Store;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jobslot_domain::api::{
    DaySlots, MAX_DAYS_PER_QUERY, SlotOffer, SlotsQuery, SlotsResponse, TechnicianSummary,
};
use jobslot_domain::availability::{AvailabilityQuery, Interval, free_slots};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::WorkOrderNumber;
use jobslot_domain::postcode::Postcode;
use jobslot_domain::site::{Service, Site, Technician};
use jobslot_domain::{FieldError, FieldErrors};
use std::collections::BTreeMap;

const DEFAULT_DAYS: u16 = 7;

impl<S: Store> App<S> {
    /// Free slots of every technician serving the postcode, grouped by local day.
    pub async fn slots(&self, site: &SiteId, query: &SlotsQuery) -> Result<SlotsResponse, AppError> {
        let site = self.site(site).await?;
        let site_zone = site.time_zone.tz();
        let now = self.clock.now();
        let mut errors = FieldErrors::default();
        let postcode = errors.take(Postcode::parse("postcode", site.country, &query.postcode));
        let service = errors.take(site.parse_service("service", &query.service));
        let from = match query.from.as_deref().map(str::trim) {
            None | Some("") => Some(now.to_zoned(site_zone.clone()).date()),
            Some(raw) => errors.take(
                raw.parse::<Date>().map_err(|_| FieldError::new("from", "Enter a date as YYYY-MM-DD.")),
            ),
        };
        let days = query.days.unwrap_or(DEFAULT_DAYS);
        if !(1..=MAX_DAYS_PER_QUERY).contains(&days) {
            errors.push(FieldError::new("days", format!("Ask for 1 to {MAX_DAYS_PER_QUERY} days.")));
        }
        let (postcode, service, from) =
            errors.finish(|| Some((postcode?, service?, from?))).map_err(AppError::Validation)?;
        let window = days_window(from, days, site_zone)?;

        // Two reads after the site: who the index files under the postcode, then their
        // records and schedule sheets in one batch.
        let candidates = self.repo.serving_candidates(&site.id, &postcode).await?;
        let (technicians, busy) = self.repo.serving_with_schedules(&site.id, &candidates, window).await?;
        if technicians.is_empty() {
            return Err(AppError::PostcodeNotServed(postcode.to_string()));
        }

        let mut by_day: BTreeMap<Date, Vec<SlotOffer>> = BTreeMap::new();
        for tech in technicians.iter().filter(|t| t.does(&service.id)) {
            let busy = busy.get(&tech.id).map_or(&[][..], Vec::as_slice);
            for slot in offer(&site, tech, &service, window, now, busy)? {
                by_day.entry(slot.start.to_zoned(site_zone.clone()).date()).or_default().push(SlotOffer {
                    technician: tech.id.clone(),
                    start: slot.start,
                    end: slot.end,
                });
            }
        }
        let day_slots = by_day
            .into_iter()
            .map(|(date, mut slots)| {
                slots.sort_by(|a, b| (a.start, &a.technician).cmp(&(b.start, &b.technician)));
                DaySlots { date, slots }
            })
            .collect();
        Ok(SlotsResponse {
            postcode: postcode.to_string(),
            service: service.id,
            time_zone: site.time_zone.name().to_owned(),
            from,
            days_covered: days,
            technicians: technicians
                .iter()
                .map(|t| TechnicianSummary { id: t.id.clone(), name: t.name.clone() })
                .collect(),
            days: day_slots,
        })
    }

    /// One technician's free slots for a service inside a window, from their stored bookings
    /// (but for the time of the work order `ignoring`, which is being moved).
    pub(super) async fn technician_slots(
        &self,
        site: &Site,
        tech: &Technician,
        service: &Service,
        window: Interval,
        now: Timestamp,
        ignoring: Option<&WorkOrderNumber>,
    ) -> Result<Vec<Interval>, AppError> {
        let bookings = self.repo.bookings(&site.id, &tech.id, window).await?;
        let busy: Vec<Interval> =
            bookings.into_iter().filter(|b| Some(&b.work_order) != ignoring).map(|b| b.time).collect();
        offer(site, tech, service, window, now, &busy)
    }
}

/// The slots a technician offers for a service inside a window, around `busy` times.
fn offer(
    site: &Site,
    tech: &Technician,
    service: &Service,
    window: Interval,
    now: Timestamp,
    busy: &[Interval],
) -> Result<Vec<Interval>, AppError> {
    Ok(free_slots(&AvailabilityQuery {
        hours: &tech.hours,
        zone: tech.time_zone.tz(),
        busy,
        time_off: &tech.time_off,
        duration: service.duration,
        rules: &site.rules,
        now,
        window,
    }))
}

/// From the start of `from` to the start of the day `days` later, in `zone`.
fn days_window(from: Date, days: u16, zone: &TimeZone) -> Result<Interval, AppError> {
    let start_of = |date: Date| {
        date.to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| AppError::from(FieldError::new("from", "That date is out of range.")))
    };
    let end = from
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .map_err(|_| AppError::from(FieldError::new("from", "That date is out of range.")))?;
    Ok(Interval { start: start_of(from)?, end: start_of(end)? })
}
