//! The API's addresses, written once: the server mounts its routes and documents its
//! operations at these, and clients build their requests from typed ids with [`for_site`] (or
//! [`path`]), so an address cannot differ between the router, the OpenAPI document and a
//! caller, and a caller cannot put a postcode where a technician id goes.

#![allow(missing_docs)] // each constant and builder is its own address

use crate::ids::{SiteId, TechnicianId, UserId, WorkOrderNumber};
use crate::webhook::EndpointId;

pub const ME: &str = "/api/me";
pub const ME_PASSWORD: &str = "/api/me/password";
pub const SITES: &str = "/api/sites";
pub const SITE_AUDIT: &str = "/api/sites/{site}/audit";
pub const SITE_BOARD: &str = "/api/sites/{site}/board";
pub const SITE_BOOKING: &str = "/api/sites/{site}/bookings/{number}";
pub const SITE_BOOKING_CANCEL: &str = "/api/sites/{site}/bookings/{number}/cancel";
pub const SITE_BOOKING_MANAGE_LINK: &str = "/api/sites/{site}/bookings/{number}/manage-link";
pub const SITE_BOOKING_RESCHEDULE: &str = "/api/sites/{site}/bookings/{number}/reschedule";
pub const SITE_CONFIG: &str = "/api/sites/{site}/config";
pub const SITE_COVERAGE: &str = "/api/sites/{site}/coverage";
pub const SITE_DELIVERIES: &str = "/api/sites/{site}/deliveries";
pub const SITE_DELIVERY_RESEND: &str = "/api/sites/{site}/deliveries/{event}/{audience}/resend";
pub const SITE_INTEGRATIONS: &str = "/api/sites/{site}/integrations";
pub const SITE_INTEGRATION: &str = "/api/sites/{site}/integrations/{client}";
pub const SITE_INTEGRATION_ROTATE_SECRET: &str = "/api/sites/{site}/integrations/{client}/rotate-secret";
pub const SITE_MEMBERS: &str = "/api/sites/{site}/members";
pub const SITE_MEMBER: &str = "/api/sites/{site}/members/{user}";
pub const SITE_MEMBER_INVITATION: &str = "/api/sites/{site}/members/{user}/invitation";
pub const SITE_ORDER_FORM: &str = "/api/sites/{site}/order-form";
pub const SITE_SERVICES: &str = "/api/sites/{site}/services";
pub const SITE_SETTINGS: &str = "/api/sites/{site}/settings";
pub const SITE_SLOTS: &str = "/api/sites/{site}/slots";
pub const SITE_TECHNICIANS: &str = "/api/sites/{site}/technicians";
pub const SITE_TECHNICIAN: &str = "/api/sites/{site}/technicians/{id}";
pub const SITE_WEBHOOKS: &str = "/api/sites/{site}/webhooks";
pub const SITE_WEBHOOK: &str = "/api/sites/{site}/webhooks/{id}";
pub const SITE_WEBHOOK_ROTATE_SECRET: &str = "/api/sites/{site}/webhooks/{id}/rotate-secret";
pub const SITE_WORK_ORDER_RULES: &str = "/api/sites/{site}/work-order-rules";
pub const SITE_WORK_ORDERS: &str = "/api/sites/{site}/work-orders";
pub const SITE_WORK_ORDERS_UNSCHEDULED: &str = "/api/sites/{site}/work-orders/unscheduled";
pub const SITE_WORK_ORDER: &str = "/api/sites/{site}/work-orders/{number}";
pub const SITE_WORK_ORDER_BOOKING: &str = "/api/sites/{site}/work-orders/{number}/booking";
pub const SITE_WORK_ORDER_BOOKING_LINK: &str = "/api/sites/{site}/work-orders/{number}/booking-link";
pub const SITE_WORK_ORDER_FOLLOW_UP: &str = "/api/sites/{site}/work-orders/{number}/follow-up";
pub const SITE_WORK_ORDER_FOLLOW_UP_SLOTS: &str = "/api/sites/{site}/work-orders/{number}/follow-up/slots";

/// `template` with its `{…}` parameters replaced, in order, by `values`, each
/// percent-encoded as a path segment. Missing values leave their parameter empty.
pub fn path(template: &str, values: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else { break };
        if let Some(value) = values.next() {
            encode_segment(value, &mut out);
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// `path` with a query string of the `pairs` whose value is not empty, each percent-encoded.
pub fn with_query(mut path: String, pairs: &[(&str, &str)]) -> String {
    let mut first = true;
    for (name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        path.push(if first { '?' } else { '&' });
        first = false;
        encode_segment(name, &mut path);
        path.push('=');
        encode_segment(value, &mut path);
    }
    path
}

/// The addresses of one site's resources.
#[derive(Debug, Clone, Copy)]
pub struct ForSite<'a>(&'a SiteId);

/// The addresses of `site`'s resources.
pub fn for_site(site: &SiteId) -> ForSite<'_> {
    ForSite(site)
}

impl ForSite<'_> {
    fn at(&self, template: &str) -> String {
        path(template, &[self.0.as_str()])
    }

    fn of(&self, template: &str, id: &str) -> String {
        path(template, &[self.0.as_str(), id])
    }

    pub fn audit(&self) -> String {
        self.at(SITE_AUDIT)
    }
    pub fn board(&self) -> String {
        self.at(SITE_BOARD)
    }
    pub fn booking_manage_link(&self, number: &WorkOrderNumber) -> String {
        self.of(SITE_BOOKING_MANAGE_LINK, number.as_str())
    }
    pub fn config(&self) -> String {
        self.at(SITE_CONFIG)
    }
    pub fn coverage(&self) -> String {
        self.at(SITE_COVERAGE)
    }
    pub fn deliveries(&self) -> String {
        self.at(SITE_DELIVERIES)
    }
    /// `event` and `audience` as a delivery names them.
    pub fn delivery_resend(&self, event: &str, audience: &str) -> String {
        path(SITE_DELIVERY_RESEND, &[self.0.as_str(), event, audience])
    }
    pub fn integrations(&self) -> String {
        self.at(SITE_INTEGRATIONS)
    }
    pub fn integration(&self, client: &UserId) -> String {
        self.of(SITE_INTEGRATION, client.as_str())
    }
    pub fn integration_rotate_secret(&self, client: &UserId) -> String {
        self.of(SITE_INTEGRATION_ROTATE_SECRET, client.as_str())
    }
    pub fn members(&self) -> String {
        self.at(SITE_MEMBERS)
    }
    pub fn member(&self, user: &UserId) -> String {
        self.of(SITE_MEMBER, user.as_str())
    }
    pub fn member_invitation(&self, user: &UserId) -> String {
        self.of(SITE_MEMBER_INVITATION, user.as_str())
    }
    pub fn order_form(&self) -> String {
        self.at(SITE_ORDER_FORM)
    }
    pub fn services(&self) -> String {
        self.at(SITE_SERVICES)
    }
    pub fn settings(&self) -> String {
        self.at(SITE_SETTINGS)
    }
    pub fn slots(&self) -> String {
        self.at(SITE_SLOTS)
    }
    pub fn technicians(&self) -> String {
        self.at(SITE_TECHNICIANS)
    }
    pub fn technician(&self, id: &TechnicianId) -> String {
        self.of(SITE_TECHNICIAN, id.as_str())
    }
    pub fn webhooks(&self) -> String {
        self.at(SITE_WEBHOOKS)
    }
    pub fn webhook(&self, id: &EndpointId) -> String {
        self.of(SITE_WEBHOOK, id.as_str())
    }
    pub fn webhook_rotate_secret(&self, id: &EndpointId) -> String {
        self.of(SITE_WEBHOOK_ROTATE_SECRET, id.as_str())
    }
    pub fn work_order_rules(&self) -> String {
        self.at(SITE_WORK_ORDER_RULES)
    }
    pub fn work_orders(&self) -> String {
        self.at(SITE_WORK_ORDERS)
    }
    pub fn work_order(&self, number: &WorkOrderNumber) -> String {
        self.of(SITE_WORK_ORDER, number.as_str())
    }
    pub fn work_order_booking_link(&self, number: &WorkOrderNumber) -> String {
        self.of(SITE_WORK_ORDER_BOOKING_LINK, number.as_str())
    }
    pub fn work_order_follow_up(&self, number: &WorkOrderNumber) -> String {
        self.of(SITE_WORK_ORDER_FOLLOW_UP, number.as_str())
    }
    pub fn work_order_follow_up_slots(&self, number: &WorkOrderNumber) -> String {
        self.of(SITE_WORK_ORDER_FOLLOW_UP_SLOTS, number.as_str())
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode_segment(value: &str, out: &mut String) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_filled_in_order_and_encoded() {
        assert_eq!(path(SITE_WORK_ORDER, &["acme", "WO-1"]), "/api/sites/acme/work-orders/WO-1");
        assert_eq!(path(SITE_MEMBER, &["acme", "a/b c"]), "/api/sites/acme/members/a%2Fb%20c");
        assert_eq!(path(ME, &[]), "/api/me");
    }

    #[test]
    fn a_sites_addresses_take_typed_ids_and_queries_skip_empty_values() {
        let site = SiteId::parse("site", "acme").expect("id");
        let tech = TechnicianId::parse("id", "jo-bloggs").expect("id");
        assert_eq!(for_site(&site).technician(&tech), "/api/sites/acme/technicians/jo-bloggs");
        let number = WorkOrderNumber::parse("number", "WO-0000000A").expect("number");
        assert_eq!(
            for_site(&site).work_order_follow_up_slots(&number),
            "/api/sites/acme/work-orders/WO-0000000A/follow-up/slots"
        );
        let query = with_query(for_site(&site).board(), &[("days", "7"), ("from", ""), ("q", "a&b c")]);
        assert_eq!(query, "/api/sites/acme/board?days=7&q=a%26b%20c");
    }
}
