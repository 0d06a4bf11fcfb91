//! The API's addresses, written once: the server mounts its routes and documents its
//! operations at these, and clients build their requests from them with [`path`], so an
//! address cannot differ between the router, the OpenAPI document and a caller.

#![allow(missing_docs)] // each constant is its own address

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
}
