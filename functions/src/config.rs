//! Configuration from the environment, shared by the Lambda and local hosts.

use axum::http::HeaderValue;

/// Environment variable: DynamoDB table name.
pub const TABLE_VAR: &str = "JOBSLOT_TABLE";
/// Environment variable: DynamoDB endpoint URL, for a local DynamoDB-compatible server.
pub const ENDPOINT_VAR: &str = "JOBSLOT_DYNAMODB_ENDPOINT";
/// Environment variable: comma-separated origins allowed to call the API from browsers.
pub const ORIGINS_VAR: &str = "JOBSLOT_ALLOWED_ORIGINS";
/// Environment variable: bearer token for staff-only routes.
pub const STAFF_TOKEN_VAR: &str = "JOBSLOT_STAFF_TOKEN";

/// A set, non-empty environment variable.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The allowed origins in `JOBSLOT_ALLOWED_ORIGINS`; malformed entries are an error.
pub fn allowed_origins() -> anyhow::Result<Vec<HeaderValue>> {
    parse_origins(&var(ORIGINS_VAR).unwrap_or_default())
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
