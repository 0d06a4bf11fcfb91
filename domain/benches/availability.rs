//! The availability engine on realistic schedules: a day of two shifts, three bookings a day,
//! a day off a fortnight, one service length, the demo site's rules.
//!
//! `cargo xtask bench` runs it. Budget: 50 technicians × 14 days ≤ 2 ms.

// criterion_group! defines `pub fn benches` without a doc comment.
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::availability::{AvailabilityQuery, Interval, SlotRules, TimeOff, free_slots};
use jobslot_domain::schedule::{GridMinutes, WeeklyHours};
use std::hint::black_box;

struct Technician {
    hours: WeeklyHours,
    busy: Vec<Interval>,
    time_off: Vec<TimeOff>,
}

fn technicians(count: usize, days: i64, now: Timestamp, zone: &TimeZone) -> Vec<Technician> {
    let hours: WeeklyHours = serde_json::from_value(serde_json::json!({
        "monday": ["08:00-12:00", "13:00-17:00"], "tuesday": ["08:00-12:00", "13:00-17:00"],
        "wednesday": ["08:00-12:00", "13:00-17:00"], "thursday": ["08:00-12:00", "13:00-17:00"],
        "friday": ["08:00-12:00", "13:00-17:00"], "saturday": ["08:00-12:00"]
    }))
    .expect("hours");
    let first_day = now.to_zoned(zone.clone()).date();
    (0..count)
        .map(|t| {
            let mut busy = Vec::new();
            let mut time_off = Vec::new();
            for day in 0..days {
                let date = first_day.checked_add(jiff::Span::new().days(day)).expect("date");
                if (day + t as i64) % 14 == 0 {
                    time_off.push(TimeOff::day(date));
                }
                // Three bookings a day at staggered hours, so technicians differ.
                for (n, hour) in [8, 10, 14].iter().enumerate() {
                    let start = date
                        .at(*hour as i8 + ((t + n) % 2) as i8, 0, 0, 0)
                        .to_zoned(zone.clone())
                        .expect("zoned")
                        .timestamp();
                    busy.push(Interval { start, end: start + SignedDuration::from_mins(90) });
                }
            }
            Technician { hours: hours.clone(), busy, time_off }
        })
        .collect()
}

fn search(
    technicians: &[Technician],
    zone: &TimeZone,
    rules: &SlotRules,
    now: Timestamp,
    days: i64,
) -> usize {
    let window = Interval { start: now, end: now + SignedDuration::from_hours(24 * days) };
    let duration = GridMinutes::parse("duration", 60).expect("duration");
    technicians
        .iter()
        .map(|t| {
            free_slots(&AvailabilityQuery {
                hours: &t.hours,
                zone,
                busy: &t.busy,
                time_off: &t.time_off,
                duration,
                rules,
                now,
                window,
            })
            .len()
        })
        .sum()
}

fn availability(c: &mut Criterion) {
    let zone = TimeZone::get("Australia/Sydney").expect("zone");
    let now: Timestamp = "2026-11-23T20:00:00Z".parse().expect("now");
    let mut group = c.benchmark_group("availability");
    for (count, days) in [(50usize, 14i64), (500, 60)] {
        let rules: SlotRules = serde_json::from_value(
            serde_json::json!({"step": 30, "min_notice_minutes": 120, "days_ahead": days}),
        )
        .expect("rules");
        let techs = technicians(count, days, now, &zone);
        assert!(search(&techs, &zone, &rules, now, days) > 0, "the schedules leave free slots");
        group.bench_function(BenchmarkId::new("technicians x days", format!("{count} x {days}")), |b| {
            b.iter(|| search(black_box(&techs), &zone, &rules, now, days))
        });
    }
    group.finish();
}

criterion_group!(benches, availability);
criterion_main!(benches);
