//! The business and its booking rules (`PUT /api/sites/{site}/settings`), and a new site
//! opened with them (`POST /api/sites`).

use crate::availability::SlotRules;
use crate::contact::{Email, Phone};
use crate::ids::{SiteId, UserId};
use crate::money::Currency;
use crate::postcode::Country;
use crate::schedule::GridMinutes;
use crate::site::Site;
use crate::text::{Lines, Text};
use crate::zone::Zone;
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// Longest business name.
pub const BUSINESS_NAME_MAX: usize = 100;
/// Longest terms text.
pub const TERMS_MAX: usize = 5_000;
/// Most days ahead a site may offer.
pub const DAYS_AHEAD_MAX: u16 = 365;
/// Most minutes of notice a site may require (two weeks).
pub const NOTICE_MAX_MINUTES: u32 = 14 * 24 * 60;

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
            time_zone: site.time_zone.name().to_owned(),
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

    /// Applies the settings to `site`. Resolving the zone needs the server's zone database (the
    /// browser has none).
    pub fn apply(&self, site: &Site) -> Result<Site, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let name = errors.take(Text::parse("business_name", &self.business_name, BUSINESS_NAME_MAX));
        let country = errors.take(parse_country("country", &self.country));
        let zone = errors.take(parse_zone(&self.time_zone));
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
                time_zone: zone?,
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

pub(super) fn parse_zone(raw: &str) -> Result<Zone, FieldError> {
    Zone::parse(raw).map_err(|_| FieldError::new("time_zone", "Choose a time zone such as Australia/Sydney."))
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

/// Most hours of notice a site may ask before online changes close.
const CHANGE_NOTICE_MAX_HOURS: u16 = 720;

/// `https://shop.example` or `http://127.0.0.1:8080`: scheme, host, optional port, no path.
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
