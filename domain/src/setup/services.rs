//! What a site offers, as the console edits it.

use crate::ids::ServiceId;
use crate::money::{Currency, Money};
use crate::schedule::GridMinutes;
use crate::site::Service;
use crate::text::Text;
use crate::work_order::OrderType;
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

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
    #[allow(missing_docs)]
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
