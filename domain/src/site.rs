//! A site (tenant): one business, its services, order form, rules and technicians.

use crate::FieldError;
use crate::area::ServiceArea;
use crate::availability::{SlotRules, TimeOff};
use crate::contact::{Email, Phone};
use crate::form::OrderForm;
use crate::ids::{ServiceId, SiteId, TechnicianId};
use crate::money::{Currency, Money};
use crate::postcode::{Country, Postcode};
use crate::schedule::{GridMinutes, WeeklyHours};
use crate::work_order::{OrderRules, OrderType, ReasonCodes};
use crate::zone::Zone;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything a site's booking flow is configured with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// The site's id, as used in the embed snippet.
    pub id: SiteId,
    /// The business's name, shown in the widget.
    pub business_name: String,
    /// Where the business works: decides the postcode format.
    pub country: Country,
    /// The zone the site's days are counted in.
    pub time_zone: Zone,
    /// Currency prices are in.
    pub currency: Currency,
    /// What can be booked.
    pub services: Vec<Service>,
    /// The business's own questions about the job.
    pub order_form: OrderForm,
    /// Terms the customer accepts before booking.
    pub terms: String,
    /// How far ahead, how soon and on what step slots are offered.
    pub rules: SlotRules,
    /// Origins of the pages allowed to embed the widget.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_origins: Vec<String>,
    /// The widget's accent colour (`#rrggbb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_colour: Option<String>,
    /// The widget's font (a CSS font-family list), instead of the visitor's system font.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
    /// The widget's corner radius in pixels, instead of 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corner_radius: Option<u16>,
    /// Reason codes staff pick from when closing incomplete or rejecting.
    #[serde(default)]
    pub reasons: ReasonCodes,
    /// Rules per order type; a type not listed has every rule off.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub order_rules: BTreeMap<OrderType, OrderRules>,
    /// Where customers write to the business: shown in their e-mails, and their reply-to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<Email>,
    /// The business's phone number for customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<Phone>,
    /// Where notices of new bookings go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_email: Option<Email>,
    /// Hours before an appointment after which customers can no longer move or cancel it
    /// online (through their manage link).
    #[serde(default = "change_notice_hours")]
    pub change_notice_hours: u16,
}

fn change_notice_hours() -> u16 {
    crate::manage::CHANGE_NOTICE_HOURS
}

impl Site {
    /// The service with this id, if the site offers it.
    pub fn service(&self, id: &ServiceId) -> Option<&Service> {
        self.services.iter().find(|s| &s.id == id)
    }

    /// Parses a service id for `field` and finds the service among the site's active offers.
    pub fn parse_service(&self, field: &str, raw: &str) -> Result<Service, FieldError> {
        self.parse_any_service(field, raw)
            .ok()
            .filter(|s| s.active)
            .ok_or_else(|| FieldError::new(field, "This service is not offered."))
    }

    /// The rules for work orders of `order_type`.
    pub fn rules_for(&self, order_type: OrderType) -> OrderRules {
        self.order_rules.get(&order_type).copied().unwrap_or_default()
    }

    /// Parses a service id for `field` and finds the service, offered or not (for staff).
    pub fn parse_any_service(&self, field: &str, raw: &str) -> Result<Service, FieldError> {
        let id = ServiceId::parse(field, raw.trim())?;
        self.service(&id).cloned().ok_or_else(|| FieldError::new(field, "The site has no such service."))
    }
}

/// A bookable service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Stable id.
    pub id: ServiceId,
    /// What the customer sees.
    pub name: String,
    /// How long the job takes on site.
    pub duration: GridMinutes,
    /// Price quoted to the customer.
    pub price: Money,
    /// The work-order type a booking of it creates.
    pub order_type: OrderType,
    /// Offered to customers; inactive services stay on existing work orders.
    #[serde(default = "active_by_default")]
    pub active: bool,
}

impl Service {
    /// The slot of one job of this service starting at `start` (none past the end of time).
    pub fn slot_from(&self, start: jiff::Timestamp) -> Option<crate::availability::Interval> {
        Some(crate::availability::Interval { start, end: start.checked_add(self.duration.span()).ok()? })
    }
}

/// A technician (or a location) that takes bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Technician {
    /// The site the technician works for.
    pub site: SiteId,
    /// Stable id within the site.
    pub id: TechnicianId,
    /// Name shown to customers.
    pub name: String,
    /// Where they work.
    pub areas: Vec<ServiceArea>,
    /// The services they do; none listed means every service of the site.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceId>,
    /// Weekly working hours.
    pub hours: WeeklyHours,
    /// Holidays and part-days off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_off: Vec<TimeOff>,
    /// The zone the working hours are in.
    pub time_zone: Zone,
    /// Inactive technicians keep their bookings but are offered to nobody.
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

impl Technician {
    /// True when the technician works in the postcode's area.
    pub fn serves(&self, postcode: &Postcode) -> bool {
        self.areas.iter().any(|a| a.contains(postcode))
    }

    /// True when the technician is active and does `service`.
    pub fn does(&self, service: &ServiceId) -> bool {
        self.active && (self.services.is_empty() || self.services.contains(service))
    }
}
