//! Cognito's tokens through the verifier the Lambda functions use: moto plays Cognito
//! (a user pool, an app client, `InitiateAuth` with USER_PASSWORD_AUTH), so the AWS path is
//! proven here without an AWS account. `#[ignore]`d in a plain `cargo test`; `cargo xtask test`
//! runs it against the moto server it starts.

#[path = "support/mod.rs"]
mod support;

use jobslot_domain::setup::IntegrationInput;
use jobslot_domain::staff::Role;
use jobslot_functions::app::integrations::ClientIssuer;
use jobslot_functions::auth::{IssuerConfig, TokenRejected, TokenVerifier};
use jobslot_functions::cognito::CognitoClients;
use serde_json::{Value, json};

const REGION: &str = "us-east-1";

struct Cognito {
    endpoint: String,
    client: reqwest::Client,
}

impl Cognito {
    fn new() -> Self {
        let endpoint = std::env::var("JOBSLOT_DYNAMODB_ENDPOINT")
            .expect("JOBSLOT_DYNAMODB_ENDPOINT must name the moto server (cargo xtask test starts one)");
        Self { endpoint, client: reqwest::Client::new() }
    }

    /// One Cognito Identity Provider API call, as the AWS SDK would make it.
    async fn call(&self, action: &str, body: Value) -> Value {
        let (status, answer) = self.call_raw(action, body).await;
        assert!((200..300).contains(&status), "{action}: {status} {answer}");
        answer
    }

    /// The same, answering the status and the body whatever they are.
    async fn call_raw(&self, action: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(&self.endpoint)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("AWSCognitoIdentityProviderService.{action}"))
            // moto routes by the signing scope; it does not check the signature.
            .header(
                "authorization",
                format!("AWS4-HMAC-SHA256 Credential=test/20261123/{REGION}/cognito-idp/aws4_request, SignedHeaders=host, Signature=0"),
            )
            .body(body.to_string())
            .send()
            .await
            .expect("moto answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A pool with an app client and a user; returns (pool id, client id, access token).
    async fn signed_in_user(&self, client_name: &str) -> (String, String, String) {
        let pool = self.call("CreateUserPool", json!({ "PoolName": "jobslot-staff" })).await;
        let pool_id = pool["UserPool"]["Id"].as_str().expect("pool id").to_owned();
        let client = self
            .call(
                "CreateUserPoolClient",
                json!({ "UserPoolId": pool_id, "ClientName": client_name,
                        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
            )
            .await;
        let client_id = client["UserPoolClient"]["ClientId"].as_str().expect("client id").to_owned();
        self.call("AdminCreateUser", json!({ "UserPoolId": pool_id, "Username": "dispatch@acme.example" }))
            .await;
        self.call(
            "AdminSetUserPassword",
            json!({ "UserPoolId": pool_id, "Username": "dispatch@acme.example",
                    "Password": "Str0ng-Passw0rd!", "Permanent": true }),
        )
        .await;
        let auth = self
            .call(
                "InitiateAuth",
                json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                        "AuthParameters": { "USERNAME": "dispatch@acme.example", "PASSWORD": "Str0ng-Passw0rd!" } }),
            )
            .await;
        let token = auth["AuthenticationResult"]["AccessToken"].as_str().expect("access token").to_owned();
        (pool_id, client_id, token)
    }

    fn verifier(&self, pool_id: &str, clients: Vec<String>) -> TokenVerifier {
        TokenVerifier::new(IssuerConfig {
            // Cognito's real issuer form; moto serves the keys on its own address.
            issuer: format!("https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"),
            jwks_url: format!("{}/{pool_id}/.well-known/jwks.json", self.endpoint),
            clients,
        })
        .expect("verifier")
    }
}

#[tokio::test]
#[ignore = "needs moto's Cognito; cargo xtask test starts one"]
async fn a_cognito_access_token_verifies_through_the_functions_verifier() {
    let cognito = Cognito::new();
    let (pool_id, client_id, token) = cognito.signed_in_user("jobslot-console").await;
    let subject = cognito.verifier(&pool_id, vec![client_id]).verify(&token).await.expect("verified");
    assert!(
        matches!(subject, jobslot_functions::auth::Subject::Known(ref id) if !id.is_empty()),
        "{subject:?}"
    );
}

#[tokio::test]
#[ignore = "needs moto's Cognito; cargo xtask test starts one"]
async fn a_cognito_token_for_another_client_or_pool_is_refused() {
    let cognito = Cognito::new();
    let (pool_id, _client_id, token) = cognito.signed_in_user("someone-elses-app").await;
    let other_client = cognito.verifier(&pool_id, vec!["jobslot-console-client".into()]).verify(&token).await;
    assert_eq!(other_client, Err(TokenRejected::Audience));
    let (other_pool, client_id, _) = cognito.signed_in_user("jobslot-console").await;
    let wrong_pool = cognito.verifier(&other_pool, vec![client_id]).verify(&token).await;
    assert!(wrong_pool.is_err(), "{wrong_pool:?}");
}

#[tokio::test]
#[ignore = "needs moto's Cognito; cargo xtask test starts one"]
async fn each_integration_gets_its_own_cognito_client_and_removing_it_deletes_the_client() {
    let cognito = Cognito::new();
    let pool = cognito.call("CreateUserPool", json!({ "PoolName": "jobslot-staff" })).await;
    let pool_id = pool["UserPool"]["Id"].as_str().expect("pool id").to_owned();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&cognito.endpoint)
        .region(aws_config::Region::new(REGION))
        .credentials_provider(aws_sdk_cognitoidentityprovider::config::Credentials::new(
            "test", "test", None, None, "moto",
        ))
        .load()
        .await;
    let token_endpoint = "https://staff.auth.us-east-1.amazoncognito.com/oauth2/token";
    let clients = CognitoClients::with_config(
        &config,
        pool_id.clone(),
        "jobslot/work-orders".into(),
        token_endpoint.into(),
    );
    let (store, _dir) = support::embedded_store();
    let app = support::demo_app(store).await;
    let owner = jobslot_domain::ids::UserId::parse("u", "owner-1").expect("user");
    app.repository()
        .save_member(&jobslot_functions::repository::Member {
            site: jobslot_functions::demo::site_id(),
            user: owner.clone(),
            email: jobslot_domain::contact::Email::parse("e", "owner@acme.example").expect("email"),
            role: Role::Owner,
            technician: None,
            invited_at: None,
        })
        .await
        .expect("owner");
    let site = &jobslot_functions::demo::site_id();
    let named = |name: &str| IntegrationInput { name: name.into() };
    let field_app = app.create_integration(site, &owner, &clients, &named("Field app")).await.expect("made");
    let crm = app.create_integration(site, &owner, &clients, &named("CRM")).await.expect("made");
    assert_ne!(field_app.client_id, crm.client_id, "no two integrations share a client");
    assert_ne!(field_app.client_secret, crm.client_secret);
    assert_eq!(field_app.token_endpoint, token_endpoint);

    let described = |client: String| {
        let (cognito, pool_id) = (&cognito, pool_id.clone());
        async move {
            cognito
                .call_raw("DescribeUserPoolClient", json!({ "UserPoolId": pool_id, "ClientId": client }))
                .await
        }
    };
    let (status, field) = described(field_app.client_id.to_string()).await;
    assert_eq!(status, 200, "{field}");
    let client = &field["UserPoolClient"];
    assert_eq!(client["AllowedOAuthFlows"], json!(["client_credentials"]));
    assert_eq!(client["AllowedOAuthScopes"], json!(["jobslot/work-orders"]));
    assert_eq!(
        client["ClientSecret"],
        field_app.client_secret.as_str(),
        "the secret shown once is Cognito's"
    );
    // The store lists it as the site's integrator; Jobslot keeps no copy of its secret.
    let listed = app.repository().machine_client(&field_app.client_id).await.expect("read").expect("listed");
    assert_eq!(listed.secret_hash, None);
    let member = app.repository().member(&jobslot_functions::demo::site_id(), &field_app.client_id).await;
    assert_eq!(member.expect("read").expect("a member").role, Role::Integrator);

    app.remove_integration(site, &owner, &clients, &field_app.client_id).await.expect("removed");
    let (status, gone) = described(field_app.client_id.to_string()).await;
    assert_eq!(status, 400, "the client is gone from Cognito: {gone}");
    assert_eq!(gone["__type"], "ResourceNotFoundException");
    assert!(app.repository().machine_client(&field_app.client_id).await.expect("read").is_none());
    let (status, _) = described(crm.client_id.to_string()).await;
    assert_eq!(status, 200, "the other integration keeps its client");
    // Removing it again (a retry) finds nothing to do at Cognito.
    clients.delete_client(&field_app.client_id).await.expect("already gone is done");
    // Cognito cannot replace a secret: the owner is told what to do instead.
    let refused = app.rotate_integration(site, &owner, &clients, &crm.client_id).await;
    assert!(matches!(refused, Err(jobslot_functions::app::AppError::Validation(_))), "{refused:?}");
}
