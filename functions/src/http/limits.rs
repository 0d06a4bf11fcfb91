//! Per-client rate limits on the routes worth abusing: slot searches (each reads the store
//! per technician), bookings, and sign-in attempts (each runs argon2, and guesses passwords).
//!
//! The local server keys clients by their address (an IPv6 client by its /64, which one
//! household or host controls whole). On AWS no peer address reaches the function, so requests
//! without one pass; the HTTP API's route throttling there caps each route for everyone, not
//! per client (a per-client cap needs an AWS WAF rate-based rule in front).

use super::problem::problem_response;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use jobslot_domain::api::ProblemKind;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How many requests of each kind one client may make: a burst, then one per period.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    /// `GET /api/sites/{site}/slots`.
    pub search: Quota,
    /// `POST /api/sites/{site}/work-orders`.
    pub booking: Quota,
    /// `POST /oauth2/authorize` (a password tried).
    pub sign_in: Quota,
}

impl Default for Quotas {
    /// A customer browsing days clicks a few searches a second at most; one booking needs one
    /// request and a few retries; a person mistypes a password a few times.
    fn default() -> Self {
        Self {
            search: quota(30, Duration::from_millis(200)),
            booking: quota(10, Duration::from_secs(6)),
            sign_in: quota(5, Duration::from_secs(12)),
        }
    }
}

/// A burst of `burst` requests, then one per `period`.
pub fn quota(burst: u32, period: Duration) -> Quota {
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(burst)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limited {
    Search,
    Booking,
    SignIn,
}

impl Limited {
    fn of(method: &Method, route: &str) -> Option<Self> {
        match (method, route) {
            // axum answers HEAD with the GET handler, search included.
            (&Method::GET | &Method::HEAD, "/api/sites/{site}/slots") => Some(Limited::Search),
            (
                &Method::POST,
                "/api/sites/{site}/work-orders" | "/api/sites/{site}/work-orders/{number}/booking",
            ) => Some(Limited::Booking),
            // Each sends an e-mail or tries a token: limited like a password tried.
            (&Method::POST, "/oauth2/authorize" | "/account/forgot" | "/account/password") => {
                Some(Limited::SignIn)
            }
            _ => None,
        }
    }
}

/// The limiters, shared by every request of the server.
#[derive(Clone)]
pub struct RateLimits {
    search: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    booking: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    sign_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").field("clients", &self.search.len()).finish_non_exhaustive()
    }
}

impl RateLimits {
    /// Limiters with these quotas. Clients idle long enough to be back at a full burst are
    /// forgotten every minute, so memory follows active clients, not every address ever seen.
    pub fn new(quotas: Quotas) -> Self {
        let limits = Self {
            search: Arc::new(RateLimiter::keyed(quotas.search)),
            booking: Arc::new(RateLimiter::keyed(quotas.booking)),
            sign_in: Arc::new(RateLimiter::keyed(quotas.sign_in)),
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let weak = [&limits.search, &limits.booking, &limits.sign_in].map(Arc::downgrade);
            runtime.spawn(async move {
                let mut every_minute = tokio::time::interval(Duration::from_secs(60));
                loop {
                    every_minute.tick().await;
                    let alive: Vec<_> = weak.iter().filter_map(std::sync::Weak::upgrade).collect();
                    if alive.is_empty() {
                        return;
                    }
                    for limiter in alive {
                        limiter.retain_recent();
                        limiter.shrink_to_fit();
                    }
                }
            });
        }
        limits
    }

    fn limiter(&self, kind: Limited) -> &DefaultKeyedRateLimiter<IpAddr> {
        match kind {
            Limited::Search => &self.search,
            Limited::Booking => &self.booking,
            Limited::SignIn => &self.sign_in,
        }
    }
}

/// The client a request comes from, as the limits key it; unknown where the server runs
/// without connection information (a router called directly, as some tests do).
#[derive(Debug, Clone, Copy)]
pub struct Client(pub Option<IpAddr>);

impl Client {
    /// The key that counts this client's failed sign-ins.
    pub fn key(self) -> String {
        self.0.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| client_key(c.0.ip()))))
    }
}

/// The client a limit applies to.
fn client_key(peer: IpAddr) -> IpAddr {
    match peer {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

/// Middleware: waits for one of the server's turns, then handles the request. The wait is part
/// of the request, so the timeout around this bounds it.
pub async fn take_turn(State(turns): State<Arc<Semaphore>>, request: Request, next: Next) -> Response {
    match turns.acquire_owned().await {
        Ok(_turn) => next.run(request).await,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Middleware: refuses a request over its client's quota with 429 and `Retry-After`.
pub async fn enforce(State(limits): State<RateLimits>, request: Request, next: Next) -> Response {
    let kind =
        request.extensions().get::<MatchedPath>().and_then(|p| Limited::of(request.method(), p.as_str()));
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let (Some(kind), Some(peer)) = (kind, peer) else {
        return next.run(request).await;
    };
    match limits.limiter(kind).check_key(&client_key(peer)) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            too_many(kind, wait.as_secs() + 1)
        }
    }
}

/// "1 second", "12 seconds".
fn seconds(n: u64) -> String {
    if n == 1 { "1 second".into() } else { format!("{n} seconds") }
}

fn too_many(kind: Limited, retry_after: u64) -> Response {
    let mut response = if kind == Limited::SignIn {
        // The sign-in form is a page, not an API call: answer with a page.
        let page = format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Too many attempts</title>\
             <p>Too many sign-in attempts. Wait {}, then go back and try again.</p></html>",
            seconds(retry_after)
        );
        (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page)
            .into_response()
    } else {
        problem_response(
            ProblemKind::TooManyRequests,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            Some(format!("Too many requests from your network; try again in {}.", seconds(retry_after))),
        )
    };
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn waits_read_as_english() {
        assert_eq!(seconds(1), "1 second");
        assert_eq!(seconds(12), "12 seconds");
    }

    #[test]
    fn one_ipv6_network_is_one_client_and_mapped_ipv4_is_ipv4() {
        assert_eq!(client_key(ip("2001:db8:1:2:aaaa::1")), client_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(client_key(ip("2001:db8:1:2:aaaa::1")), client_key(ip("2001:db8:1:3::1")));
        assert_eq!(client_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn only_the_abusable_routes_are_limited() {
        assert_eq!(Limited::of(&Method::GET, "/api/sites/{site}/slots"), Some(Limited::Search));
        assert_eq!(Limited::of(&Method::POST, "/api/sites/{site}/work-orders"), Some(Limited::Booking));
        assert_eq!(Limited::of(&Method::POST, "/oauth2/authorize"), Some(Limited::SignIn));
        assert_eq!(Limited::of(&Method::POST, "/account/forgot"), Some(Limited::SignIn));
        assert_eq!(Limited::of(&Method::POST, "/account/password"), Some(Limited::SignIn));
        assert_eq!(Limited::of(&Method::GET, "/oauth2/authorize"), None);
        assert_eq!(Limited::of(&Method::GET, "/api/sites/{site}/config"), None);
    }
}
