//! The staff API's requests and responses for setting up a business: settings, services,
//! technicians, members. Raw input as typed in the console; `parse` turns it into domain
//! types and names every field at fault (`areas[2]`, `hours.monday[0]`, …), so the console can
//! show each message beside its field and the server refuses exactly the same things.

use crate::area::ServiceArea;
use crate::availability::{SlotRules, TimeOff};
use crate::contact::{Email, Phone};
use crate::form::OrderForm;
use crate::ids::{ServiceId, SiteId, TechnicianId, UserId};
use crate::money::{Currency, Money};
use crate::postcode::Country;
use crate::schedule::{GridMinutes, WeeklyHours, WorkingInterval};
use crate::site::{Service, Site, Technician};
use crate::staff::Role;
use crate::text::{Lines, Text};
use crate::work_order::OrderType;
use crate::{FieldError, FieldErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Longest business name.
pub const BUSINESS_NAME_MAX: usize = 100;
/// Longest terms text.
pub const TERMS_MAX: usize = 5_000;
/// Most days ahead a site may offer.
pub const DAYS_AHEAD_MAX: u16 = 365;
/// Most minutes of notice a site may require (two weeks).
pub const NOTICE_MAX_MINUTES: u32 = 14 * 24 * 60;
/// Most service areas one technician may list.
pub const AREAS_MAX: usize = 5_000;

/// `GET /api/me`: who the caller is and where they work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The caller's user id.
    pub user: UserId,
    /// Whether they may create sites.
    pub operator: bool,
    /// Their sites and roles.
    pub sites: Vec<MySite>,
}

/// One of the caller's sites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySite {
    /// The site.
    pub site: SiteId,
    /// Their role there.
    pub role: Role,
}

/// Minutes between offered start times on a new site, and when a settings body omits them.
pub const DEFAULT_STEP_MINUTES: u16 = 30;
/// Minutes of notice on a new site, and when a settings body omits them.
pub const DEFAULT_NOTICE_MINUTES: u32 = 120;
/// Days ahead on a new site, and when a settings body omits them.
pub const DEFAULT_DAYS_AHEAD: u16 = 30;

/// `PUT /api/sites/{site}/settings`: the business and its booking rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SettingsInput {
    /// Shown in the widget.
    pub business_name: String,
    /// `AU`, `GB` or `US`: the postcode format.
    pub country: String,
    /// IANA zone, e.g. `Australia/Sydney`.
    pub time_zone: String,
    /// `AUD`, `GBP` or `USD`.
    pub currency: String,
    /// Terms customers accept.
    pub terms: String,
    /// Minutes between offered start times.
    #[serde(deserialize_with = "crate::number::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 720, multiple_of = 15))]
    pub step_minutes: u16,
    /// Minutes of notice before a slot stops being offered.
    #[serde(deserialize_with = "crate::number::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 20160))]
    pub min_notice_minutes: u32,
    /// Days ahead customers may book.
    #[serde(deserialize_with = "crate::number::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 365))]
    pub days_ahead: u16,
    /// Origins of the pages embedding the widget.
    pub allowed_origins: Vec<String>,
    /// The widget's accent colour, `#rrggbb`.
    pub accent_colour: String,
    /// The widget's font: a CSS font-family list such as `Georgia, serif`; empty for the
    /// visitor's system font.
    pub font_family: String,
    /// The widget's corner radius, 0 to 24 pixels; none for the default (10).
    #[serde(deserialize_with = "crate::number::whole_option")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 24))]
    pub corner_radius: Option<u16>,
    /// Where customers write to the business (shown in their e-mails, and their reply-to).
    pub contact_email: String,
    /// The business's phone number for customers.
    pub contact_phone: String,
    /// Where notices of new bookings go.
    pub notification_email: String,
    /// Hours before an appointment until which customers move or cancel it online.
    #[serde(deserialize_with = "crate::number::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 720))]
    pub change_notice_hours: u16,
}

/// What an omitted field means: the OpenAPI document states these as the fields' defaults, so
/// each must be a value the field accepts (a new site's rules, empty texts).
impl Default for SettingsInput {
    fn default() -> Self {
        Self {
            business_name: String::new(),
            country: String::new(),
            time_zone: String::new(),
            currency: String::new(),
            terms: String::new(),
            step_minutes: DEFAULT_STEP_MINUTES,
            min_notice_minutes: DEFAULT_NOTICE_MINUTES,
            days_ahead: DEFAULT_DAYS_AHEAD,
            allowed_origins: Vec::new(),
            accent_colour: String::new(),
            font_family: String::new(),
            corner_radius: None,
            contact_email: String::new(),
            contact_phone: String::new(),
            notification_email: String::new(),
            change_notice_hours: crate::manage::CHANGE_NOTICE_HOURS,
        }
    }
}

impl SettingsInput {
    /// The settings of `site`, as the console edits them.
    pub fn of(site: &Site) -> Self {
        Self {
            business_name: site.business_name.clone(),
            country: country_code(site.country).to_owned(),
            time_zone: site.time_zone.clone(),
            currency: site.currency.code().to_owned(),
            terms: site.terms.clone(),
            step_minutes: site.rules.step.minutes(),
            min_notice_minutes: site.rules.min_notice_minutes,
            days_ahead: site.rules.days_ahead,
            allowed_origins: site.allowed_origins.clone(),
            accent_colour: site.accent_colour.clone().unwrap_or_default(),
            font_family: site.font_family.clone().unwrap_or_default(),
            corner_radius: site.corner_radius,
            contact_email: site.contact_email.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default(),
            contact_phone: site.contact_phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
            notification_email: site
                .notification_email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            change_notice_hours: site.change_notice_hours,
        }
    }

    /// Applies the settings to `site`. `known_zone` says whether an IANA name exists (the
    /// server checks against its zone database; the browser has none).
    pub fn apply(&self, site: &Site, known_zone: impl Fn(&str) -> bool) -> Result<Site, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let name = errors.take(Text::parse("business_name", &self.business_name, BUSINESS_NAME_MAX));
        let country = errors.take(parse_country("country", &self.country));
        let zone = self.time_zone.trim();
        if !known_zone(zone) {
            errors.push(FieldError::new("time_zone", "Choose a time zone such as Australia/Sydney."));
        }
        let currency = errors.take(parse_currency("currency", &self.currency));
        let terms = errors.take(Text::parse_optional("terms", Some(&self.terms), TERMS_MAX, Lines::Multi));
        let step = errors.take(GridMinutes::parse("step_minutes", self.step_minutes));
        if self.min_notice_minutes > NOTICE_MAX_MINUTES {
            errors.push(FieldError::new("min_notice_minutes", "Ask for at most two weeks' notice."));
        }
        if !(1..=DAYS_AHEAD_MAX).contains(&self.days_ahead) {
            errors.push(FieldError::new("days_ahead", format!("Offer 1 to {DAYS_AHEAD_MAX} days ahead.")));
        }
        let mut origins = Vec::new();
        for (i, raw) in self.allowed_origins.iter().enumerate() {
            if let Some(origin) = errors.take(parse_origin(&format!("allowed_origins[{i}]"), raw)) {
                origins.push(origin);
            }
        }
        let accent = match self.accent_colour.trim() {
            "" => Some(None),
            raw => errors.take(parse_colour("accent_colour", raw).map(Some)),
        };
        let font = match self.font_family.trim() {
            "" => Some(None),
            raw => errors.take(parse_font("font_family", raw).map(Some)),
        };
        if self.corner_radius.is_some_and(|r| r > CORNER_RADIUS_MAX) {
            errors.push(FieldError::new("corner_radius", format!("Use 0 to {CORNER_RADIUS_MAX} pixels.")));
        }
        let optional_email = |field: &str, raw: &str| match raw.trim() {
            "" => Ok(None),
            raw => Email::parse(field, raw).map(Some),
        };
        let contact_email = errors.take(optional_email("contact_email", &self.contact_email));
        let notification_email = errors.take(optional_email("notification_email", &self.notification_email));
        if self.change_notice_hours > CHANGE_NOTICE_MAX_HOURS {
            errors.push(FieldError::new("change_notice_hours", "Ask for at most 30 days' notice."));
        }
        let contact_phone = match self.contact_phone.trim() {
            "" => Some(None),
            raw => errors.take(Phone::parse("contact_phone", raw).map(Some)),
        };
        errors.finish(|| {
            Some(Site {
                business_name: name?.to_string(),
                country: country?,
                time_zone: zone.to_owned(),
                currency: currency?,
                terms: terms?.map(|t| t.to_string()).unwrap_or_default(),
                rules: SlotRules {
                    step: step?,
                    min_notice_minutes: self.min_notice_minutes,
                    days_ahead: self.days_ahead,
                },
                allowed_origins: origins,
                accent_colour: accent?,
                font_family: font?,
                corner_radius: self.corner_radius,
                contact_email: contact_email?,
                contact_phone: contact_phone?,
                notification_email: notification_email?,
                change_notice_hours: self.change_notice_hours,
                ..site.clone()
            })
        })
    }
}

/// One service as the console edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ServiceInput {
    /// Stable id (a slug).
    pub id: String,
    /// What customers see.
    pub name: String,
    /// Minutes on site.
    #[serde(deserialize_with = "crate::number::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 720, multiple_of = 15))]
    pub duration_minutes: u16,
    /// Price in the site currency's minor unit (cents).
    #[serde(deserialize_with = "crate::number::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100000000))]
    pub price_minor: i64,
    /// `install`, `maintenance`, `repair`, …
    pub order_type: String,
    /// Offered to customers.
    pub active: bool,
}

/// What an omitted field means, and a new row in the console: an hour's active maintenance
/// job. The OpenAPI document states these as the fields' defaults, so each must be valid.
impl Default for ServiceInput {
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            duration_minutes: 60,
            price_minor: 0,
            order_type: "maintenance".into(),
            active: true,
        }
    }
}

impl ServiceInput {
    /// A service as the console shows it.
    pub fn of(service: &Service) -> Self {
        Self {
            id: service.id.to_string(),
            name: service.name.clone(),
            duration_minutes: service.duration.minutes(),
            price_minor: service.price.minor,
            order_type: serde_json::to_value(service.order_type)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            active: service.active,
        }
    }
}

/// `PUT /api/sites/{site}/services`: the whole list, in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ServicesInput {
    /// The services.
    pub services: Vec<ServiceInput>,
}

impl ServicesInput {
    /// Parses every service for a site pricing in `currency`, naming `services[i].field`.
    pub fn parse(&self, currency: Currency) -> Result<Vec<Service>, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let mut services = Vec::new();
        for (i, input) in self.services.iter().enumerate() {
            let at = |field: &str| format!("services[{i}].{field}");
            let id = errors.take(ServiceId::parse(&at("id"), input.id.trim()));
            if id.as_ref().is_some_and(|id| services.iter().any(|s: &Service| &s.id == id)) {
                errors.push(FieldError::new(at("id"), "Another service has this id."));
            }
            let name = errors.take(Text::parse(&at("name"), &input.name, 80));
            let duration = errors.take(GridMinutes::parse(&at("duration_minutes"), input.duration_minutes));
            if !(0..=100_000_000).contains(&input.price_minor) {
                errors.push(FieldError::new(at("price_minor"), "Enter a price from 0 up to 1,000,000."));
            }
            let order_type = errors.take(
                serde_json::from_value::<OrderType>(serde_json::Value::String(
                    input.order_type.trim().to_owned(),
                ))
                .map_err(|_| FieldError::new(at("order_type"), "Choose an order type.")),
            );
            if let (Some(id), Some(name), Some(duration), Some(order_type)) = (id, name, duration, order_type)
            {
                services.push(Service {
                    id,
                    name: name.to_string(),
                    duration,
                    price: Money { minor: input.price_minor, currency },
                    order_type,
                    active: input.active,
                });
            }
        }
        errors.finish(|| Some(services))
    }
}

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
    /// Monday.
    pub monday: Vec<String>,
    /// Tuesday.
    pub tuesday: Vec<String>,
    /// Wednesday.
    pub wednesday: Vec<String>,
    /// Thursday.
    pub thursday: Vec<String>,
    /// Friday.
    pub friday: Vec<String>,
    /// Saturday.
    pub saturday: Vec<String>,
    /// Sunday.
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
            time_off: tech
                .time_off
                .iter()
                .map(|t| TimeOffInput { from: t.from.to_string(), to: t.to.to_string() })
                .collect(),
            time_zone: tech.time_zone.clone(),
            active: tech.active,
        }
    }

    /// Parses the technician `id` of `site`, naming every field at fault.
    pub fn parse(
        &self,
        site: &Site,
        id: &TechnicianId,
        known_zone: impl Fn(&str) -> bool,
    ) -> Result<Technician, Vec<FieldError>> {
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
            "" => site.time_zone.clone(),
            raw => raw.to_owned(),
        };
        if !known_zone(&zone) {
            errors.push(FieldError::new("time_zone", "Choose a time zone such as Australia/Sydney."));
        }
        errors.finish(|| {
            Some(Technician {
                site: site.id.clone(),
                id: id.clone(),
                name: name?.to_string(),
                areas,
                services,
                hours,
                time_off,
                time_zone: zone,
                active: self.active,
            })
        })
    }
}

/// `PUT /api/sites/{site}/order-form`: the business's questions, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrderFormInput {
    /// The form.
    pub form: OrderForm,
}

/// `POST /api/sites/{site}/integrations`: a machine client for an integrator's system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct IntegrationInput {
    /// What to call it (the integrator's system).
    pub name: String,
}

/// A new machine client: its credentials, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationCreated {
    /// The client id (also its member id on the site, with the integrator role).
    pub client_id: UserId,
    /// Its secret: returned this once, stored only as a hash.
    pub client_secret: String,
    /// Where it gets access tokens with the client-credentials grant.
    pub token_endpoint: String,
}

/// `PUT /api/sites/{site}/members`: give someone a role on the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MemberInput {
    /// Their sign-in e-mail (self-hosted: someone without an account is invited to make one).
    pub email: String,
    /// Their user id at the identity provider (Cognito's `sub`), when known.
    pub user: Option<String>,
    /// `owner`, `dispatcher` or `technician`.
    pub role: String,
    /// For a technician: the technician record that is them.
    pub technician: Option<String>,
}

/// A parsed member request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRequest {
    /// E-mail address.
    pub email: Email,
    /// User id, when given.
    pub user: Option<UserId>,
    /// Role.
    pub role: Role,
    /// Technician record, for technicians.
    pub technician: Option<TechnicianId>,
}

impl MemberInput {
    /// Parses the request, naming each field at fault.
    pub fn parse(&self) -> Result<MemberRequest, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let email = errors.take(Email::parse("email", &self.email));
        let user = match self.user.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => Some(None),
            Some(raw) => errors.take(UserId::parse("user", raw).map(Some)),
        };
        let role = errors.take(
            serde_json::from_value::<Role>(serde_json::Value::String(self.role.trim().to_owned()))
                .map_err(|_| FieldError::new("role", "Choose owner, dispatcher, technician or integrator.")),
        );
        let technician = match (self.technician.as_deref().map(str::trim).filter(|t| !t.is_empty()), role) {
            (Some(raw), Some(Role::Technician)) => {
                errors.take(TechnicianId::parse("technician", raw).map(Some))
            }
            (None, Some(Role::Technician)) => {
                errors.push(FieldError::new("technician", "Choose which technician this person is."));
                None
            }
            (_, _) => Some(None),
        };
        errors.finish(|| {
            Some(MemberRequest { email: email?, user: user?, role: role?, technician: technician? })
        })
    }
}

/// `POST /api/sites`: a platform operator opens a site for a business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewSiteInput {
    /// The site id used in the embed snippet (a slug).
    pub id: String,
    /// The business and its rules.
    #[serde(flatten)]
    pub settings: SettingsInput,
    /// The owner's sign-in e-mail.
    pub owner_email: String,
    /// The owner's user id at the identity provider (Cognito's `sub`); self-hosted, an
    /// account is found or created by e-mail instead.
    pub owner_user: Option<String>,
}

/// `POST /api/sites` answered: the site, and the owner's first password when an account was
/// created for them (shown once; pass it on to them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteCreated {
    /// The new site.
    pub site: SiteId,
    /// The owner's user id.
    pub owner: UserId,
    /// True when the owner has no password yet: they were sent an invitation to set one.
    #[serde(default)]
    pub owner_invited: bool,
}

fn parse_country(field: &str, raw: &str) -> Result<Country, FieldError> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_uppercase()))
        .map_err(|_| FieldError::new(field, "Choose AU, GB or US."))
}

fn country_code(country: Country) -> &'static str {
    match country {
        Country::Au => "AU",
        Country::Gb => "GB",
        Country::Us => "US",
    }
}

fn parse_currency(field: &str, raw: &str) -> Result<Currency, FieldError> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_uppercase()))
        .map_err(|_| FieldError::new(field, "Choose AUD, GBP or USD."))
}

/// `https://shop.example` or `http://127.0.0.1:8080`: scheme, host, optional port, no path.
/// Most hours of notice a site may ask before online changes close.
const CHANGE_NOTICE_MAX_HOURS: u16 = 720;

fn parse_origin(field: &str, raw: &str) -> Result<String, FieldError> {
    let invalid = || FieldError::new(field, "Enter an origin like https://shop.example (no path).");
    let raw = raw.trim().trim_end_matches('/');
    let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")).ok_or_else(invalid)?;
    let host_ok = !rest.is_empty()
        && rest.len() <= 253
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if host_ok { Ok(raw.to_ascii_lowercase()) } else { Err(invalid()) }
}

/// Largest corner radius, in pixels.
pub const CORNER_RADIUS_MAX: u16 = 24;
/// Longest font-family list.
pub const FONT_FAMILY_MAX: usize = 100;

/// Font names separated by commas, optionally quoted: nothing a CSS value could break out of.
fn parse_font(field: &str, raw: &str) -> Result<String, FieldError> {
    let ok = raw.len() <= FONT_FAMILY_MAX
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b',' | b'-' | b'\'' | b'"'))
        && raw.split(',').all(|name| !name.trim().is_empty());
    if ok {
        Ok(raw.split(',').map(str::trim).collect::<Vec<_>>().join(", "))
    } else {
        Err(FieldError::new(field, "List font names separated by commas, like Georgia, serif."))
    }
}

fn parse_colour(field: &str, raw: &str) -> Result<String, FieldError> {
    let ok = raw.len() == 7 && raw.starts_with('#') && raw[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(FieldError::new(field, "Enter a colour like #1a56db."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        serde_json::from_value(serde_json::json!({
            "id": "acme", "business_name": "Acme", "country": "AU", "time_zone": "Australia/Sydney",
            "currency": "AUD", "terms": "", "order_form": { "fields": [] },
            "services": [{ "id": "basic", "name": "Basic", "duration": 60,
                           "price": { "minor": 100, "currency": "AUD" }, "order_type": "maintenance" }],
            "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 }
        }))
        .expect("site")
    }

    fn known(zone: &str) -> bool {
        zone == "Australia/Sydney"
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_technician_parses_with_areas_hours_and_time_off() {
        let input = TechnicianInput {
            name: " Jo Bloggs ".into(),
            areas: vec!["2000".into(), "2100-2199".into(), "2000".into()],
            services: vec!["basic".into()],
            hours: HoursInput {
                monday: vec!["13:00-17:00".into(), "08:00-12:00".into()],
                ..HoursInput::default()
            },
            time_off: vec![TimeOffInput { from: "2026-12-25".into(), to: String::new() }],
            time_zone: String::new(),
            active: true,
        };
        let tech = input.parse(&site(), &TechnicianId::parse("id", "jo").expect("id"), known).expect("valid");
        assert_eq!(tech.name, "Jo Bloggs");
        assert_eq!(tech.areas.len(), 2, "duplicates dropped");
        assert_eq!(String::from(tech.hours.monday[0]), "08:00-12:00", "sorted");
        assert_eq!(tech.time_off[0].to.to_string(), "2026-12-26T00:00:00");
        assert_eq!(tech.time_zone, "Australia/Sydney");
        assert_eq!(TechnicianInput::of(&tech).areas, ["2000", "2100-2199"]);
    }

    #[test]
    fn every_bad_technician_field_is_named() {
        let input = TechnicianInput {
            name: String::new(),
            areas: vec!["2000".into(), "SW1A".into()],
            services: vec!["nope".into()],
            hours: HoursInput {
                friday: vec!["08:00-12:00".into(), "11:00-13:00".into(), "9-5".into()],
                ..HoursInput::default()
            },
            time_off: vec![TimeOffInput { from: "2026-12-25T10:00".into(), to: "2026-12-25T09:00".into() }],
            time_zone: "Mars/Olympus".into(),
            active: true,
        };
        let errors =
            input.parse(&site(), &TechnicianId::parse("id", "jo").expect("id"), known).expect_err("invalid");
        assert_eq!(
            fields(&errors),
            [
                "name",
                "areas[1]",
                "services[0]",
                "hours.friday[2]",
                "hours.friday",
                "time_off[0]",
                "time_zone"
            ]
        );
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let mut input = SettingsInput::of(&site());
        input.business_name = "Acme\u{202E}".into();
        input.time_zone = "Nowhere/Special".into();
        input.step_minutes = 7;
        input.days_ahead = 0;
        input.allowed_origins = vec!["https://shop.example".into(), "shop.example/path".into()];
        input.accent_colour = "blue".into();
        input.font_family = "x; } :host { display: none".into();
        input.corner_radius = Some(99);
        let errors = input.apply(&site(), known).expect_err("invalid");
        assert_eq!(
            fields(&errors),
            [
                "business_name",
                "time_zone",
                "step_minutes",
                "days_ahead",
                "allowed_origins[1]",
                "accent_colour",
                "font_family",
                "corner_radius"
            ]
        );
        let good = SettingsInput {
            accent_colour: "#C00000".into(),
            font_family: " Georgia ,serif".into(),
            corner_radius: Some(0),
            ..SettingsInput::of(&site())
        };
        let site = good.apply(&site(), known).expect("valid");
        assert_eq!(site.accent_colour.as_deref(), Some("#c00000"));
        assert_eq!((site.font_family.as_deref(), site.corner_radius), (Some("Georgia, serif"), Some(0)));
    }

    #[test]
    fn services_need_unique_ids_and_grid_durations() {
        let service = |id: &str, minutes| ServiceInput {
            id: id.into(),
            name: "Service".into(),
            duration_minutes: minutes,
            price_minor: 100,
            order_type: "repair".into(),
            active: true,
        };
        let input = ServicesInput { services: vec![service("a", 60), service("a", 50)] };
        let errors = input.parse(Currency::Aud).expect_err("invalid");
        assert_eq!(fields(&errors), ["services[1].id", "services[1].duration_minutes"]);
    }

    #[test]
    fn a_technician_member_names_their_technician() {
        let input = MemberInput {
            email: "t@acme.example".into(),
            role: "technician".into(),
            ..MemberInput::default()
        };
        assert_eq!(fields(&input.parse().expect_err("invalid")), ["technician"]);
        let input = MemberInput { role: "boss".into(), ..input };
        assert_eq!(fields(&input.parse().expect_err("invalid")), ["role"]);
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

/// A member as listed in the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberEntry {
    #[allow(missing_docs)]
    pub user: UserId,
    #[allow(missing_docs)]
    pub email: String,
    #[allow(missing_docs)]
    pub role: Role,
    /// For technicians, who they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<TechnicianId>,
    /// When they were invited, while they have not set their password yet (self-hosted); the
    /// invitation's link works for 72 hours, and can be sent again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub invited_at: Option<jiff::Timestamp>,
}

/// One page of a list sorted by a key, and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    #[allow(missing_docs)]
    pub items: Vec<T>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
