//! Webhooks: the endpoints a site's integrators register to hear of its events, which endpoint
//! hears which event, and the body each event is posted with. Signing (Standard Webhooks) and
//! sending are the dispatcher's.
//!
//! An endpoint's address is checked when it is registered: `https` to a public host only, so
//! a site owner cannot point our servers at an internal service. Plain `http` to this very
//! machine (`127.0.0.1`) is for development and only where the host allows it.

use crate::FieldError;
use crate::events::{Event, EventData, EventKind};
use crate::text::Text;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The events an endpoint can subscribe to.
pub const EVENTS: [EventKind; 4] = [
    EventKind::BookingCreated,
    EventKind::BookingRescheduled,
    EventKind::BookingCancelled,
    EventKind::StatusChanged,
];

/// Most endpoints one site may have.
pub const MAX_ENDPOINTS: usize = 10;

/// How long a replaced signing secret still signs, so receivers can switch without missing a
/// delivery.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;

/// Which hosts an endpoint may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Targets {
    /// Public hosts over `https` only: every deployment.
    #[default]
    Public,
    /// Also `http://127.0.0.1` and `http://[::1]`: a developer's machine.
    AlsoLoopback,
}

/// An endpoint's id: `wh_` and 20 lowercase letters or digits. Also the name of its deliveries
/// (their "audience").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct EndpointId(String);

impl EndpointId {
    const PREFIX: &'static str = "wh_";

    /// Parses an id from a path or a stored record.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let rest = raw.strip_prefix(Self::PREFIX).unwrap_or_default();
        if rest.len() == 20 && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FieldError::new(field, "Not a webhook endpoint id."))
        }
    }

    /// An id made of 20 characters drawn from `random` (any bytes).
    pub fn from_random(random: [u8; 20]) -> Self {
        const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
        let tail: String = random.iter().map(|b| char::from(ALPHABET[usize::from(b % 32)])).collect();
        Self(format!("{}{tail}", Self::PREFIX))
    }

    #[allow(missing_docs)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EndpointId {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse("id", &raw).map_err(|e| e.message.to_string())
    }
}

impl From<EndpointId> for String {
    fn from(id: EndpointId) -> Self {
        id.0
    }
}

impl std::fmt::Display for EndpointId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an endpoint's deliveries are posted: an absolute `https` URL of a public host (or a
/// loopback `http` one where [`Targets::AlsoLoopback`] allows it), without credentials or
/// fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct EndpointUrl(String);

/// Longest accepted endpoint URL.
const MAX_URL: usize = 2000;

impl EndpointUrl {
    /// Parses `raw` for `field` under the host's rule for targets.
    pub fn parse(field: &str, raw: &str, targets: Targets) -> Result<Self, FieldError> {
        let error = |message: &'static str| FieldError::new(field, message);
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(error("This field is required."));
        }
        if raw.len() > MAX_URL {
            return Err(error("Use an address of at most 2000 characters."));
        }
        let url = url::Url::parse(raw)
            .map_err(|_| error("Enter a full address, such as https://example.com/hooks."))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(error(
                "Leave the user name and password out of the address; the signature authenticates us.",
            ));
        }
        if url.fragment().is_some() {
            return Err(error("Leave the #fragment out of the address."));
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
            Some(url::Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
            _ => false,
        };
        // Stored as the parser writes it (percent-encoded, punycode), which can be longer.
        let normalized = url.to_string();
        if normalized.len() > MAX_URL {
            return Err(error("Use an address of at most 2000 characters."));
        }
        if loopback && targets == Targets::AlsoLoopback && matches!(url.scheme(), "http" | "https") {
            return Ok(Self(normalized));
        }
        if url.scheme() != "https" {
            return Err(error("Use an https:// address."));
        }
        let public = match url.host() {
            Some(url::Host::Domain(name)) => {
                let name = name.trim_end_matches('.');
                !(name == "localhost" || name.ends_with(".localhost") || !name.contains('.'))
            }
            Some(url::Host::Ipv4(ip)) => is_public(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => is_public(IpAddr::V6(ip)),
            None => false,
        };
        if !public {
            return Err(error("Use the address of a server on the public internet."));
        }
        Ok(Self(normalized))
    }

    #[allow(missing_docs)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The IPv4 blocks of IANA's special-purpose address registry (RFC 6890 and its updates), and
/// multicast: none is a webhook receiver on the public internet, even those the registry marks
/// globally reachable (anycast relays and AS112 sinks answer nobody's webhooks).
const V4_SPECIAL: &[(Ipv4Addr, u8)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8),       // "this network"
    (Ipv4Addr::new(10, 0, 0, 0), 8),      // private
    (Ipv4Addr::new(100, 64, 0, 0), 10),   // shared address space (carrier NAT)
    (Ipv4Addr::new(127, 0, 0, 0), 8),     // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16),  // link-local
    (Ipv4Addr::new(172, 16, 0, 0), 12),   // private
    (Ipv4Addr::new(192, 0, 0, 0), 24),    // IETF protocol assignments
    (Ipv4Addr::new(192, 0, 2, 0), 24),    // documentation (TEST-NET-1)
    (Ipv4Addr::new(192, 31, 196, 0), 24), // AS112-v4
    (Ipv4Addr::new(192, 52, 193, 0), 24), // AMT
    (Ipv4Addr::new(192, 88, 99, 0), 24),  // 6to4 relay anycast (deprecated)
    (Ipv4Addr::new(192, 168, 0, 0), 16),  // private
    (Ipv4Addr::new(192, 175, 48, 0), 24), // direct delegation AS112
    (Ipv4Addr::new(198, 18, 0, 0), 15),   // benchmarking
    (Ipv4Addr::new(198, 51, 100, 0), 24), // documentation (TEST-NET-2)
    (Ipv4Addr::new(203, 0, 113, 0), 24),  // documentation (TEST-NET-3)
    (Ipv4Addr::new(224, 0, 0, 0), 4),     // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4),     // reserved, and the limited broadcast address
];

/// The IPv6 blocks inside global unicast (`2000::/3`) that IANA's special-purpose registry
/// sets aside. Everything outside `2000::/3` is refused before these are looked at: loopback,
/// unspecified, IPv4-mapped and -compatible (`::ffff:0:0/96`, `::/96`), NAT64 (`64:ff9b::/96`,
/// `64:ff9b:1::/48`), discard-only (`100::/64`), SRv6 (`5f00::/16`), unique-local (`fc00::/7`),
/// link-local (`fe80::/10`), site-local (`fec0::/10`) and multicast (`ff00::/8`).
const V6_SPECIAL: &[(Ipv6Addr, u8)] = &[
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 23), // IETF protocol assignments, Teredo
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32), // documentation
    (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16), // 6to4
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20), // documentation
];

fn in_v4(ip: Ipv4Addr, (block, bits): (Ipv4Addr, u8)) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
    u32::from(ip) & mask == u32::from(block) & mask
}

fn in_v6(ip: Ipv6Addr, (block, bits): (Ipv6Addr, u8)) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
    u128::from(ip) & mask == u128::from(block) & mask
}

/// True for an address on the public internet: outside every special-purpose block
/// ([`V4_SPECIAL`], [`V6_SPECIAL`]), and for IPv6 inside global unicast. An IPv6 address that
/// embeds an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is refused whatever it embeds:
/// a translator would reach an address we did not check. The dispatcher refuses to connect
/// anywhere else, whatever a name resolves to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => !V4_SPECIAL.iter().any(|&block| in_v4(ip, block)),
        IpAddr::V6(ip) => {
            let global_unicast = in_v6(ip, (Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3));
            global_unicast && !V6_SPECIAL.iter().any(|&block| in_v6(ip, block))
        }
    }
}

/// One registered endpoint, as staff see it (its signing secrets are never listed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endpoint {
    /// Its id, also the name of its deliveries.
    pub id: EndpointId,
    /// Where deliveries are posted.
    pub url: EndpointUrl,
    /// What it hears of, in the order of [`EVENTS`].
    pub events: Vec<EventKind>,
    /// What it is for, as its owner describes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// A paused endpoint hears of nothing until it is enabled again.
    pub enabled: bool,
    /// Events from this instant on are posted to it; earlier ones are not.
    pub created_at: Timestamp,
    /// Who registered it: an integrator sees and manages only its own endpoints, owners all.
    /// Absent on endpoints registered before it was kept (owners' only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<crate::ids::UserId>,
    /// Since when every request to it has failed; absent while it takes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<Timestamp>,
    /// When Jobslot paused it after [`PAUSE_AFTER_HOURS`] of failures (`enabled` is then
    /// false); enabling it again clears this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_at: Option<Timestamp>,
}

/// How long an endpoint may fail every request before it is paused.
pub const PAUSE_AFTER_HOURS: i64 = 24;

/// What a round of requests to an endpoint says about its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// At least one request was taken.
    Answered,
    /// Every request attempted failed.
    Failed,
}

impl Endpoint {
    /// The endpoint after a round of requests that went as `health` at `now`, if that changes
    /// it: failing from the first failure, paused after a day of nothing but failures, and
    /// well again at the first request taken.
    pub fn after(&self, health: Health, now: Timestamp) -> Option<Endpoint> {
        let mut next = self.clone();
        match (health, self.failing_since) {
            (Health::Answered, None) => return None,
            (Health::Answered, Some(_)) => next.failing_since = None,
            (Health::Failed, None) => next.failing_since = Some(now),
            (Health::Failed, Some(since))
                if self.enabled && now.duration_since(since).as_hours() >= PAUSE_AFTER_HOURS =>
            {
                next.enabled = false;
                next.paused_at = Some(now);
            }
            (Health::Failed, Some(_)) => return None,
        }
        Some(next)
    }

    /// Whether `event` is posted to this endpoint.
    pub fn hears(&self, event: &Event) -> bool {
        self.enabled && self.events.contains(&event.kind) && self.created_at <= event.at
    }
}

/// `POST` and `PUT /api/sites/{site}/webhooks[/{id}]`: an endpoint's address, events and
/// description, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointInput {
    /// `https://…` of a public host.
    pub url: String,
    /// Event types, among `booking.created`, `booking.rescheduled`, `booking.cancelled`,
    /// `work_order.status_changed`.
    pub events: Vec<String>,
    /// What it is for (at most 100 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// Defaults to true.
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

/// An endpoint's parsed settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSettings {
    /// Where deliveries go.
    pub url: EndpointUrl,
    /// What it hears of, in the order of [`EVENTS`].
    pub events: Vec<EventKind>,
    /// What it is for.
    pub description: Option<Text>,
    /// Whether it hears of anything now.
    pub enabled: bool,
}

impl EndpointInput {
    /// Parses every field, reporting each one that is wrong.
    pub fn parse(&self, targets: Targets) -> Result<EndpointSettings, Vec<FieldError>> {
        let mut errors = crate::FieldErrors::default();
        let url = errors.take(EndpointUrl::parse("url", &self.url, targets));
        let mut events = Vec::new();
        for (i, raw) in self.events.iter().enumerate() {
            match EVENTS.iter().find(|kind| kind.name() == raw.as_str()) {
                Some(kind) => events.push(*kind),
                None => errors.push(FieldError::new(
                    format!("events.{i}"),
                    "Not an event: use booking.created, booking.rescheduled, booking.cancelled or work_order.status_changed.",
                )),
            }
        }
        if self.events.is_empty() {
            errors.push(FieldError::new("events", "Choose at least one event."));
        }
        events.sort_by_key(|kind| EVENTS.iter().position(|k| k == kind));
        events.dedup();
        let description = errors.take(Text::parse_optional(
            "description",
            self.description.as_deref(),
            100,
            crate::text::Lines::Single,
        ));
        errors.finish(|| {
            Some(EndpointSettings { url: url?, events, description: description?, enabled: self.enabled })
        })
    }
}

/// `GET /api/sites/{site}/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointPage {
    /// Up to [`MAX_ENDPOINTS`] of them, oldest first.
    pub items: Vec<Endpoint>,
}

/// A new endpoint, or a new signing secret, with the secret shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndpointWithSecret {
    #[allow(missing_docs)]
    pub endpoint: Endpoint,
    /// `whsec_…`: the key that verifies our signatures (Standard Webhooks). Only its holder
    /// sees it; keep it like a password.
    pub secret: String,
    /// After a rotation: until when the replaced secret still signs too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_valid_until: Option<Timestamp>,
}

/// The JSON body of every webhook request (Standard Webhooks' shape: `type`, `timestamp`,
/// `data`), with the event's id, which is also the `webhook-id` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookBody {
    /// The event's id, the same on every attempt: a receiver that has seen it can ignore it.
    pub id: String,
    #[allow(missing_docs)]
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// When it happened.
    pub timestamp: Timestamp,
    /// What happened to which work order.
    pub data: EventData,
}

impl WebhookBody {
    /// The body that tells of `event`.
    pub fn of(event: &Event) -> Self {
        Self { id: event.id.clone(), kind: event.kind, timestamp: event.at, data: event.data.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> Result<String, String> {
        EndpointUrl::parse("url", raw, Targets::Public).map(|u| u.0).map_err(|e| e.message.to_string())
    }

    #[test]
    fn endpoints_are_public_https_servers() {
        assert_eq!(
            url("https://hooks.example.com/jobslot?x=1").as_deref(),
            Ok("https://hooks.example.com/jobslot?x=1")
        );
        for refused in [
            "http://hooks.example.com/",
            "ftp://hooks.example.com/",
            "https://localhost/",
            "https://intranet/",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[::ffff:192.168.0.1]/",
            "https://user:pw@hooks.example.com/",
            "https://hooks.example.com/#x",
            "hooks.example.com/x",
            "",
        ] {
            assert!(url(refused).is_err(), "{refused} must be refused");
        }
        assert!(url("https://8.8.8.8/").is_ok());
        let spaces = format!("https://hooks.example.com/a{}b", " ".repeat(1000));
        assert!(url(&spaces).is_err(), "1000 spaces become 3000 characters of %20");
        assert!(url("https://[2606:4700::1111]/").is_ok());
    }

    /// The first and the last address of `block`.
    fn ends_v4((start, bits): (Ipv4Addr, u8)) -> [Ipv4Addr; 2] {
        let host = u32::MAX.checked_shr(u32::from(bits)).unwrap_or(0);
        [start, Ipv4Addr::from(u32::from(start) | host)]
    }

    fn ends_v6((start, bits): (Ipv6Addr, u8)) -> [Ipv6Addr; 2] {
        let host = u128::MAX.checked_shr(u32::from(bits)).unwrap_or(0);
        [start, Ipv6Addr::from(u128::from(start) | host)]
    }

    /// IANA's IPv4 and IPv6 special-purpose address registries (as of 2024), every block, with
    /// the IPv6 blocks outside global unicast that the rule refuses wholesale.
    #[test]
    fn no_address_of_a_special_purpose_block_is_public_nor_one_embedding_ipv4() {
        let v4 = [
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.0.0/29",
            "192.0.0.8/32",
            "192.0.0.9/32",
            "192.0.0.10/32",
            "192.0.0.170/32",
            "192.0.0.171/32",
            "192.0.2.0/24",
            "192.31.196.0/24",
            "192.52.193.0/24",
            "192.88.99.0/24",
            "192.168.0.0/16",
            "192.175.48.0/24",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "240.0.0.0/4",
            "255.255.255.255/32",
            "224.0.0.0/4",
        ];
        let v6 = [
            "::1/128",
            "::/128",
            "::ffff:0:0/96",
            "::/96",
            "64:ff9b::/96",
            "64:ff9b:1::/48",
            "100::/64",
            "2001::/23",
            "2001::/32",
            "2001:1::1/128",
            "2001:1::2/128",
            "2001:1::3/128",
            "2001:2::/48",
            "2001:3::/32",
            "2001:4:112::/48",
            "2001:10::/28",
            "2001:20::/28",
            "2001:30::/28",
            "2001:db8::/32",
            "2002::/16",
            "2620:4f:8000::/48",
            "3fff::/20",
            "5f00::/16",
            "fc00::/7",
            "fe80::/10",
            "fec0::/10",
            "ff00::/8",
        ];
        let split = |cidr: &str| {
            let (ip, bits) = cidr.split_once('/').expect("cidr");
            (ip.to_owned(), bits.parse::<u8>().expect("bits"))
        };
        for cidr in v4 {
            let (ip, bits) = split(cidr);
            for ip in ends_v4((ip.parse().expect("v4"), bits)) {
                assert!(!is_public(IpAddr::V4(ip)), "{ip} ({cidr}) is not public");
                assert!(url(&format!("https://{ip}/hook")).is_err(), "{ip} as a literal");
            }
        }
        for cidr in v6 {
            let (ip, bits) = split(cidr);
            // 2620:4f:8000::/48 (AS112 over IPv6) lies in global unicast and is not refused:
            // it is listed as globally reachable, and no rule below 2000::/3 covers it.
            if cidr == "2620:4f:8000::/48" {
                continue;
            }
            for ip in ends_v6((ip.parse().expect("v6"), bits)) {
                assert!(!is_public(IpAddr::V6(ip)), "{ip} ({cidr}) is not public");
                assert!(url(&format!("https://[{ip}]/hook")).is_err(), "{ip} as a literal");
            }
        }
        // What a translator would turn into a private address, spelled every way.
        for embedding in
            ["::ffff:10.0.0.1", "::10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "2001:0:a00:1::1"]
        {
            assert!(!is_public(IpAddr::V6(embedding.parse().expect("v6"))), "{embedding}");
        }
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "192.0.1.255",
            "100.63.255.255",
            "100.128.0.0",
            "2606:4700::1111",
            "2a00:1450:4001::1",
        ] {
            assert!(is_public(public.parse().expect("ip")), "{public} is public");
        }
    }

    #[test]
    fn loopback_http_only_where_the_host_allows_it() {
        let local = |raw| EndpointUrl::parse("url", raw, Targets::AlsoLoopback).map(|u| u.0);
        assert_eq!(local("http://127.0.0.1:8111/hook").ok().as_deref(), Some("http://127.0.0.1:8111/hook"));
        assert!(local("http://[::1]:8111/").is_ok());
        assert!(local("http://192.168.1.5/").is_err());
        assert!(local("http://localhost:8111/").is_err(), "a name can resolve anywhere");
        assert!(url("http://127.0.0.1:8111/hook").is_err());
    }

    #[test]
    fn input_is_parsed_field_by_field() {
        let input = EndpointInput {
            url: "http://x.example".into(),
            events: vec![
                "booking.cancelled".into(),
                "booking.created".into(),
                "booking.created".into(),
                "nope".into(),
            ],
            description: Some("CRM".into()),
            enabled: true,
        };
        let errors = input.parse(Targets::Public).expect_err("invalid");
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["url", "events.3"]);
        let ok =
            EndpointInput { url: "https://x.example/h".into(), events: input.events[..3].to_vec(), ..input };
        let settings = ok.parse(Targets::Public).expect("valid");
        assert_eq!(settings.events, [EventKind::BookingCreated, EventKind::BookingCancelled]);
        let none = EndpointInput { events: vec![], ..ok };
        assert_eq!(none.parse(Targets::Public).expect_err("no events")[0].field, "events");
    }

    #[test]
    fn event_names_are_their_json_names() {
        for kind in EVENTS {
            assert_eq!(serde_json::to_value(kind).expect("json"), kind.name());
        }
    }

    #[test]
    fn ids_round_trip_and_refuse_anything_else() {
        let id = EndpointId::from_random([255; 20]);
        assert_eq!(EndpointId::parse("id", id.as_str()), Ok(id.clone()));
        assert!(EndpointId::parse("id", "wh_short").is_err());
        assert!(EndpointId::parse("id", "customer").is_err());
    }

    #[test]
    fn an_endpoint_hears_what_it_subscribed_to_from_its_creation_on() {
        let order = crate::work_order::fixtures::order("new");
        let event = crate::events::booked(&order, "ev_1".into());
        let endpoint = Endpoint {
            id: EndpointId::from_random([1; 20]),
            url: EndpointUrl("https://x.example/".into()),
            events: vec![EventKind::BookingCreated],
            description: None,
            enabled: true,
            created_at: event.at,
            created_by: None,
            failing_since: None,
            paused_at: None,
        };
        assert!(endpoint.hears(&event));
        assert!(!Endpoint { enabled: false, ..endpoint.clone() }.hears(&event));
        assert!(!Endpoint { events: vec![EventKind::StatusChanged], ..endpoint.clone() }.hears(&event));
        let later = Endpoint { created_at: event.at + jiff::SignedDuration::from_secs(1), ..endpoint };
        assert!(!later.hears(&event), "an endpoint hears nothing from before it existed");
        let body = serde_json::to_value(WebhookBody::of(&event)).expect("json");
        assert_eq!(body["id"], "ev_1");
        assert_eq!(body["type"], "booking.created");
        assert!(body["data"].get("contact").is_none() && !body.to_string().contains("mary@"));
    }

    #[test]
    fn an_endpoint_is_paused_after_a_day_of_failures_and_well_at_the_first_answer() {
        let at = |h: i64| {
            "2026-12-01T00:00:00Z".parse::<Timestamp>().expect("t") + jiff::SignedDuration::from_hours(h)
        };
        let endpoint = Endpoint {
            id: EndpointId::from_random([1; 20]),
            url: EndpointUrl("https://crm.example/hooks".into()),
            events: EVENTS.to_vec(),
            description: None,
            enabled: true,
            created_at: at(0),
            created_by: None,
            failing_since: None,
            paused_at: None,
        };
        assert_eq!(endpoint.after(Health::Answered, at(1)), None, "nothing to write");
        let failing = endpoint.after(Health::Failed, at(1)).expect("failing");
        assert_eq!((failing.failing_since, failing.enabled), (Some(at(1)), true));
        assert_eq!(failing.after(Health::Failed, at(24)), None, "23 hours: still trying");
        let paused = failing.after(Health::Failed, at(25)).expect("paused");
        assert_eq!((paused.enabled, paused.paused_at), (false, Some(at(25))));
        let well = failing.after(Health::Answered, at(2)).expect("well");
        assert_eq!((well.failing_since, well.enabled), (None, true));
    }
}
