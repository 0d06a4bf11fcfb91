//! The API's contract: an OpenAPI 3.1 document generated from the handlers (`#[utoipa::path]`
//! beside each one) and the domain types they read and write, served at `/api/openapi.json`.
//!
//! Each operation names the problems particular to it; the ones any request can meet (a
//! malformed request, rate limits, an outage, a missing token on a staff route, an unreadable
//! body) are added to every operation here, so no operation can forget one.

use super::{assets, bookings, connector, deliveries, manage, members, staff, webhooks, work_orders};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jobslot_domain::api::Problem;
use jobslot_domain::ids::SiteId;
use jobslot_domain::webhook::WebhookBody;
use std::sync::LazyLock;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Type;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Object, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi, ToResponse};

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/api/openapi.json";

/// Name of the staff access token's security scheme.
pub(super) const STAFF: &str = "staff";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jobslot API",
        description = "Online booking for field-service businesses. Customers' routes (tag \
            `booking`) are public; staff routes take an access token from the sign-in (the local \
            issuer's `/oauth2/token` when self-hosted, Cognito's on AWS). Every error is an RFC 9457 \
            problem document with a stable `type`."
    ),
    paths(
        assets::site_config,
        assets::coverage,
        bookings::slots,
        work_orders::submit,
        work_orders::list,
        work_orders::work_order,
        work_orders::change,
        work_orders::follow_up_slots,
        work_orders::follow_up,
        connector::create,
        connector::linked,
        connector::book,
        connector::reissue,
        manage::booking,
        manage::reschedule,
        manage::cancel,
        manage::replace_link,
        deliveries::list,
        deliveries::resend,
        webhooks::list,
        webhooks::create,
        webhooks::change,
        webhooks::remove,
        webhooks::rotate,
        staff::board,
        staff::me,
        staff::create_site,
        staff::settings,
        staff::change_settings,
        staff::services,
        staff::change_services,
        staff::order_form,
        staff::change_order_form,
        staff::work_order_rules,
        staff::change_work_order_rules,
        staff::technicians,
        staff::technician,
        staff::put_technician,
        staff::audit,
        members::members,
        members::put_member,
        members::remove_member,
        members::resend_invitation,
        members::create_integration,
        members::remove_integration,
        members::rotate_integration,
        members::change_password,
    ),
    components(schemas(Problem, WebhookBody), responses(
        Malformed,
        Unauthorized,
        Forbidden,
        NotFound,
        SlotUnavailable,
        FollowUpNotAllowed,
        LinkBookingConflict,
        NothingToLink,
        ManageConflict,
        LinkExpired,
        AlreadyExists,
        ChangedBySomeoneElse,
        BodyTooLarge,
        UnsupportedMediaType,
        Invalid,
        IfMatchRequired,
        TooManyRequests,
        Internal,
        Unavailable,
    )),
    modifiers(&Contract),
    tags(
        (name = "booking", description = "The customer's path: what a site offers, who serves a postcode, free slots, booking."),
        (name = "setup", description = "Staff setting up a business: settings, services, order form, technicians, members."),
        (name = "work orders", description = "Work orders as staff see them."),
        (name = "webhooks", description = "Endpoints that hear of a site's events. Each request is a `WebhookBody`, \
            signed by the Standard Webhooks scheme (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`)."),
    )
)]
struct ApiDoc;

/// The document as served, built once.
pub fn document() -> &'static str {
    static JSON: LazyLock<String> = LazyLock::new(|| ApiDoc::openapi().to_json().unwrap_or_default());
    &JSON
}

pub(super) async fn serve() -> Response {
    let mut response = ([(header::CONTENT_TYPE, "application/json")], document()).into_response();
    // The same for every request until the next deployment.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

/// The site a route is about, as a path parameter.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // Only its documentation is used; handlers take the raw segment.
pub(super) struct SitePath {
    /// The site's id, as in the embed snippet.
    site: SiteId,
}

/// A problem response: `description`, a problem document, and `Retry-After` when the client
/// should come back later.
fn problem(description: &str, retry_after: bool) -> RefOr<utoipa::openapi::Response> {
    let mut response = ResponseBuilder::new()
        .description(description)
        .content(super::problem::PROBLEM_JSON, Content::new(Some(Ref::from_schema_name("Problem"))));
    if retry_after {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(Object::with_type(Type::Integer)))
                .description(Some("Seconds to wait before trying again."))
                .build(),
        );
    }
    response.build().into()
}

macro_rules! problem_responses {
    ($($(#[$doc:meta])* $name:ident($description:literal, retry_after: $retry:literal)),* $(,)?) => {
        $(
            $(#[$doc])*
            pub(super) struct $name;

            impl<'r> ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<utoipa::openapi::Response>) {
                    (stringify!($name), problem($description, $retry))
                }
            }
        )*
    };
}

problem_responses! {
    Malformed("The body, query or path cannot be read as this operation's parameters.", retry_after: false),
    Unauthorized("No access token, or one that is expired, revoked or not ours.", retry_after: false),
    Forbidden("The caller's role on the site does not allow this.", retry_after: false),
    NotFound("No such site, or nothing with this id on it.", retry_after: false),
    SlotUnavailable("The slot is not offered any more (just taken, or never offered).", retry_after: false),
    FollowUpNotAllowed("The work order is not closed incomplete, or its order type's rules allow no follow-up.", retry_after: false),
    LinkBookingConflict("The slot was just taken (`slot-unavailable`), or the work order is booked already or \
        called off (`work-order-not-bookable`).", retry_after: false),
    NothingToLink("The work order has nothing its customer's link is for: booked already or called off \
        for a booking link, no booked time for a manage link (`work-order-not-bookable`).", retry_after: false),
    ManageConflict("The slot was just taken (`slot-unavailable`), or online changes are closed \
        (`change-closed`: too close to the appointment, started, or cancelled).", retry_after: false),
    LinkExpired("The link is genuine but past its time.", retry_after: false),
    AlreadyExists("It exists already.", retry_after: false),
    ChangedBySomeoneElse("It changed since the version `If-Match` names; read it again.", retry_after: false),
    BodyTooLarge("The body is larger than 64 KiB.", retry_after: false),
    UnsupportedMediaType("The body is not declared as `application/json`.", retry_after: false),
    Invalid("Fields are invalid; `errors` names each with a message a person can act on.", retry_after: false),
    IfMatchRequired("A change must name the version it is based on with `If-Match`.", retry_after: false),
    TooManyRequests("This client sent too many requests of this kind.", retry_after: true),
    Internal("Something failed on our side.", retry_after: false),
    Unavailable("A dependency is down or the server is too busy; the same request may succeed later.", retry_after: true),
}

/// What the derive cannot say: the staff token's scheme and the problems every operation can
/// meet.
struct Contract;

impl Modify for Contract {
    fn modify(&self, document: &mut Document) {
        let components = document.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            STAFF,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from the sign-in: authorization code with PKCE at the \
                         issuer named by `/.well-known/openid-configuration` when self-hosted, \
                         Cognito's hosted sign-in on AWS.",
                    ))
                    .build(),
            ),
        );
        for item in document.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.put, &mut item.post, &mut item.patch, &mut item.delete]
                .into_iter()
                .flatten()
            {
                add_common_problems(operation);
            }
        }
    }
}

fn add_common_problems(operation: &mut Operation) {
    let mut common: Vec<(&str, &str)> =
        vec![("400", "Malformed"), ("429", "TooManyRequests"), ("500", "Internal"), ("503", "Unavailable")];
    if operation.request_body.is_some() {
        common.extend([("413", "BodyTooLarge"), ("415", "UnsupportedMediaType")]);
    }
    if operation.security.is_some() {
        common.push(("401", "Unauthorized"));
    }
    for (status, name) in common {
        operation
            .responses
            .responses
            .entry(status.into())
            .or_insert_with(|| Ref::from_response_name(name).into());
    }
}
