//! Configuration from the environment, shared by the Lambda and local hosts.

use axum::http::HeaderValue;

/// Environment variable: DynamoDB table name.
pub const TABLE_VAR: &str = "JOBSLOT_TABLE";
/// Environment variable: DynamoDB endpoint URL, for a local DynamoDB-compatible server.
pub const ENDPOINT_VAR: &str = "JOBSLOT_DYNAMODB_ENDPOINT";
/// Environment variable: comma-separated origins allowed to call the API from browsers.
pub const ORIGINS_VAR: &str = "JOBSLOT_ALLOWED_ORIGINS";
/// Environment variable: the exact `iss` of staff access tokens (on AWS, the Cognito user
/// pool's `https://cognito-idp.<region>.amazonaws.com/<pool id>`).
pub const ISSUER_VAR: &str = "JOBSLOT_ISSUER";
/// Environment variable: the issuer's JWKS URL; `<issuer>/.well-known/jwks.json` if unset.
pub const JWKS_URL_VAR: &str = "JOBSLOT_JWKS_URL";
/// Environment variable: comma-separated app client ids whose tokens are accepted.
pub const CLIENT_IDS_VAR: &str = "JOBSLOT_CLIENT_IDS";
/// Environment variable: the URL people reach `jobslot-local` at, when not its listen address
/// (behind a reverse proxy); the local issuer's `iss`.
pub const PUBLIC_URL_VAR: &str = "JOBSLOT_PUBLIC_URL";

/// Environment variable: the Cognito user pool whose app clients integrations get (the
/// staff function on AWS); integrations cannot be made where it is unset.
pub const USER_POOL_VAR: &str = "JOBSLOT_USER_POOL_ID";
/// Environment variable: the OAuth scope integrations' clients may ask for.
pub const INTEGRATION_SCOPE_VAR: &str = "JOBSLOT_INTEGRATION_SCOPE";
/// Environment variable: where integrations' clients get their tokens (the pool domain's
/// `/oauth2/token`).
pub const TOKEN_ENDPOINT_VAR: &str = "JOBSLOT_TOKEN_ENDPOINT";
/// Environment variable: Cognito's endpoint URL, for a local stand-in (moto).
pub const COGNITO_ENDPOINT_VAR: &str = "JOBSLOT_COGNITO_ENDPOINT";

/// Who makes integrations' clients, from `JOBSLOT_USER_POOL_ID`, `JOBSLOT_INTEGRATION_SCOPE`
/// and `JOBSLOT_TOKEN_ENDPOINT`; none when no pool is named.
pub async fn cognito_clients() -> anyhow::Result<Option<crate::cognito::CognitoClients>> {
    let Some(pool) = var(USER_POOL_VAR) else { return Ok(None) };
    let scope =
        var(INTEGRATION_SCOPE_VAR).ok_or_else(|| anyhow::anyhow!("{INTEGRATION_SCOPE_VAR} is not set"))?;
    let token_endpoint =
        var(TOKEN_ENDPOINT_VAR).ok_or_else(|| anyhow::anyhow!("{TOKEN_ENDPOINT_VAR} is not set"))?;
    let endpoint = var(COGNITO_ENDPOINT_VAR);
    Ok(Some(crate::cognito::CognitoClients::new(pool, scope, token_endpoint, endpoint.as_deref()).await))
}

/// A set, non-empty environment variable.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The allowed origins in `JOBSLOT_ALLOWED_ORIGINS`; malformed entries are an error.
pub fn allowed_origins() -> anyhow::Result<Vec<HeaderValue>> {
    parse_origins(&var(ORIGINS_VAR).unwrap_or_default())
}

/// The token issuer from `JOBSLOT_ISSUER`, `JOBSLOT_JWKS_URL` and `JOBSLOT_CLIENT_IDS`.
pub fn issuer() -> anyhow::Result<crate::auth::IssuerConfig> {
    let issuer = var(ISSUER_VAR).ok_or_else(|| anyhow::anyhow!("{ISSUER_VAR} is not set"))?;
    anyhow::ensure!(
        issuer.starts_with("https://") || issuer.starts_with("http://"),
        "{ISSUER_VAR}: {issuer:?} is not a URL"
    );
    let issuer = issuer.trim_end_matches('/').to_owned();
    let jwks_url = var(JWKS_URL_VAR).unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json"));
    let clients: Vec<String> = var(CLIENT_IDS_VAR)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(Into::into)
        .collect();
    anyhow::ensure!(
        !clients.is_empty(),
        "{CLIENT_IDS_VAR} is not set: name the app clients whose tokens are accepted"
    );
    Ok(crate::auth::IssuerConfig { issuer, jwks_url, clients })
}

/// Parses `https://a.example, https://b.example`.
pub fn parse_origins(raw: &str) -> anyhow::Result<Vec<HeaderValue>> {
    raw.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            anyhow::ensure!(
                o.starts_with("http://") || o.starts_with("https://"),
                "{ORIGINS_VAR}: {o:?} is not an origin like https://shop.example"
            );
            Ok(HeaderValue::from_str(o.trim_end_matches('/'))?)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_a_comma_separated_list() {
        let origins = parse_origins(" https://a.example/ ,http://127.0.0.1:8080").expect("origins");
        assert_eq!(origins, ["https://a.example", "http://127.0.0.1:8080"]);
        assert!(parse_origins("a.example").is_err());
        assert!(parse_origins("").expect("empty").is_empty());
    }
}
