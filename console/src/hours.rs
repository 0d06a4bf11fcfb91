//! Weekly hours and time off as people enter them: a row of time pickers per working interval,
//! per weekday, and days off with date pickers (or date-time pickers for part of a day).
//!
//! The editors hold what is typed; [`Week::input`] and [`DaysOff::input`] turn it into the
//! API's `HoursInput` and `TimeOffInput`, leaving out rows nobody filled in. The server names a
//! fault by the position of what was sent (`hours.monday[1]`, `time_off[0]`), so each row finds
//! its message by its position among the rows that were sent.

use crate::form::{Errors, control_id};
use jobslot_domain::setup::{HoursInput, TimeOffInput};
use leptos::prelude::*;

/// The weekdays, as the API names them and as people read them.
pub const WEEKDAYS: [(&str, &str); 7] = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

fn day_mut(hours: &mut HoursInput, day: usize) -> &mut Vec<String> {
    match day {
        0 => &mut hours.monday,
        1 => &mut hours.tuesday,
        2 => &mut hours.wednesday,
        3 => &mut hours.thursday,
        4 => &mut hours.friday,
        5 => &mut hours.saturday,
        _ => &mut hours.sunday,
    }
}

/// One working interval being edited: `from` and `to` as a time picker gives them (`08:00`).
#[derive(Clone, Copy)]
pub struct Interval {
    key: usize,
    /// Start, `HH:MM`.
    pub from: RwSignal<String>,
    /// End, `HH:MM`.
    pub to: RwSignal<String>,
}

impl Interval {
    fn blank(&self) -> bool {
        self.from.with_untracked(|f| f.trim().is_empty()) && self.to.with_untracked(|t| t.trim().is_empty())
    }

    /// As [`Interval::blank`], tracked: a row's position among the sent rows changes as rows
    /// before it are filled in or emptied.
    fn blank_tracked(&self) -> bool {
        self.from.with(|f| f.trim().is_empty()) && self.to.with(|t| t.trim().is_empty())
    }
}

/// A week of working intervals being edited.
#[derive(Clone, Copy)]
pub struct Week {
    days: [RwSignal<Vec<Interval>>; 7],
    next: StoredValue<usize>,
}

impl Default for Week {
    fn default() -> Self {
        Self::new()
    }
}

impl Week {
    /// A week with no hours.
    pub fn new() -> Self {
        Self { days: std::array::from_fn(|_| RwSignal::new(Vec::new())), next: StoredValue::new(0) }
    }

    fn interval(&self, from: String, to: String) -> Interval {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        Interval { key, from: RwSignal::new(from), to: RwSignal::new(to) }
    }

    /// Shows `hours` (`HH:MM-HH:MM` each), replacing what was there.
    pub fn fill(&self, hours: &HoursInput) {
        let mut hours = hours.clone();
        for (day, signal) in self.days.iter().enumerate() {
            let rows = day_mut(&mut hours, day)
                .iter()
                .map(|typed| match typed.split_once('-') {
                    Some((from, to)) => self.interval(from.trim().to_owned(), to.trim().to_owned()),
                    None => self.interval(typed.clone(), String::new()),
                })
                .collect();
            signal.set(rows);
        }
    }

    /// The intervals of `day` (0 is Monday).
    pub fn day(&self, day: usize) -> Vec<Interval> {
        self.days[day].get()
    }

    /// Adds an empty interval to `day`.
    pub fn add(&self, day: usize) {
        let row = self.interval(String::new(), String::new());
        self.days[day].update(|rows| rows.push(row));
    }

    /// Removes the interval `key` from `day`.
    pub fn remove(&self, day: usize, key: usize) {
        self.days[day].update(|rows| rows.retain(|r| r.key != key));
    }

    /// Gives Tuesday to Friday the intervals of Monday.
    pub fn copy_monday_to_weekdays(&self) {
        let monday: Vec<(String, String)> = self.days[0]
            .get_untracked()
            .iter()
            .map(|r| (r.from.get_untracked(), r.to.get_untracked()))
            .collect();
        for day in 1..5 {
            let rows = monday.iter().map(|(from, to)| self.interval(from.clone(), to.clone())).collect();
            self.days[day].set(rows);
        }
    }

    /// What to send: each filled-in interval as `HH:MM-HH:MM`, in the order shown.
    pub fn input(&self) -> HoursInput {
        let mut hours = HoursInput::default();
        for (day, signal) in self.days.iter().enumerate() {
            *day_mut(&mut hours, day) = signal.with_untracked(|rows| {
                rows.iter()
                    .filter(|r| !r.blank())
                    .map(|r| format!("{}-{}", r.from.get_untracked().trim(), r.to.get_untracked().trim()))
                    .collect()
            });
        }
        hours
    }

    /// The position among the sent rows of `day`'s row `key`, where the server's message for
    /// it is filed; none for a blank row, which is not sent.
    fn sent_index(&self, day: usize, key: usize) -> Option<usize> {
        self.days[day].with(|rows| sent_index(rows, key, |r| r.key, Interval::blank_tracked))
    }
}

/// One day or span off being edited: dates for whole days (the last day optional), or date
/// and time to the minute for part of a day.
#[derive(Clone, Copy)]
pub struct DayOff {
    key: usize,
    /// Whole days, or part of a day.
    pub whole_days: RwSignal<bool>,
    /// First day (`YYYY-MM-DD`), or first moment off (`YYYY-MM-DDTHH:MM`).
    pub from: RwSignal<String>,
    /// Last day, or the moment work resumes; empty for a single day.
    pub to: RwSignal<String>,
}

impl DayOff {
    fn blank(&self) -> bool {
        self.from.with_untracked(|f| f.trim().is_empty())
    }

    fn blank_tracked(&self) -> bool {
        self.from.with(|f| f.trim().is_empty())
    }

    /// Switches between whole days and part of a day, keeping the dates typed.
    pub fn set_whole_days(&self, whole: bool) {
        if whole == self.whole_days.get_untracked() {
            return;
        }
        let date = |value: String| value.get(..10).map(str::to_owned).unwrap_or(value);
        let (from, to) = (self.from.get_untracked(), self.to.get_untracked());
        if whole {
            let (first, last) = (date(from), date(to));
            self.to.set(if last > first { last } else { String::new() });
            self.from.set(first);
        } else if !from.is_empty() {
            let last = if to.is_empty() { from.clone() } else { to };
            self.from.set(format!("{from}T09:00"));
            self.to.set(format!("{last}T17:00"));
        }
        self.whole_days.set(whole);
    }
}

/// The time off being edited.
#[derive(Clone, Copy)]
pub struct DaysOff {
    rows: RwSignal<Vec<DayOff>>,
    next: StoredValue<usize>,
}

impl Default for DaysOff {
    fn default() -> Self {
        Self::new()
    }
}

impl DaysOff {
    /// No time off.
    pub fn new() -> Self {
        Self { rows: RwSignal::new(Vec::new()), next: StoredValue::new(0) }
    }

    fn row(&self, whole_days: bool, from: String, to: String) -> DayOff {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        DayOff {
            key,
            whole_days: RwSignal::new(whole_days),
            from: RwSignal::new(from),
            to: RwSignal::new(to),
        }
    }

    /// Shows `time_off` as the API gives it (dates alone for whole days).
    pub fn fill(&self, time_off: &[TimeOffInput]) {
        let rows =
            time_off.iter().map(|t| self.row(t.from.len() == 10, t.from.clone(), t.to.clone())).collect();
        self.rows.set(rows);
    }

    /// The rows, in the order shown.
    pub fn rows(&self) -> Vec<DayOff> {
        self.rows.get()
    }

    /// Adds an empty whole-day row.
    pub fn add(&self) {
        let row = self.row(true, String::new(), String::new());
        self.rows.update(|rows| rows.push(row));
    }

    /// Removes row `key`.
    pub fn remove(&self, key: usize) {
        self.rows.update(|rows| rows.retain(|r| r.key != key));
    }

    /// What to send: each row with a first day.
    pub fn input(&self) -> Vec<TimeOffInput> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| !r.blank())
                .map(|r| TimeOffInput { from: r.from.get_untracked(), to: r.to.get_untracked() })
                .collect()
        })
    }

    fn sent_index(&self, key: usize) -> Option<usize> {
        self.rows.with(|rows| sent_index(rows, key, |r| r.key, DayOff::blank_tracked))
    }
}

fn sent_index<T>(rows: &[T], key: usize, key_of: fn(&T) -> usize, blank: fn(&T) -> bool) -> Option<usize> {
    let at = rows.iter().position(|r| key_of(r) == key)?;
    (!blank(&rows[at])).then(|| rows[..at].iter().filter(|r| !blank(r)).count())
}

/// A message under a control, linked to it by `aria-describedby`.
fn message(id: String, text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    view! { <p class="error" id=id>{text}</p> }
}

/// The weekly hours: per day, its intervals as pairs of time pickers.
#[component]
pub fn WeekEditor(
    /// The hours being edited.
    week: Week,
    /// The last save's errors, shown beside their rows.
    errors: Errors,
) -> impl IntoView {
    let days = WEEKDAYS.iter().enumerate().map(move |(day, (key, label))| {
        let field = format!("hours.{key}");
        let day_error_id = format!("{}-error", control_id(&field));
        let day_field = field.clone();
        let rows = move || {
            let field = field.clone();
            week.day(day)
                .into_iter()
                .enumerate()
                .map(|(n, row)| {
                    let field = field.clone();
                    let message_of = move || {
                        errors.of_row(week.sent_index(day, row.key).map(|at| format!("{field}[{at}]")))
                    };
                    let id = format!("hours-{key}-{}", row.key);
                    let error_id = format!("{id}-error");
                    let invalid = {
                        let message_of = message_of.clone();
                        move || message_of().map(|_| "true")
                    };
                    let which = if n == 0 { String::new() } else { format!(" ({})", n + 1) };
                    view! {
                        <div class="interval">
                            <input type="time" id=format!("{id}-from") aria-label=format!("{label} from{which}")
                                aria-invalid=invalid.clone() aria-describedby=error_id.clone()
                                prop:value=move || row.from.get() on:input=move |ev| row.from.set(event_target_value(&ev)) />
                            <span aria-hidden="true">" to "</span>
                            <input type="time" id=format!("{id}-to") aria-label=format!("{label} to{which}")
                                aria-invalid=invalid aria-describedby=error_id.clone()
                                prop:value=move || row.to.get() on:input=move |ev| row.to.set(event_target_value(&ev)) />
                            <button type="button" aria-label=format!("Remove {label} hours{which}")
                                on:click=move |_| week.remove(day, row.key)>"Remove"</button>
                            {message(error_id, move || message_of().unwrap_or_default())}
                        </div>
                    }
                })
                .collect_view()
        };
        view! {
            <fieldset class="day">
                <legend>{*label}</legend>
                {rows}
                {move || week.day(day).is_empty().then(|| view! { <p class="hint">"Day off"</p> })}
                <button type="button" on:click=move |_| week.add(day) aria-label=format!("Add hours on {label}")>"Add hours"</button>
                {(day == 0).then(|| view! {
                    <button type="button" on:click=move |_| week.copy_monday_to_weekdays()>"Copy Monday to Tuesday–Friday"</button>
                })}
                {message(day_error_id, move || errors.of(&day_field).unwrap_or_default())}
            </fieldset>
        }
    });
    view! {
        <fieldset>
            <legend>"Weekly hours"</legend>
            <p class="hint">"Add the hours of each working day; a day with none is a day off."</p>
            {days.collect_view()}
        </fieldset>
    }
}

/// Days off, and part-days off.
#[component]
pub fn TimeOffEditor(
    /// The time off being edited.
    days_off: DaysOff,
    /// The last save's errors, shown beside their rows.
    errors: Errors,
) -> impl IntoView {
    let rows = move || {
        days_off
            .rows()
            .into_iter()
            .map(|row| {
                let message_of =
                    move || errors.of_row(days_off.sent_index(row.key).map(|at| format!("time_off[{at}]")));
                let id = format!("time-off-{}", row.key);
                let error_id = format!("{id}-error");
                let kind = move || if row.whole_days.get() { "date" } else { "datetime-local" };
                let invalid = move || message_of().map(|_| "true");
                let (from_label, to_label) = (
                    move || if row.whole_days.get() { "First day off" } else { "Off from" },
                    move || if row.whole_days.get() { "Last day off (if more than one)" } else { "Back at work" },
                );
                view! {
                    <div class="time-off-row">
                        <div class="check">
                            <input type="checkbox" id=format!("{id}-whole") prop:checked=move || row.whole_days.get()
                                on:change=move |ev| row.set_whole_days(event_target_checked(&ev)) />
                            <label for=format!("{id}-whole")>"Whole days"</label>
                        </div>
                        <label for=format!("{id}-from")>{from_label}</label>
                        <input id=format!("{id}-from") type=kind aria-invalid=invalid aria-describedby=error_id.clone()
                            prop:value=move || row.from.get() on:input=move |ev| row.from.set(event_target_value(&ev)) />
                        <label for=format!("{id}-to")>{to_label}</label>
                        <input id=format!("{id}-to") type=kind aria-invalid=invalid aria-describedby=error_id.clone()
                            prop:value=move || row.to.get() on:input=move |ev| row.to.set(event_target_value(&ev)) />
                        <button type="button" on:click=move |_| days_off.remove(row.key)>"Remove"</button>
                        {message(error_id, move || message_of().unwrap_or_default())}
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset>
            <legend>"Time off"</legend>
            <p class="hint">"Holidays and other days off; untick \"Whole days\" for part of a day."</p>
            {rows}
            <button type="button" on:click=move |_| days_off.add()>"Add time off"</button>
        </fieldset>
    }
}
