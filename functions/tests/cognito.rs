//! Cognito's tokens through the verifier the Lambda functions use: moto plays Cognito
//! (a user pool, an app client, `InitiateAuth` with USER_PASSWORD_AUTH), so the AWS path is
//! proven here without an AWS account. `#[ignore]`d in a plain `cargo test`; `cargo xtask test`
//! runs it against the moto server it starts.

use jobslot_functions::auth::{IssuerConfig, TokenRejected, TokenVerifier};
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
        let status = response.status();
        let text = response.text().await.expect("body");
        assert!(status.is_success(), "{action}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
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
    assert!(!subject.0.is_empty());
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
