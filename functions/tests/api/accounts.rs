//! Staff accounts over their life: invitations instead of passwords handed around, password
//! resets and changes, removing people and integrations. Each test is a hole found in review
//! (issue "Staff accounts and tenants an auditor signs off"), closed.

use crate::helpers::{SITE, TestApp, fields, problem, spawn_app};
use jobslot_domain::account_mail::AccountMail;
use jobslot_domain::staff::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn add_member(app: &TestApp, token: &str, email: &str, role: &str) -> Value {
    let added = app
        .client
        .put(format!("{}{SITE}/members", app.base))
        .bearer_auth(token)
        .json(&json!({ "email": email, "role": role }))
        .send()
        .await
        .expect("put");
    assert_eq!(added.status(), StatusCode::OK);
    added.json().await.expect("json")
}

/// An owner invites `email` as a dispatcher, who sets `password` from the e-mailed link.
async fn joined(app: &TestApp, owner: &str, email: &str, password: &str) -> jobslot_domain::ids::UserId {
    add_member(app, owner, email, "dispatcher").await;
    let link = app.password_link_for(email).await;
    assert_eq!(app.set_password_through(&link, password).await.status(), StatusCode::OK);
    app.signs_in(email, password).await.expect("signs in")
}

#[tokio::test]
async fn an_invited_person_sets_their_own_password_once_and_until_then_nobody_can_sign_in() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let added = add_member(&app, &owner, "dee@acme.example", "dispatcher").await;
    assert!(added.get("password").is_none(), "no password in the answer: {added}");
    assert!(added["invited_at"].is_string(), "listed as invited: {added}");
    let mails = app.account_mail_to("dee@acme.example").await;
    let [AccountMail::Invitation { business, role, link, .. }] = mails.as_slice() else {
        panic!("{mails:?}")
    };
    assert_eq!((business.as_str(), *role), ("Acme Car Servicing", Role::Dispatcher));
    assert!(link.starts_with(&format!("{}/account/password?token=", app.base)), "{link}");
    // Before the link is used there is no password to guess, not even an empty one.
    assert_eq!(app.signs_in("dee@acme.example", "").await, None);

    let page = app.client.get(link).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer", "the token stays on this page");
    assert!(page.text().await.expect("html").contains("dee@acme.example"));
    let weak = app.set_password_through(link, "password1234").await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY, "a common password is refused");
    assert_eq!(app.set_password_through(link, "dispatch from the depot").await.status(), StatusCode::OK);
    let dee = app.signs_in("dee@acme.example", "dispatch from the depot").await.expect("signs in");
    let again = app.set_password_through(link, "someone else's choice").await;
    assert_eq!(again.status(), StatusCode::GONE, "the link works once");
    let reopened = app.client.get(link).send().await.expect("page");
    assert_eq!(reopened.status(), StatusCode::GONE, "and opens no form once used");
    assert!(app.signs_in("dee@acme.example", "someone else's choice").await.is_none());

    let members: Value = app
        .client
        .get(format!("{}{SITE}/members", app.base))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let listed = members["items"].as_array().expect("items").iter().find(|m| m["user"] == dee.as_str());
    assert!(listed.expect("listed")["invited_at"].is_null(), "a member now, no longer invited");
}

#[tokio::test]
async fn adding_an_existing_account_elsewhere_tells_them_and_gives_nobody_their_password() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let dee = joined(&app, &owner, "dee@acme.example", "dispatch from the depot").await;
    // An operator opens another business with the same person as its owner.
    let operator = app.operator().await;
    let body = json!({ "id": "dees-own", "business_name": "Dee's Own", "country": "AU", "time_zone": "Australia/Perth",
                       "currency": "AUD", "owner_email": "DEE@acme.example" });
    let created = app
        .client
        .post(format!("{}/api/sites", app.base))
        .bearer_auth(&operator)
        .header("Idempotency-Key", "dees-own-0001")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(
        (created["owner"].as_str(), created["owner_invited"].as_bool()),
        (Some(dee.as_str()), Some(false))
    );
    let mails = app.account_mail_to("dee@acme.example").await;
    assert!(
        matches!(mails.last(), Some(AccountMail::Added { business, role: Role::Owner, .. }) if business == "Dee's Own")
    );
    // Their password is theirs alone, as before.
    assert_eq!(app.signs_in("dee@acme.example", "dispatch from the depot").await, Some(dee));
}

#[tokio::test]
async fn a_reset_link_answers_alike_for_everyone_works_once_and_ends_every_sign_in() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let dee = joined(&app, &owner, "dee@acme.example", "dispatch from the depot").await;
    let refresh = app.refresh_token_for(&dee).await;
    let ask = |email: &'static str| {
        let url = format!("{}/account/forgot", app.base);
        let client = app.client.clone();
        async move { client.post(url).form(&[("email", email)]).send().await.expect("post") }
    };
    let known = ask("dee@acme.example").await;
    let unknown = ask("nobody@acme.example").await;
    assert_eq!((known.status(), unknown.status()), (StatusCode::OK, StatusCode::OK));
    assert_eq!(known.text().await.expect("html"), unknown.text().await.expect("html"));
    let link = eventually_link(&app, "dee@acme.example").await;
    assert!(app.account_mail_to("nobody@acme.example").await.is_empty());
    assert_eq!(app.set_password_through(&link, "a fresh start today").await.status(), StatusCode::OK);
    assert_eq!(app.set_password_through(&link, "a second fresh start").await.status(), StatusCode::GONE);
    assert_eq!(app.signs_in("dee@acme.example", "a fresh start today").await, Some(dee.clone()));
    assert!(app.signs_in("dee@acme.example", "dispatch from the depot").await.is_none());
    // The sign-in from before the reset cannot be refreshed any more.
    let refreshed = app.refresh(&refresh).await;
    assert_eq!(refreshed.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(
        app.account_mail_to("dee@acme.example").await.last(),
        Some(AccountMail::PasswordChanged { .. })
    ));
}

/// The reset link e-mailed to `email`; the reset is queued just after the answer.
async fn eventually_link(app: &TestApp, email: &str) -> String {
    for _ in 0..100 {
        let mails = app.account_mail_to(email).await;
        if let Some(AccountMail::Reset { link, .. }) = mails.last() {
            return link.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no reset link for {email}")
}

#[tokio::test]
async fn changing_ones_password_needs_the_current_one_and_ends_every_other_sign_in() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let dee = joined(&app, &owner, "dee@acme.example", "dispatch from the depot").await;
    let refresh = app.refresh_token_for(&dee).await;
    let url = format!("{}/api/me/password", app.base);
    let token = app.token_for(&dee);
    let wrong = app
        .client
        .put(&url)
        .bearer_auth(&token)
        .json(&json!({ "current_password": "a guess at it", "new_password": "my own new phrase" }))
        .send()
        .await;
    let wrong = problem(wrong.expect("put"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&wrong), ["current_password"]);
    let changed = app
        .client
        .put(&url)
        .bearer_auth(&token)
        .json(&json!({ "current_password": "dispatch from the depot", "new_password": "my own new phrase" }))
        .send()
        .await
        .expect("put");
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.signs_in("dee@acme.example", "my own new phrase").await, Some(dee));
    assert_eq!(app.refresh(&refresh).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_removed_member_loses_access_at_once_and_cannot_refresh_and_the_last_owner_stays() {
    let app = spawn_app().await;
    let (owner_id, owner) = app.staff(Role::Owner).await;
    let dee = joined(&app, &owner, "dee@acme.example", "dispatch from the depot").await;
    let dee_token = app.token_for(&dee);
    let refresh = app.refresh_token_for(&dee).await;
    let orders = format!("{}{SITE}/work-orders", app.base);
    let before = app.client.get(&orders).bearer_auth(&dee_token).send().await.expect("get");
    assert_eq!(before.status(), StatusCode::OK);

    let removed = app
        .client
        .delete(format!("{}{SITE}/members/{dee}", app.base))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("delete");
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    // The access token is still within its lifetime; the site does not know them any more.
    let after = app.client.get(&orders).bearer_auth(&dee_token).send().await.expect("get");
    problem(after, StatusCode::NOT_FOUND, "unknown-site").await;
    assert_eq!(app.refresh(&refresh).await.status(), StatusCode::BAD_REQUEST, "no site left to refresh for");

    let last =
        app.client.delete(format!("{}{SITE}/members/{owner_id}", app.base)).bearer_auth(&owner).send().await;
    let last = problem(last.expect("delete"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&last), ["role"]);
}

#[tokio::test]
async fn a_removed_or_rotated_integration_is_refused_at_once() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let created: Value = app
        .client
        .post(format!("{}{SITE}/integrations", app.base))
        .bearer_auth(&owner)
        .json(&json!({ "name": "Field app" }))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let (client_id, first_secret) = (
        created["client_id"].as_str().expect("id").to_owned(),
        created["client_secret"].as_str().expect("secret").to_owned(),
    );
    let token = |secret: String| {
        let (client, url, id) = (app.client.clone(), format!("{}/oauth2/token", app.base), client_id.clone());
        async move {
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", id.as_str()),
                ("client_secret", secret.as_str()),
            ];
            client.post(url).form(&form).send().await.expect("post")
        }
    };
    let access: Value = token(first_secret.clone()).await.json().await.expect("json");
    let access = access["access_token"].as_str().expect("token").to_owned();

    let rotated = app
        .client
        .post(format!("{}{SITE}/integrations/{client_id}/rotate-secret", app.base))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("post");
    assert_eq!(rotated.status(), StatusCode::OK);
    let rotated: Value = rotated.json().await.expect("json");
    let second_secret = rotated["client_secret"].as_str().expect("secret").to_owned();
    assert_ne!(second_secret, first_secret);
    assert_eq!(token(first_secret).await.status(), StatusCode::UNAUTHORIZED, "the old secret is dead");
    assert_eq!(token(second_secret.clone()).await.status(), StatusCode::OK);

    let removed = app
        .client
        .delete(format!("{}{SITE}/integrations/{client_id}", app.base))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("delete");
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(token(second_secret).await.status(), StatusCode::UNAUTHORIZED);
    let orders = app.client.get(format!("{}{SITE}/work-orders", app.base)).bearer_auth(&access).send().await;
    problem(orders.expect("get"), StatusCode::NOT_FOUND, "unknown-site").await;
}
