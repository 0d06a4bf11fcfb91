//! Posting events to integrators' endpoints, signed by the Standard Webhooks scheme
//! (<https://www.standardwebhooks.com>): headers `webhook-id`, `webhook-timestamp` and
//! `webhook-signature`, the last holding `v1,{base64 HMAC-SHA256 of "id.timestamp.body"}` for
//! each secret in use (two while a rotation overlaps), separated by spaces.
//!
//! The client connects only to public addresses, whatever a name resolves to, follows no
//! redirect and ignores proxy settings, so an endpoint cannot aim our servers at a private
//! network.

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jobslot_domain::webhook::is_public;
use std::time::Duration;

/// How long an endpoint has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(5);

const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(crate::random::bytes::<32>()))
}

/// The `webhook-signature` header for `body` of message `id` sent at `timestamp` (Unix s),
/// one signature per secret.
pub fn signature<'a>(
    secrets: impl IntoIterator<Item = &'a str>,
    id: &str,
    timestamp: i64,
    body: &str,
) -> String {
    let signed = format!("{id}.{timestamp}.{body}");
    let signatures: Vec<String> = secrets
        .into_iter()
        .filter_map(|secret| STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok())
        .map(|key| {
            let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &key), signed.as_bytes());
            format!("v1,{}", STANDARD.encode(tag.as_ref()))
        })
        .collect();
    signatures.join(" ")
}

/// One signed request, ready to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRequest {
    /// The endpoint.
    pub url: String,
    /// `webhook-id`: the event's id, the same on every attempt.
    pub id: String,
    /// `webhook-timestamp`: when this attempt was signed (Unix s); receivers refuse old ones.
    pub timestamp: i64,
    /// `webhook-signature`.
    pub signature: String,
    /// The JSON body.
    pub body: String,
}

/// Posts signed requests.
#[async_trait::async_trait]
pub trait WebhookSender: Send + Sync {
    /// Posts `request`; `Err` says why the endpoint did not take it (every failure is retried:
    /// a receiver's outage or a wrong answer usually passes).
    async fn post(&self, request: &WebhookRequest) -> Result<(), String>;
}

/// The sender over HTTPS.
#[derive(Clone)]
pub struct HttpWebhooks {
    client: reqwest::Client,
}

impl HttpWebhooks {
    /// A sender with its own connection pool.
    pub fn new() -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("Jobslot-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(std::sync::Arc::new(PublicOnly))
            .build()?;
        Ok(Self { client })
    }
}

#[async_trait::async_trait]
impl WebhookSender for HttpWebhooks {
    async fn post(&self, request: &WebhookRequest) -> Result<(), String> {
        let answer = self
            .client
            .post(&request.url)
            .header("content-type", "application/json")
            .header("webhook-id", &request.id)
            .header("webhook-timestamp", request.timestamp.to_string())
            .header("webhook-signature", &request.signature)
            .body(request.body.clone())
            .send()
            .await
            .map_err(|error| why(&error))?;
        let status = answer.status();
        if status.is_success() { Ok(()) } else { Err(format!("The endpoint answered {}.", status.as_u16())) }
    }
}

/// A failure in words an owner can act on, without the URL (which may carry a token).
fn why(error: &reqwest::Error) -> String {
    let refused = std::error::Error::source(error)
        .into_iter()
        .flat_map(|e| std::iter::successors(Some(e), |e| e.source()))
        .any(|e| e.downcast_ref::<NotPublic>().is_some());
    if refused {
        "The endpoint's name resolves to no public address.".into()
    } else if error.is_timeout() {
        format!("No answer within {} seconds.", TIMEOUT.as_secs())
    } else if error.is_connect() {
        "Could not connect to the endpoint.".into()
    } else {
        "The request to the endpoint failed.".into()
    }
}

/// Resolves names with the system resolver and keeps public addresses only.
struct PublicOnly;

#[derive(Debug, thiserror::Error)]
#[error("the name resolves to no public address")]
struct NotPublic;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<_> = found.filter(|addr| is_public(addr.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(NotPublic) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_the_standard_webhooks_example_does() {
        // The scheme's published test vector.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature([secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn an_overlapping_rotation_signs_with_both_secrets() {
        let (old, new) = (new_secret(), new_secret());
        let both = signature([new.as_str(), old.as_str()], "ev", 1, "{}");
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], signature([new.as_str()], "ev", 1, "{}"));
        assert_eq!(parts[1], signature([old.as_str()], "ev", 1, "{}"));
    }
}
