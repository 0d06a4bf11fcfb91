//! Signing in as a person does: the authorization-code flow with PKCE against the local issuer.

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// An access token for `email`, through `/oauth2/authorize` and `/oauth2/token`.
pub async fn sign_in(base: &str, email: &str, password: &str) -> Result<String> {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("randomness: {e}"))?;
    let verifier = URL_SAFE_NO_PAD.encode(secret);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let redirect_uri = format!("{base}/admin/");
    let answer = client
        .post(format!("{base}/oauth2/authorize"))
        .form(&[
            ("response_type", "code"),
            ("client_id", "jobslot-console"),
            ("redirect_uri", &redirect_uri),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("state", "load"),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await?;
    let location = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .with_context(|| format!("signing in as {email} answered {}", answer.status()))?;
    let code = url::Url::parse(location)?
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .context("no code in the sign-in redirect")?;
    let tokens: serde_json::Value = client
        .post(format!("{base}/oauth2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &redirect_uri),
            ("client_id", "jobslot-console"),
            ("code_verifier", &verifier),
        ])
        .send()
        .await?
        .json()
        .await?;
    match tokens["access_token"].as_str() {
        Some(token) => Ok(token.to_owned()),
        None => bail!("the token endpoint answered {tokens}"),
    }
}
