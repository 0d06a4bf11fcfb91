//! The local OpenID-compatible issuer of `jobslot-local`: an Ed25519 signing key kept in the
//! store, its JWKS and discovery document, and access tokens for signed-in staff.
//!
//! Tokens it mints are checked by the same [`TokenVerifier`](super::verify::TokenVerifier)
//! that checks Cognito's; this module only signs.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The console's OAuth client id at the local issuer.
pub const CONSOLE_CLIENT_ID: &str = "jobslot-console";
/// The client id in the tokens of integrators' machine clients; the machine client itself is
/// the token's `sub`, as in Cognito's client-credentials tokens.
pub const INTEGRATIONS_CLIENT_ID: &str = "jobslot-integrations";

/// The client ids whose tokens from the local issuer the API accepts.
pub fn accepted_clients() -> Vec<String> {
    vec![CONSOLE_CLIENT_ID.to_owned(), INTEGRATIONS_CLIENT_ID.to_owned()]
}
/// How long an access token lives: short, the console refreshes it.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;

/// A signing key and the issuer URL it signs for.
#[derive(Clone)]
pub struct LocalIssuer {
    issuer: String,
    key_id: String,
    encoding: EncodingKey,
    public_key: Vec<u8>,
}

/// A new Ed25519 private key, PKCS#8 DER, to keep in the store.
pub fn generate_key() -> anyhow::Result<Vec<u8>> {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|_| anyhow::anyhow!("generating an Ed25519 key failed"))?;
    Ok(pkcs8.as_ref().to_vec())
}

#[derive(Serialize)]
struct AccessClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    client_id: &'a str,
    token_use: &'static str,
    iat: i64,
    exp: i64,
    jti: String,
}

impl LocalIssuer {
    /// The issuer at `issuer` (its base URL, e.g. `http://127.0.0.1:8080`) signing with
    /// `pkcs8`, a key from [`generate_key`].
    pub fn new(issuer: impl Into<String>, pkcs8: &[u8]) -> anyhow::Result<Self> {
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8)
            .map_err(|_| anyhow::anyhow!("stored signing key is invalid"))?;
        let public_key = pair.public_key().as_ref().to_vec();
        let key_id = hex::encode(&Sha256::digest(&public_key)[..8]);
        Ok(Self { issuer: issuer.into(), key_id, encoding: EncodingKey::from_ed_der(pkcs8), public_key })
    }

    /// The `iss` of its tokens.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The public key set verifiers fetch.
    pub fn jwks(&self) -> JwkSet {
        let jwk = serde_json::json!({
            "kty": "OKP",
            "crv": "Ed25519",
            "use": "sig",
            "alg": "EdDSA",
            "kid": self.key_id,
            "x": URL_SAFE_NO_PAD.encode(&self.public_key),
        });
        let keys = serde_json::from_value(jwk).map(|k| vec![k]).unwrap_or_default();
        JwkSet { keys }
    }

    /// `/.well-known/openid-configuration`.
    pub fn discovery(&self) -> serde_json::Value {
        let base = &self.issuer;
        serde_json::json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/oauth2/authorize"),
            "token_endpoint": format!("{base}/oauth2/token"),
            "jwks_uri": format!("{base}/.well-known/jwks.json"),
            "end_session_endpoint": format!("{base}/logout"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["EdDSA"],
            "scopes_supported": ["openid"],
        })
    }

    /// What the console needs to sign in here (its `config.json`): the API is on this origin.
    pub fn console_config(&self) -> serde_json::Value {
        let base = &self.issuer;
        serde_json::json!({
            "authorization_endpoint": format!("{base}/oauth2/authorize"),
            "token_endpoint": format!("{base}/oauth2/token"),
            "revocation_endpoint": format!("{base}/oauth2/revoke"),
            "client_id": CONSOLE_CLIENT_ID,
            "api": "",
        })
    }

    /// Signs any `claims` with the issuer's key, `kid` in the header (tests craft tokens with it).
    pub fn sign(&self, claims: &impl Serialize) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.key_id.clone());
        Ok(encode(&header, claims, &self.encoding)?)
    }

    /// A signed access token for `subject`, valid from `now` (Unix seconds) for `lifetime`.
    pub fn access_token(&self, subject: &str, now: i64, lifetime: i64) -> anyhow::Result<String> {
        self.token(subject, CONSOLE_CLIENT_ID, now, lifetime)
    }

    /// A signed access token for the machine client `client`, valid from `now` for `lifetime`.
    pub fn machine_token(&self, client: &str, now: i64, lifetime: i64) -> anyhow::Result<String> {
        self.token(client, INTEGRATIONS_CLIENT_ID, now, lifetime)
    }

    fn token(&self, subject: &str, client: &str, now: i64, lifetime: i64) -> anyhow::Result<String> {
        self.sign(&AccessClaims {
            iss: &self.issuer,
            sub: subject,
            aud: client,
            client_id: client,
            token_use: "access",
            iat: now,
            exp: now + lifetime,
            jti: hex::encode(crate::random::bytes::<12>()),
        })
    }
}
