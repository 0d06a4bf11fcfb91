//! Integrators' machine clients: made by an owner, signed in with the client-credentials
//! grant, allowed to read the site's work orders and nothing else.

use crate::helpers::{SITE, TestApp, problem, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use base64::Engine;
use jobslot_domain::dispatch::WorkOrderPage;
use jobslot_domain::setup::IntegrationCreated;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn token(app: &TestApp, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> (StatusCode, Value) {
    let mut request = app.client.post(format!("{}/oauth2/token", app.base)).form(form);
    if let Some((id, secret)) = basic {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
        request = request.header("authorization", format!("Basic {encoded}"));
    }
    let response = request.send().await.expect("token request");
    (response.status(), response.json().await.expect("json"))
}

#[tokio::test]
async fn an_integrators_client_reads_work_orders_and_nothing_else() {
    let app = spawn_app().await;
    let owner = app.owner_token().await;
    let booked = app.submit("integration-order-1", &submission(FIRST_SLOT)).await;
    assert_eq!(booked.status(), StatusCode::CREATED);

    let response = app
        .client
        .post(format!("{}{SITE}/integrations", app.base))
        .bearer_auth(&owner)
        .json(&json!({ "name": "Field app" }))
        .send()
        .await
        .expect("create");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: IntegrationCreated = response.json().await.expect("json");
    assert!(created.token_endpoint.ends_with("/oauth2/token"));
    let id = created.client_id.to_string();

    let (status, body) = token(
        &app,
        &[("grant_type", "client_credentials"), ("client_id", &id), ("client_secret", "wrong")],
        None,
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_client")));
    let (status, _) = token(&app, &[("grant_type", "client_credentials")], Some(("mc-nobody", "x"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) =
        token(&app, &[("grant_type", "client_credentials")], Some((&id, &created.client_secret))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("refresh_token").is_none(), "a machine client asks again instead");
    let machine = body["access_token"].as_str().expect("token").to_owned();
    let (status, _) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &created.client_secret),
        ],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the form works as well as Basic");

    let get = |path: String| app.client.get(format!("{}{SITE}{path}", app.base)).bearer_auth(&machine).send();
    let page: WorkOrderPage = get("/work-orders".into()).await.expect("list").json().await.expect("json");
    assert_eq!(page.items.len(), 1);
    let number = page.items[0].number.to_string();
    assert_eq!(get(format!("/work-orders/{number}")).await.expect("read").status(), StatusCode::OK);
    problem(get("/settings".into()).await.expect("settings"), StatusCode::FORBIDDEN, "forbidden").await;
    problem(get("/members".into()).await.expect("members"), StatusCode::FORBIDDEN, "forbidden").await;
    let change = app
        .client
        .patch(format!("{}{SITE}/work-orders/{number}", app.base))
        .bearer_auth(&machine)
        .header("if-match", "\"whatever\"")
        .json(&json!({ "status": "enroute" }))
        .send()
        .await
        .expect("patch");
    problem(change, StatusCode::FORBIDDEN, "forbidden").await;
    let follow_up = app
        .client
        .post(format!("{}{SITE}/work-orders/{number}/follow-up", app.base))
        .bearer_auth(&machine)
        .header("idempotency-key", "integrator-follow-up-1")
        .json(&json!({ "technician": "sam-nguyen", "start": "2026-11-24T22:00:00Z" }))
        .send()
        .await
        .expect("follow-up");
    problem(follow_up, StatusCode::FORBIDDEN, "forbidden").await;

    // It is listed among the members, as an integrator.
    let members = app.staff_get(&format!("{SITE}/members"), &owner).await;
    let roles: Vec<&str> =
        members["items"].as_array().expect("items").iter().filter_map(|m| m["role"].as_str()).collect();
    assert!(roles.contains(&"integrator"), "{members}");
}

/// An access token shaped as Cognito's client-credentials tokens are: no `aud`, the client
/// id as `client_id` and `sub`, from a client the verifier's configuration does not name.
fn own_client_token(app: &TestApp, client: &str) -> String {
    let now = jiff::Timestamp::now().as_second();
    let claims = json!({
        "iss": app.base, "sub": client, "client_id": client, "token_use": "access",
        "iat": now, "exp": now + 900, "jti": format!("t-{client}"),
    });
    app.issuer.sign(&claims).expect("signed")
}

#[tokio::test]
async fn a_client_made_at_run_time_is_someone_only_while_an_integration_lists_it() {
    let app = spawn_app().await;
    let owner = app.owner_token().await;
    let created: IntegrationCreated = app
        .client
        .post(format!("{}{SITE}/integrations", app.base))
        .bearer_auth(&owner)
        .header("idempotency-key", "integration-own-client-1")
        .json(&json!({ "name": "Field app" }))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let listed = own_client_token(&app, created.client_id.as_str());
    let orders = |token: String| {
        let request = app.client.get(format!("{}{SITE}/work-orders", app.base)).bearer_auth(token).send();
        async move { request.await.expect("list") }
    };
    assert_eq!(orders(listed.clone()).await.status(), StatusCode::OK);
    let unlisted = own_client_token(&app, "3n0body0listed0this0client");
    problem(orders(unlisted).await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let removed = app
        .client
        .delete(format!("{}{SITE}/integrations/{}", app.base, created.client_id))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("delete");
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    problem(orders(listed).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
