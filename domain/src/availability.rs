//! The availability engine: working hours minus bookings, under a site's booking rules.
//!
//! Everything is computed on absolute instants; local wall-clock times only enter when a day's
//! working intervals are placed on the timeline, in the technician's own zone, so days whose
//! clocks change for daylight saving get their true length.

use crate::FieldError;
use crate::schedule::{GRID_MINUTES, GridMinutes, WeeklyHours};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// A half-open stretch of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    /// First instant inside.
    pub start: Timestamp,
    /// First instant after.
    pub end: Timestamp,
}

impl Interval {
    /// True when the two share any instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Time a technician does not work although their weekly hours say they would: a holiday
/// (`from` midnight to the next midnight) or part of a day, in their own wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TimeOff {
    /// First wall-clock instant off.
    pub from: DateTime,
    /// First wall-clock instant back at work.
    pub to: DateTime,
}

impl TimeOff {
    /// A whole day off.
    pub fn day(date: Date) -> Self {
        let next = date.tomorrow().unwrap_or(date);
        Self {
            from: date.to_datetime(jiff::civil::Time::midnight()),
            to: next.to_datetime(jiff::civil::Time::midnight()),
        }
    }

    /// Parses `from` and `to` (`2026-12-24T12:00`), requiring `from` before `to`, at most a
    /// year apart.
    pub fn parse(field: &str, from: &str, to: &str) -> Result<Self, FieldError> {
        let parse = |raw: &str| {
            raw.trim()
                .parse::<DateTime>()
                .map_err(|_| FieldError::new(field, "Enter a date and time like 2026-12-24T12:00."))
        };
        let (from, to) = (parse(from)?, parse(to)?);
        let year_later = from.checked_add(jiff::Span::new().days(366)).unwrap_or(DateTime::MAX);
        if from >= to {
            return Err(FieldError::new(field, "The time off must end after it starts."));
        }
        if to > year_later {
            return Err(FieldError::new(field, "Enter at most a year of time off at once."));
        }
        Ok(Self { from, to })
    }

    /// The time off on the timeline of `zone`.
    pub fn interval(&self, zone: &TimeZone) -> Option<Interval> {
        let instant = |dt: DateTime| zone.to_ambiguous_timestamp(dt).compatible().ok();
        Some(Interval { start: instant(self.from)?, end: instant(self.to)? })
    }
}

/// How a site lets customers book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotRules {
    /// Distance between offered start times.
    pub step: GridMinutes,
    /// How long before its start a slot stops being offered.
    pub min_notice_minutes: u32,
    /// How many days after today (in the technician's zone) can be booked.
    pub days_ahead: u16,
}

/// Everything the engine needs to list one technician's free slots.
#[derive(Debug, Clone, Copy)]
pub struct AvailabilityQuery<'a> {
    /// The technician's weekly working hours.
    pub hours: &'a WeeklyHours,
    /// The zone those hours are in.
    pub zone: &'a TimeZone,
    /// Times already booked, in any order, possibly overlapping.
    pub busy: &'a [Interval],
    /// Holidays and part-days off, in the technician's wall-clock time.
    pub time_off: &'a [TimeOff],
    /// Length of the service being booked.
    pub duration: GridMinutes,
    /// The site's rules.
    pub rules: &'a SlotRules,
    /// The current instant.
    pub now: Timestamp,
    /// Only slots starting inside this window are returned.
    pub window: Interval,
}

/// Free slots of `query.duration` for one technician, sorted by start.
pub fn free_slots(query: &AvailabilityQuery<'_>) -> Vec<Interval> {
    let notice = SignedDuration::from_mins(i64::from(query.rules.min_notice_minutes));
    let earliest = query.now.checked_add(notice).unwrap_or(Timestamp::MAX).max(query.window.start);
    let latest = query.window.end.min(horizon_end(query.now, query.zone, query.rules.days_ahead));
    if earliest >= latest {
        return Vec::new();
    }
    let mut blocked: Vec<Interval> = query.busy.to_vec();
    blocked.extend(query.time_off.iter().filter_map(|off| off.interval(query.zone)));
    let busy = merged(&blocked);
    let duration = query.duration.span();
    let step = query.rules.step.span();
    let mut slots = Vec::new();
    let (Some(first_day), Some(last_day)) =
        (local_date(earliest, query.zone), local_date(latest, query.zone))
    else {
        return slots;
    };
    let mut day = first_day;
    while day <= last_day {
        for interval in query.hours.on(day.weekday()) {
            let (Some(open), Some(close)) =
                (at(day, interval.start(), query.zone), at(day, interval.end(), query.zone))
            else {
                continue;
            };
            let mut start = open;
            while let Ok(end) = start.checked_add(duration) {
                if end > close || start >= latest {
                    break;
                }
                let slot = Interval { start, end };
                // `busy` is disjoint and sorted, so ends are sorted too: the first interval
                // ending after the slot starts is the only one that can overlap it first.
                let next_busy = busy.partition_point(|b| b.end <= slot.start);
                let blocked = busy.get(next_busy).is_some_and(|b| b.overlaps(&slot));
                if start >= earliest && !blocked {
                    slots.push(slot);
                }
                match start.checked_add(step) {
                    Ok(next) => start = next,
                    Err(_) => break,
                }
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    // Overlapping working intervals on one day would offer a start twice.
    slots.sort_unstable();
    slots.dedup_by_key(|s| s.start);
    slots
}

/// The grid cells (their start instants) an interval occupies; two bookings of one technician
/// conflict exactly when they share a cell, which is what makes slot locks work.
pub fn grid_cells(interval: &Interval) -> Vec<Timestamp> {
    let cell = i64::from(GRID_MINUTES) * 60;
    let first = interval.start.as_second().div_euclid(cell) * cell;
    let end = interval.end.as_second();
    (0..)
        .map(|i| first + i * cell)
        .take_while(|s| *s < end)
        .filter_map(|s| Timestamp::from_second(s).ok())
        .collect()
}

/// The first instant after the last bookable day.
fn horizon_end(now: Timestamp, zone: &TimeZone, days_ahead: u16) -> Timestamp {
    local_date(now, zone)
        .and_then(|today| today.checked_add(jiff::Span::new().days(i64::from(days_ahead) + 1)).ok())
        .and_then(|day| at(day, jiff::civil::Time::midnight(), zone))
        .unwrap_or(Timestamp::MAX)
}

fn local_date(instant: Timestamp, zone: &TimeZone) -> Option<Date> {
    Some(instant.to_zoned(zone.clone()).date())
}

/// The instant a wall-clock time happens on `day`; a time skipped by a clock change moves
/// forward by the gap, a repeated time takes its first occurrence.
fn at(day: Date, time: jiff::civil::Time, zone: &TimeZone) -> Option<Timestamp> {
    zone.to_ambiguous_timestamp(day.to_datetime(time)).compatible().ok()
}

/// Sorted, disjoint intervals covering the same time as `intervals`.
fn merged(intervals: &[Interval]) -> Vec<Interval> {
    let mut sorted = intervals.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<Interval> = Vec::with_capacity(sorted.len());
    for interval in sorted {
        match out.last_mut() {
            Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
            _ => out.push(interval),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::WorkingInterval;
    use proptest::prelude::*;

    fn minutes(m: u16) -> GridMinutes {
        GridMinutes::parse("m", m).expect("grid minutes")
    }

    fn hours(raw: &[&str]) -> WeeklyHours {
        let intervals: Vec<_> =
            raw.iter().map(|r| WorkingInterval::parse("h", r).expect("interval")).collect();
        WeeklyHours {
            saturday: intervals.clone(),
            sunday: intervals.clone(),
            ..WeeklyHours::weekdays(&intervals)
        }
    }

    fn ts(raw: &str) -> Timestamp {
        raw.parse().expect("timestamp")
    }

    fn sydney() -> TimeZone {
        TimeZone::get("Australia/Sydney").expect("zone")
    }

    fn rules(step: u16, notice: u32, days_ahead: u16) -> SlotRules {
        SlotRules { step: minutes(step), min_notice_minutes: notice, days_ahead }
    }

    /// Starts of the one-hour slots of a Sydney technician working `hours` every day.
    fn sydney_starts(
        hours_: &[&str],
        busy: &[Interval],
        rules: SlotRules,
        now: &str,
        window: (&str, &str),
    ) -> Vec<String> {
        let (hours, zone) = (hours(hours_), sydney());
        let query = AvailabilityQuery {
            hours: &hours,
            zone: &zone,
            busy,
            time_off: &[],
            duration: minutes(60),
            rules: &rules,
            now: ts(now),
            window: Interval { start: ts(window.0), end: ts(window.1) },
        };
        free_slots(&query).iter().map(|s| s.start.to_string()).collect()
    }

    /// Wednesday 25 November 2026 in Sydney (UTC+11 in summer), from midnight to midnight.
    const WEDNESDAY: (&str, &str) = ("2026-11-24T13:00:00Z", "2026-11-25T13:00:00Z");

    #[test]
    fn a_free_day_offers_every_step_that_fits() {
        let starts =
            sydney_starts(&["09:00-12:00"], &[], rules(30, 0, 30), "2026-11-24T00:00:00Z", WEDNESDAY);
        // 09:00 local is 22:00Z; the last hour-long slot starts at 11:00 local.
        let expected = [
            "2026-11-24T22:00:00Z",
            "2026-11-24T22:30:00Z",
            "2026-11-24T23:00:00Z",
            "2026-11-24T23:30:00Z",
            "2026-11-25T00:00:00Z",
        ];
        assert_eq!(starts, expected);
    }

    #[test]
    fn bookings_remove_the_slots_they_touch() {
        let busy = [Interval { start: ts("2026-11-24T23:00:00Z"), end: ts("2026-11-24T23:30:00Z") }];
        let starts =
            sydney_starts(&["09:00-12:00"], &busy, rules(30, 0, 30), "2026-11-24T00:00:00Z", WEDNESDAY);
        assert_eq!(starts, ["2026-11-24T22:00:00Z", "2026-11-24T23:30:00Z", "2026-11-25T00:00:00Z"]);
    }

    #[test]
    fn minimum_notice_and_horizon_bound_the_offer() {
        // now = 10:00 local on the 25th; two hours' notice; one day ahead.
        let window = ("2026-11-20T00:00:00Z", "2026-12-31T00:00:00Z");
        let starts = sydney_starts(&["09:00-17:00"], &[], rules(60, 120, 1), "2026-11-24T23:00:00Z", window);
        assert_eq!(starts.first().map(String::as_str), Some("2026-11-25T01:00:00Z"));
        // The last bookable day is the 26th local; its last slot starts 16:00 local = 05:00Z.
        assert_eq!(starts.last().map(String::as_str), Some("2026-11-26T05:00:00Z"));
    }

    #[test]
    fn a_daylight_saving_morning_keeps_true_lengths() {
        // Sydney springs forward on 2026-10-04 at 02:00 → 03:00. Working 01:00–05:00 that day
        // is three real hours.
        let window = ("2026-10-03T13:00:00Z", "2026-10-04T13:00:00Z");
        let starts = sydney_starts(&["01:00-05:00"], &[], rules(60, 0, 365), "2026-10-01T00:00:00Z", window);
        // 01:00 AEST = 15:00Z; 03:00 AEDT = 16:00Z; 04:00 AEDT = 17:00Z.
        assert_eq!(starts, ["2026-10-03T15:00:00Z", "2026-10-03T16:00:00Z", "2026-10-03T17:00:00Z"]);
    }

    #[test]
    fn grid_cells_cover_an_interval() {
        let cells =
            grid_cells(&Interval { start: ts("2026-11-24T22:00:00Z"), end: ts("2026-11-24T23:00:00Z") });
        assert_eq!(cells.len(), 4);
        assert_eq!(cells[0], ts("2026-11-24T22:00:00Z"));
        assert_eq!(cells[3], ts("2026-11-24T22:45:00Z"));
    }

    fn arb_hours() -> impl Strategy<Value = WeeklyHours> {
        // One or two intervals per day, on the grid.
        proptest::collection::vec((0u16..40, 1u16..30, 0u16..20), 7).prop_map(|days| {
            let make = |(start, len, gap): (u16, u16, u16)| {
                let s = start * 15;
                let e = (s + len * 15).min(23 * 60 + 45);
                let second_start = (e + gap * 15 + 15).min(23 * 60);
                let fmt = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
                let mut out = Vec::new();
                if s < e {
                    out.extend(WorkingInterval::parse("h", &format!("{}-{}", fmt(s), fmt(e))).ok());
                }
                if gap % 2 == 0 && second_start + 60 <= 23 * 60 + 45 && second_start > e {
                    out.extend(
                        WorkingInterval::parse(
                            "h",
                            &format!("{}-{}", fmt(second_start), fmt(second_start + 60)),
                        )
                        .ok(),
                    );
                }
                out
            };
            let mut it = days.into_iter().map(make);
            let mut next = || it.next().unwrap_or_default();
            WeeklyHours {
                monday: next(),
                tuesday: next(),
                wednesday: next(),
                thursday: next(),
                friday: next(),
                saturday: next(),
                sunday: next(),
            }
        })
    }

    fn arb_busy(base: i64) -> impl Strategy<Value = Vec<Interval>> {
        proptest::collection::vec((0i64..14 * 96, 1i64..16), 0..12).prop_map(move |raw| {
            raw.into_iter()
                .filter_map(|(cell, len)| {
                    let start = Timestamp::from_second(base + cell * 900).ok()?;
                    let end = Timestamp::from_second(base + (cell + len) * 900).ok()?;
                    Some(Interval { start, end })
                })
                .collect()
        })
    }

    #[test]
    fn a_day_off_and_a_part_day_off_offer_nothing_then() {
        let (hours, zone) = (hours(&["09:00-12:00"]), sydney());
        let rules = rules(60, 0, 30);
        let wednesday: Date = "2026-11-25".parse().expect("date");
        let thursday_morning =
            TimeOff::parse("time_off", "2026-11-26T09:00", "2026-11-26T11:00").expect("part-day");
        let time_off = [TimeOff::day(wednesday), thursday_morning];
        let query = AvailabilityQuery {
            hours: &hours,
            zone: &zone,
            busy: &[],
            time_off: &time_off,
            duration: minutes(60),
            rules: &rules,
            now: ts("2026-11-24T00:00:00Z"),
            window: Interval { start: ts("2026-11-24T13:00:00Z"), end: ts("2026-11-26T13:00:00Z") },
        };
        let starts: Vec<String> = free_slots(&query)
            .iter()
            .map(|s| s.start.to_zoned(zone.clone()).datetime().to_string())
            .collect();
        assert_eq!(starts, ["2026-11-26T11:00:00"], "only Thursday's last hour is left");
    }

    #[test]
    fn time_off_must_end_after_it_starts_and_within_a_year() {
        assert!(TimeOff::parse("t", "2026-12-24T12:00", "2026-12-24T12:00").is_err());
        assert!(TimeOff::parse("t", "2026-12-24T12:00", "2028-01-01T00:00").is_err());
        assert!(TimeOff::parse("t", "tomorrow", "2026-12-24T12:00").is_err());
        assert!(TimeOff::parse("t", "2026-12-24T12:00", "2026-12-27T09:00").is_ok());
    }

    const ZONES: [&str; 4] = ["Australia/Sydney", "Europe/London", "America/New_York", "Asia/Kathmandu"];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

        #[test]
        fn slots_respect_hours_bookings_notice_and_grid(
            hours in arb_hours(),
            busy in arb_busy(1_790_000_000),
            zone in 0usize..4,
            duration in 1u16..9,
            step in 1u16..5,
            notice in 0u32..600,
            now_offset in 0i64..3 * 86_400,
        ) {
            let zone = TimeZone::get(ZONES[zone]).expect("zone");
            let rules = SlotRules { step: minutes(step * 15), min_notice_minutes: notice, days_ahead: 10 };
            let now = Timestamp::from_second(1_790_000_000 + now_offset).expect("now");
            let window = Interval { start: now, end: Timestamp::from_second(1_790_000_000 + 14 * 86_400).expect("end") };
            let duration = minutes(duration * 15);
            let query = AvailabilityQuery { hours: &hours, zone: &zone, busy: &busy, time_off: &[], duration, rules: &rules, now, window };
            let slots = free_slots(&query);
            for slot in &slots {
                prop_assert_eq!(slot.end.duration_since(slot.start), duration.span());
                prop_assert!(slot.start >= now + SignedDuration::from_mins(i64::from(notice)));
                prop_assert_eq!(slot.start.as_second() % 900, 0, "on the grid");
                prop_assert!(busy.iter().all(|b| !b.overlaps(slot)), "overlaps a booking");
                let local = slot.start.to_zoned(zone.clone());
                let inside = hours.on(local.date().weekday()).iter().any(|i| {
                    let open = at(local.date(), i.start(), &zone);
                    let close = at(local.date(), i.end(), &zone);
                    matches!((open, close), (Some(o), Some(c)) if o <= slot.start && slot.end <= c)
                });
                prop_assert!(inside, "slot {:?} outside working hours", slot);
            }
            prop_assert!(slots.windows(2).all(|w| w[0].start < w[1].start), "sorted, no repeats");
        }

        #[test]
        fn no_slot_touches_time_off_in_any_zone(
            hours in arb_hours(),
            zone in 0usize..4,
            offs in proptest::collection::vec((0i64..14 * 96, 1i64..200), 0..6),
        ) {
            let zone = TimeZone::get(ZONES[zone]).expect("zone");
            let rules = SlotRules { step: minutes(15), min_notice_minutes: 0, days_ahead: 20 };
            let now = Timestamp::from_second(1_790_000_000).expect("now");
            let base = now.to_zoned(zone.clone()).datetime();
            let time_off: Vec<TimeOff> = offs
                .iter()
                .filter_map(|(start, len)| {
                    let from = base.checked_add(jiff::Span::new().minutes(start * 15)).ok()?;
                    let to = from.checked_add(jiff::Span::new().minutes(len * 15)).ok()?;
                    Some(TimeOff { from, to })
                })
                .collect();
            let window = Interval { start: now, end: Timestamp::from_second(1_790_000_000 + 14 * 86_400).expect("end") };
            let query = AvailabilityQuery { hours: &hours, zone: &zone, busy: &[], time_off: &time_off, duration: minutes(60), rules: &rules, now, window };
            for slot in free_slots(&query) {
                for off in &time_off {
                    let off = off.interval(&zone).expect("on the timeline");
                    prop_assert!(!off.overlaps(&slot), "slot {:?} in time off {:?}", slot, off);
                }
            }
        }

        #[test]
        fn another_booking_never_adds_a_slot(
            hours in arb_hours(),
            busy in arb_busy(1_790_000_000),
            extra in arb_busy(1_790_000_000),
        ) {
            let zone = TimeZone::get("Australia/Sydney").expect("zone");
            let rules = SlotRules { step: minutes(30), min_notice_minutes: 0, days_ahead: 20 };
            let now = Timestamp::from_second(1_790_000_000).expect("now");
            let window = Interval { start: now, end: Timestamp::from_second(1_790_000_000 + 14 * 86_400).expect("end") };
            let query = AvailabilityQuery { hours: &hours, zone: &zone, busy: &busy, time_off: &[], duration: minutes(60), rules: &rules, now, window };
            let before = free_slots(&query);
            let more: Vec<Interval> = busy.iter().chain(&extra).copied().collect();
            let after = free_slots(&AvailabilityQuery { busy: &more, ..query });
            prop_assert!(after.iter().all(|s| before.contains(s)));
            for slot in before.iter().filter(|s| !after.contains(s)) {
                prop_assert!(extra.iter().any(|b| b.overlaps(slot)), "a slot vanished without cause");
            }
        }

        #[test]
        fn grid_cells_of_two_slots_meet_exactly_when_they_overlap(a in 0i64..200, la in 1i64..12, b in 0i64..200, lb in 1i64..12) {
            // Bookings start and end on the grid; 1_789_999_200 is a multiple of 900 s.
            let mk = |s: i64, l: i64| Interval {
                start: Timestamp::from_second(1_789_999_200 + s * 900).expect("s"),
                end: Timestamp::from_second(1_789_999_200 + (s + l) * 900).expect("e"),
            };
            let (x, y) = (mk(a, la), mk(b, lb));
            let cx = grid_cells(&x);
            let shared = grid_cells(&y).iter().any(|c| cx.contains(c));
            prop_assert_eq!(shared, x.overlaps(&y));
        }
    }
}
