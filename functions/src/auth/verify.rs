//! Verifying staff access tokens: one path for Cognito's tokens and the local issuer's.
//!
//! A token is accepted only when its signature checks against a key the issuer publishes in
//! its JWKS, its issuer is the configured one, it was issued to one of our clients (`aud` in
//! ID-token style, `client_id` in Cognito's access tokens), it is an access token, and it has
//! not expired (with a bounded clock skew). The JWKS is fetched on first use, cached, and
//! fetched again when a token names a key we have not seen (the issuer rotated its keys),
//! but not more often than [`MIN_REFRESH`], so random `kid`s cannot make us hammer the issuer.

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// Clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECONDS: u64 = 60;
/// Shortest time between two JWKS fetches caused by unknown key ids.
pub(crate) const MIN_REFRESH: Duration = Duration::from_secs(30);
/// Longest a fetched JWKS is trusted before it is fetched again.
const MAX_AGE: Duration = Duration::from_secs(3600);
/// Signature algorithms accepted: Cognito signs with RS256, the local issuer with EdDSA.
/// Never `none` or a shared-secret HMAC, whatever a token's header says.
const ALGORITHMS: [Algorithm; 2] = [Algorithm::RS256, Algorithm::EdDSA];

/// Who may issue tokens and to which clients.
#[derive(Debug, Clone)]
pub struct IssuerConfig {
    /// The exact `iss` claim expected.
    pub issuer: String,
    /// Where the issuer's keys are published (for Cognito:
    /// `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`).
    pub jwks_url: String,
    /// Client ids whose tokens are accepted (`aud` or `client_id`).
    pub clients: Vec<String>,
}

/// A verified caller, by the issuer's stable id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A user or machine client of a client the configuration names.
    Known(String),
    /// A client of the issuer the configuration does not name, holding its own
    /// client-credentials token (`sub` is its `client_id`): one integration's Cognito app
    /// client, made at run time. It is someone only while the store lists it.
    Client(String),
}

/// Why a token was refused. The variants are for tests and logs; every one is a 401.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenRejected {
    /// Not a JWT, or its header or claims do not parse.
    #[error("malformed token")]
    Malformed,
    /// The header names an algorithm we do not accept.
    #[error("algorithm not accepted")]
    Algorithm,
    /// No published key has the token's `kid`.
    #[error("unknown signing key")]
    UnknownKey,
    /// The signature does not verify.
    #[error("bad signature")]
    Signature,
    /// `exp` is in the past (beyond the leeway).
    #[error("expired")]
    Expired,
    /// `iss` is not the configured issuer.
    #[error("wrong issuer")]
    Issuer,
    /// Neither `aud` nor `client_id` is one of our clients.
    #[error("wrong audience")]
    Audience,
    /// Not an access token (an ID token, say).
    #[error("not an access token")]
    NotAccessToken,
    /// The issuer's keys could not be fetched.
    #[error("issuer keys unavailable")]
    KeysUnavailable,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    aud: Option<OneOrMany>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    token_use: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn contains_any(&self, wanted: &[String]) -> bool {
        match self {
            OneOrMany::One(a) => wanted.contains(a),
            OneOrMany::Many(all) => all.iter().any(|a| wanted.contains(a)),
        }
    }
}

struct Cache {
    keys: JwkSet,
    fetched: Option<Instant>,
}

/// Verifies tokens of one issuer; cheap to clone, the key cache is shared.
#[derive(Clone)]
pub struct TokenVerifier {
    config: Arc<IssuerConfig>,
    keys: Arc<dyn KeySource>,
    cache: Arc<RwLock<Cache>>,
    /// Held by the one request fetching the JWKS; others that need a fetch wait for it and use
    /// its result. The cache itself is locked only to read or store, never across a fetch, so
    /// a slow issuer (or a stream of made-up key ids) never holds up tokens with known keys.
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

/// Where the issuer's JWKS comes from: over HTTP for a real issuer, or straight from the
/// local issuer living in the same process.
pub trait KeySource: Send + Sync + 'static {
    /// The issuer's current key set.
    fn fetch(&self) -> std::pin::Pin<Box<dyn Future<Output = Result<JwkSet, anyhow::Error>> + Send + '_>>;
}

/// The JWKS at a URL.
pub struct HttpKeys {
    url: String,
    client: reqwest::Client,
}

impl HttpKeys {
    /// Keys fetched from `url`, with short timeouts so a slow issuer cannot hold requests.
    pub fn new(url: impl Into<String>) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
            .build()?;
        Ok(Self { url: url.into(), client })
    }
}

impl KeySource for HttpKeys {
    fn fetch(&self) -> std::pin::Pin<Box<dyn Future<Output = Result<JwkSet, anyhow::Error>> + Send + '_>> {
        Box::pin(async move {
            let response = self.client.get(&self.url).send().await?.error_for_status()?;
            Ok(response.json::<JwkSet>().await?)
        })
    }
}

impl TokenVerifier {
    /// A verifier for `config`'s issuer, fetching its keys from its JWKS URL.
    pub fn new(config: IssuerConfig) -> anyhow::Result<Self> {
        let keys = HttpKeys::new(config.jwks_url.clone())?;
        Ok(Self::with_keys(config, Arc::new(keys)))
    }

    /// A verifier taking the issuer's keys from `keys`.
    pub fn with_keys(config: IssuerConfig, keys: Arc<dyn KeySource>) -> Self {
        let cache = Cache { keys: JwkSet { keys: Vec::new() }, fetched: None };
        Self {
            config: Arc::new(config),
            keys,
            cache: Arc::new(RwLock::new(cache)),
            refreshing: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// The issuer tokens must come from.
    pub fn issuer(&self) -> &IssuerConfig {
        &self.config
    }

    /// Checks `token` and returns its subject.
    pub async fn verify(&self, token: &str) -> Result<Subject, TokenRejected> {
        let header = decode_header(token).map_err(|_| TokenRejected::Malformed)?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(TokenRejected::Algorithm);
        }
        let kid = header.kid.ok_or(TokenRejected::UnknownKey)?;
        let jwk = self.key(&kid).await?;
        if jwk.common.key_algorithm.is_some_and(|a| a.to_string() != format!("{:?}", header.alg)) {
            return Err(TokenRejected::Algorithm);
        }
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| TokenRejected::UnknownKey)?;
        let mut validation = Validation::new(header.alg);
        validation.leeway = LEEWAY_SECONDS;
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_nbf = true;
        // Cognito's access tokens have no `aud`; the audience is checked below, for both forms.
        validation.validate_aud = false;
        let claims = decode::<Claims>(token, &key, &validation).map_err(rejection)?.claims;
        let audience_ok = claims.aud.as_ref().is_some_and(|a| a.contains_any(&self.config.clients))
            || claims.client_id.as_ref().is_some_and(|c| self.config.clients.contains(c));
        // Cognito's client-credentials tokens carry no `aud` and name their client as `sub`.
        let own_client = claims.aud.is_none() && claims.client_id.as_deref() == Some(claims.sub.as_str());
        if !audience_ok && !own_client {
            return Err(TokenRejected::Audience);
        }
        // Both issuers mark their access tokens; an unmarked token is not one.
        if claims.token_use.as_deref() != Some("access") {
            return Err(TokenRejected::NotAccessToken);
        }
        if claims.sub.is_empty() {
            return Err(TokenRejected::Malformed);
        }
        Ok(if audience_ok { Subject::Known(claims.sub) } else { Subject::Client(claims.sub) })
    }

    /// Makes the keys look fetched `ago`.
    #[cfg(test)]
    pub(crate) async fn age_cache_for_tests(&self, ago: Duration) {
        self.cache.write().await.fetched = Instant::now().checked_sub(ago);
    }

    /// Forgets when the keys were fetched, as if [`MAX_AGE`] had passed.
    #[cfg(test)]
    pub(crate) async fn expire_cache_for_tests(&self) {
        self.cache.write().await.fetched = None;
    }

    /// The published key `kid`, fetching the JWKS when it is stale or lacks the key.
    async fn key(&self, kid: &str) -> Result<Jwk, TokenRejected> {
        {
            let cache = self.cache.read().await;
            let fresh = cache.fetched.is_some_and(|at| at.elapsed() < MAX_AGE);
            if let (true, Some(jwk)) = (fresh, cache.keys.find(kid)) {
                return Ok(jwk.clone());
            }
        }
        let _refreshing = self.refreshing.lock().await;
        // Another request may have fetched while this one waited for its turn.
        let (recently, had_keys) = {
            let cache = self.cache.read().await;
            (cache.fetched.is_some_and(|at| at.elapsed() < MIN_REFRESH), cache.fetched.is_some())
        };
        if !recently {
            match self.keys.fetch().await {
                Ok(keys) => *self.cache.write().await = Cache { keys, fetched: Some(Instant::now()) },
                Err(error) if !had_keys => {
                    tracing::warn!(error = %error, "fetching the issuer's JWKS failed");
                    return Err(TokenRejected::KeysUnavailable);
                }
                // Keys we had keep working while the issuer is unreachable.
                Err(error) => tracing::warn!(error = %error, "refreshing the issuer's JWKS failed"),
            }
        }
        self.cache.read().await.keys.find(kid).cloned().ok_or(TokenRejected::UnknownKey)
    }
}

fn rejection(error: jsonwebtoken::errors::Error) -> TokenRejected {
    use jsonwebtoken::errors::ErrorKind as K;
    match error.kind() {
        K::InvalidSignature => TokenRejected::Signature,
        K::ExpiredSignature | K::ImmatureSignature => TokenRejected::Expired,
        K::InvalidIssuer => TokenRejected::Issuer,
        K::InvalidAlgorithm | K::InvalidAlgorithmName => TokenRejected::Algorithm,
        _ => TokenRejected::Malformed,
    }
}
