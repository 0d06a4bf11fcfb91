//! The dispatch board: every technician's jobs and time off over a day or a week.

use super::{App, AppError};
use crate::repository::ListView;
use crate::store::Store;
use jobslot_domain::FieldError;
use jobslot_domain::api::TechnicianSummary;
use jobslot_domain::availability::Interval;
use jobslot_domain::board::{Board, BoardQuery, BoardRow};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::UserId;
use jobslot_domain::staff::Action;

/// Most jobs one board reads; a site with more in a fortnight is paged by the list instead.
const BOARD_JOBS_MAX: usize = 5_000;

impl<S: Store> App<S> {
    /// The board from a day, for a number of days, in the site's zone.
    pub async fn board(&self, site: &SiteId, user: &UserId, query: &BoardQuery) -> Result<Board, AppError> {
        let (site, _) = self.authorize(site, user, Action::ViewWorkOrders).await?;
        let site_zone = site.time_zone.tz();
        let today = self.clock.now().to_zoned(site_zone.clone()).date();
        let (from, days) = query.parse(today).map_err(AppError::Validation)?;
        let out_of_range = || AppError::from(FieldError::new("from", "That date is out of range."));
        let end_date =
            from.checked_add(jiff::Span::new().days(i64::from(days))).map_err(|_| out_of_range())?;
        let start_of = |date: jiff::civil::Date| {
            date.to_zoned(site_zone.clone()).map(|z| z.timestamp()).map_err(|_| out_of_range())
        };
        let window = Interval { start: start_of(from)?, end: start_of(end_date)? };
        let (technicians, (jobs, _)) = tokio::try_join!(
            self.repo.technicians(&site.id),
            self.repo.list_orders(
                &site.id,
                &ListView::All,
                (Some(window.start), Some(window.end)),
                None,
                BOARD_JOBS_MAX,
                |entry| entry.summary.status.holds_time(),
            ),
        )?;
        let mut rows: Vec<BoardRow> = technicians
            .iter()
            .map(|tech| BoardRow {
                technician: TechnicianSummary { id: tech.id.clone(), name: tech.name.clone() },
                active: tech.active,
                time_off: tech
                    .time_off
                    .iter()
                    .filter_map(|off| off.interval(tech.time_zone.tz()))
                    .filter(|off| off.overlaps(&window))
                    .collect(),
                jobs: jobs
                    .iter()
                    .filter(|job| job.technician.as_ref().is_some_and(|t| t.id == tech.id))
                    .cloned()
                    .collect(),
            })
            .collect();
        rows.sort_by(|a, b| a.technician.name.cmp(&b.technician.name));
        Ok(Board { time_zone: site.time_zone.name().to_owned(), from, days, rows })
    }
}
