//! Integrations' clients on AWS: one Cognito app client each, with the client-credentials
//! grant, made and deleted by the staff function through Cognito's API (its role may do
//! exactly that, on exactly its user pool).

use crate::app::AppError;
use crate::app::integrations::{ClientIssuer, IssuedClient};
use crate::repository::MachineClient;
use crate::store::StoreError;
use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    OAuthFlowType, PreventUserExistenceErrorTypes, TimeUnitsType, TokenValidityUnitsType,
};
use jiff::Timestamp;
use jobslot_domain::ids::{SiteId, UserId};

/// How long an integration's access token lasts.
const ACCESS_TOKEN_MINUTES: i32 = 60;

/// Makes and deletes integrations' app clients in one user pool.
pub struct CognitoClients {
    client: Client,
    pool_id: String,
    /// The scope every integration's tokens carry (`jobslot/work-orders`).
    scope: String,
    token_endpoint: String,
}

impl CognitoClients {
    /// Clients of `pool_id` with `scope`, whose tokens come from `token_endpoint`; Cognito at
    /// `endpoint` when given (moto in tests), else the region's.
    pub async fn new(pool_id: String, scope: String, token_endpoint: String, endpoint: Option<&str>) -> Self {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(endpoint) = endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        Self::with_config(&loader.load().await, pool_id, scope, token_endpoint)
    }

    /// The same with this SDK configuration.
    pub fn with_config(
        config: &aws_config::SdkConfig,
        pool_id: String,
        scope: String,
        token_endpoint: String,
    ) -> Self {
        Self { client: Client::new(config), pool_id, scope, token_endpoint }
    }
}

/// Cognito's names allow letters, digits, spaces and `+=,.@-_`, up to 128 characters.
fn client_name(site: &SiteId, name: &str) -> String {
    let kept: String =
        name.chars().map(|c| if c.is_alphanumeric() || " +=,.@-_".contains(c) { c } else { '-' }).collect();
    format!("jobslot {site} {kept}").chars().take(128).collect()
}

fn failed(what: &str, error: impl std::fmt::Display) -> AppError {
    // Cognito's errors name the pool and client, nothing personal.
    AppError::Unavailable(StoreError::Backend(anyhow::anyhow!("Cognito {what}: {error}")))
}

#[async_trait::async_trait]
impl ClientIssuer for CognitoClients {
    async fn create_client(&self, site: &SiteId, name: &str) -> Result<IssuedClient, AppError> {
        let made = self
            .client
            .create_user_pool_client()
            .user_pool_id(&self.pool_id)
            .client_name(client_name(site, name))
            .generate_secret(true)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
            .allowed_o_auth_scopes(&self.scope)
            .access_token_validity(ACCESS_TOKEN_MINUTES)
            .token_validity_units(
                TokenValidityUnitsType::builder().access_token(TimeUnitsType::Minutes).build(),
            )
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            .send()
            .await
            .map_err(|e| {
                failed("CreateUserPoolClient", aws_sdk_cognitoidentityprovider::error::DisplayErrorContext(e))
            })?;
        let made =
            made.user_pool_client.ok_or_else(|| failed("CreateUserPoolClient", "no client in the answer"))?;
        let (Some(id), Some(secret)) = (made.client_id(), made.client_secret()) else {
            return Err(failed("CreateUserPoolClient", "no client id or secret in the answer"));
        };
        let client_id = UserId::parse("client_id", id)
            .map_err(|_| failed("CreateUserPoolClient", "an unusable client id"))?;
        let record = MachineClient {
            client_id,
            site: site.clone(),
            name: name.to_owned(),
            secret_hash: None,
            created_at: Timestamp::now(),
        };
        Ok(IssuedClient { record, secret: secret.to_owned() })
    }

    async fn delete_client(&self, client: &UserId) -> Result<(), AppError> {
        let deleted = self
            .client
            .delete_user_pool_client()
            .user_pool_id(&self.pool_id)
            .client_id(client.as_str())
            .send()
            .await;
        match deleted {
            Ok(_) => Ok(()),
            // Deleted already (a retried removal): done.
            Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => Ok(()),
            Err(e) => Err(failed(
                "DeleteUserPoolClient",
                aws_sdk_cognitoidentityprovider::error::DisplayErrorContext(e),
            )),
        }
    }

    fn new_secret(&self) -> Option<(String, String)> {
        None
    }

    fn token_endpoint(&self) -> String {
        self.token_endpoint.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_named_after_its_site_and_integration_in_cognitos_alphabet() {
        let site = SiteId::parse("site", "acme").expect("site");
        assert_eq!(client_name(&site, "Field app (v2) <ops>"), "jobslot acme Field app -v2- -ops-");
        assert_eq!(client_name(&site, &"x".repeat(200)).chars().count(), 128);
    }
}
