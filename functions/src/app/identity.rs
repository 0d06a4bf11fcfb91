//! The local issuer's use cases: accounts, sign-in, and the OAuth 2.0 authorization-code flow
//! with PKCE and rotating refresh tokens (RFC 6749, RFC 7636).
//!
//! Secrets (codes, refresh tokens) are random, returned once, and stored only as SHA-256
//! hashes; each can be used once, which one conditional write decides.

use crate::auth::LocalIssuer;
use crate::auth::issuer::{ACCESS_TOKEN_SECONDS, CONSOLE_CLIENT_ID};
use crate::auth::password;
use crate::repository::{Account, AccountRefused, Repository};
use crate::store::Store;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jobslot_domain::FieldError;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::UserId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Clock;
use super::failed_sign_ins::FailedSignIns;

/// How long an authorization code may wait to be exchanged.
const CODE_SECONDS: i64 = 120;
/// How long a refresh token lives; each use replaces it with a new one.
pub const REFRESH_SECONDS: i64 = 30 * 24 * 3600;

/// A validated authorization request: a known client, its redirect URI, a PKCE challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The client asking.
    pub client_id: String,
    /// Where the code goes; registered for the client.
    pub redirect_uri: String,
    /// BASE64URL(SHA-256(code_verifier)).
    pub code_challenge: String,
    /// Opaque value the client gets back.
    pub state: Option<String>,
}

/// What `/oauth2/authorize` was sent, before checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawAuthorization {
    /// Must be `code`.
    pub response_type: String,
    /// The console's own client id: the only client this self-hosted issuer serves.
    pub client_id: String,
    /// Where to send the code.
    pub redirect_uri: String,
    /// The PKCE challenge.
    pub code_challenge: String,
    /// Must be `S256`.
    pub code_challenge_method: String,
    /// Returned to the client untouched.
    pub state: Option<String>,
}

/// Why an authorization request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizationRefused {
    /// The client or redirect URI is unknown: show an error, never redirect (RFC 6749 §4.1.2.1).
    UntrustedRedirect,
    /// The redirect URI is trusted; tell the client what was wrong there.
    Invalid {
        /// Where to send the error.
        redirect_uri: String,
        /// An RFC 6749 error code.
        error: &'static str,
        /// The client's state.
        state: Option<String>,
    },
}

/// Tokens for a signed-in user (RFC 6749 §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    /// The JWT to send as `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// One-time token for the next access token (not for machine clients, which ask again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Why a token request is refused, as RFC 6749 §5.2 error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefused {
    /// Code or refresh token unknown, used, expired, or not this client's; or PKCE failed.
    #[error("invalid_grant")]
    InvalidGrant,
    /// A parameter is missing or malformed.
    #[error("invalid_request")]
    InvalidRequest,
    /// Not a grant type this issuer supports.
    #[error("unsupported_grant_type")]
    UnsupportedGrantType,
    /// The client is not known.
    #[error("invalid_client")]
    InvalidClient,
    /// The store failed.
    #[error("server_error")]
    ServerError,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum Grant {
    Code {
        user: UserId,
        client_id: String,
        redirect_uri: String,
        code_challenge: String,
    },
    /// A refresh token of a sign-in `family`: each refresh passes the family on, so a stolen
    /// token that is used twice ends every token of that sign-in, and `started` bounds its life.
    Refresh {
        user: UserId,
        client_id: String,
        family: String,
        started: i64,
        /// `started` to the millisecond, to tell a sign-in from a password change in the same
        /// second; absent in tokens issued before it was kept.
        #[serde(default)]
        started_ms: Option<i64>,
    },
    /// A link that sets the account's password (`super::accounts`): an invitation's, or a
    /// reset's.
    SetPassword {
        user: UserId,
        email: Email,
        invitation: bool,
    },
}

/// One sign-in's lineage of refresh tokens.
#[derive(Debug, Clone)]
struct Session {
    family: String,
    started: i64,
    started_ms: i64,
}

/// The local issuer over a store.
#[derive(Clone)]
pub struct Identity<S> {
    pub(super) repo: Repository<S>,
    issuer: LocalIssuer,
    pub(super) clock: Clock,
    /// Each argon2 run takes ~19 MiB and tens of milliseconds: a flood of sign-ins queues here
    /// instead of exhausting memory and the blocking pool.
    argon2_slots: std::sync::Arc<tokio::sync::Semaphore>,
    failed_sign_ins: std::sync::Arc<FailedSignIns>,
}

/// Password hashes computed at once.
const ARGON2_SLOTS: usize = 4;

/// Failed sign-ins per client, and per e-mail address, before attempts are slowed: ten in a
/// quarter of an hour.
const FAILED_SIGN_INS: u32 = 10;
const FAILED_SIGN_IN_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// What a sign-in attempt comes to.
#[derive(Debug)]
pub enum SignIn {
    /// The password matches this account.
    Accepted(Account),
    /// Unknown address or wrong password (the two are not told apart).
    Refused,
    /// Too many failed attempts from this client lately; it may try again after this many
    /// seconds.
    TooManyAttempts(u64),
}

impl SignIn {
    /// The account, if the attempt was accepted.
    pub fn accepted(self) -> Option<Account> {
        match self {
            SignIn::Accepted(account) => Some(account),
            SignIn::Refused | SignIn::TooManyAttempts(_) => None,
        }
    }
}

/// A new user id: 16 random bytes, hex.
pub(super) fn new_user_id() -> Result<UserId, jobslot_domain::FieldError> {
    UserId::parse("user", &hex::encode(crate::random::bytes::<16>()))
}

/// A new random secret: 32 bytes, URL-safe base64 (43 characters).
pub(super) fn secret() -> String {
    URL_SAFE_NO_PAD.encode(crate::random::bytes::<{ jobslot_domain::connector::TOKEN_BYTES }>())
}

/// What is stored of a secret: its SHA-256, hex.
pub(super) fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl<S: Store> Identity<S> {
    /// The issuer `issuer` keeping its records in `repo`.
    pub fn new(repo: Repository<S>, issuer: LocalIssuer, clock: Clock) -> Self {
        Self {
            repo,
            issuer,
            clock,
            argon2_slots: std::sync::Arc::new(tokio::sync::Semaphore::new(ARGON2_SLOTS)),
            failed_sign_ins: std::sync::Arc::new(FailedSignIns::new(FAILED_SIGN_INS, FAILED_SIGN_IN_WINDOW)),
        }
    }

    /// The same issuer allowing `limit` failed sign-ins per client and per e-mail address in
    /// `window`.
    #[must_use]
    pub fn with_failed_sign_in_limit(mut self, limit: u32, window: std::time::Duration) -> Self {
        self.failed_sign_ins = std::sync::Arc::new(FailedSignIns::new(limit, window));
        self
    }

    /// The signing issuer (for its discovery document and JWKS).
    pub fn issuer(&self) -> &LocalIssuer {
        &self.issuer
    }

    /// The redirect URIs registered for the console: its page on this issuer's host.
    fn redirect_allowed(&self, client_id: &str, redirect_uri: &str) -> bool {
        client_id == CONSOLE_CLIENT_ID && redirect_uri == format!("{}/admin/", self.issuer.issuer())
    }

    /// Creates an account with a password [`password::check_new`] accepts.
    pub async fn create_account(&self, email: &str, new_password: &str) -> Result<Account, super::AppError> {
        let email = Email::parse("email", email)?;
        password::check_new("password", new_password)?;
        let password_hash = Some(self.hash(new_password.to_owned()).await?);
        let account = Account {
            user: new_user_id()?,
            email,
            password_hash,
            created_at: self.clock.now(),
            sessions_since: None,
        };
        match self.repo.create_account(&account).await {
            Ok(()) => Ok(account),
            Err(AccountRefused::EmailTaken) => {
                Err(FieldError::new("email", "An account with this e-mail address exists.").into())
            }
            Err(AccountRefused::Store(e)) => Err(e.into()),
        }
    }

    /// Gives an existing account a new generated password (returned once, to the operator at
    /// the console running `add-operator`): whoever knew the old one is locked out, and every
    /// sign-in of the account ends.
    pub async fn reset_password(&self, email: &Email) -> Result<Option<String>, super::AppError> {
        let new_password = password::generate();
        let hash = self.hash(new_password.clone()).await?;
        Ok(self.repo.set_password_hash(email, hash, self.clock.now()).await?.then_some(new_password))
    }

    /// Whether `given` matches the PHC `hash`, checked off the async threads, a few at a time.
    pub(super) async fn verify(&self, given: &str, hash: String) -> Result<bool, super::AppError> {
        let given = given.to_owned();
        let _permit = self.argon2_slots.acquire().await.map_err(anyhow::Error::from)?;
        Ok(tokio::task::spawn_blocking(move || password::verify(&given, &hash))
            .await
            .map_err(anyhow::Error::from)?)
    }

    /// Hashes a password off the async threads, a few at a time.
    pub(super) async fn hash(&self, password: String) -> Result<String, super::AppError> {
        let _permit = self.argon2_slots.acquire().await.map_err(anyhow::Error::from)?;
        Ok(tokio::task::spawn_blocking(move || password::hash(&password))
            .await
            .map_err(anyhow::Error::from)??)
    }

    /// The account with this e-mail and password, tried from `client` (its network address,
    /// as the rate limits key it). Takes as long for an unknown address as for a wrong
    /// password, so sign-in does not reveal who has an account; counts failures per client
    /// and per address, known or not, for the same reason. A client past its limit is refused
    /// for a while; an address past its limit is only slowed (see [`FailedSignIns`]), so a
    /// stranger's guesses cannot keep its owner out.
    pub async fn sign_in(&self, client: &str, email: &str, given: &str) -> Result<SignIn, super::AppError> {
        if let Some(seconds) = self.failed_sign_ins.client_blocked_for(client) {
            return Ok(SignIn::TooManyAttempts(seconds));
        }
        let address = Email::parse("email", email).ok();
        // Accounts are found whatever the address's case; so are their failures.
        let key = address.as_ref().map(|a| a.as_str().to_lowercase());
        if let Some(key) = &key {
            let hold = self.failed_sign_ins.account_hold(key);
            if !hold.is_zero() {
                tokio::time::sleep(hold).await;
            }
        }
        let account = match &address {
            Some(email) => self.repo.account(email).await?,
            None => None,
        };
        // An account still waiting for its first password verifies against the decoy, as an
        // unknown address does: nobody can sign in to it, and nobody can tell it exists.
        let hash = account
            .as_ref()
            .and_then(|a| a.password_hash.clone())
            .unwrap_or_else(|| password::decoy().to_owned());
        let matches = self.verify(given, hash).await?;
        match (account, key) {
            (Some(account), Some(key)) if matches && account.password_hash.is_some() => {
                self.failed_sign_ins.succeeded(client, &key);
                Ok(SignIn::Accepted(account))
            }
            (_, key) => {
                self.failed_sign_ins.failed(client, key.as_deref());
                Ok(SignIn::Refused)
            }
        }
    }

    /// Checks an authorization request before anyone is asked to sign in.
    pub fn authorization(
        &self,
        raw: &RawAuthorization,
    ) -> Result<AuthorizationRequest, AuthorizationRefused> {
        if !self.redirect_allowed(&raw.client_id, &raw.redirect_uri) {
            return Err(AuthorizationRefused::UntrustedRedirect);
        }
        let state = raw.state.clone().filter(|s| !s.is_empty());
        let invalid = |error| AuthorizationRefused::Invalid {
            redirect_uri: raw.redirect_uri.clone(),
            error,
            state: state.clone(),
        };
        if raw.response_type != "code" {
            return Err(invalid("unsupported_response_type"));
        }
        let challenge_ok = raw.code_challenge.len() == 43
            && raw.code_challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if raw.code_challenge_method != "S256" || !challenge_ok {
            return Err(invalid("invalid_request"));
        }
        if state.as_ref().is_some_and(|s| s.len() > 512) {
            return Err(invalid("invalid_request"));
        }
        Ok(AuthorizationRequest {
            client_id: raw.client_id.clone(),
            redirect_uri: raw.redirect_uri.clone(),
            code_challenge: raw.code_challenge.clone(),
            state,
        })
    }

    /// A one-time authorization code for a signed-in user.
    pub async fn issue_code(
        &self,
        request: &AuthorizationRequest,
        user: &UserId,
    ) -> Result<String, super::AppError> {
        let code = secret();
        let grant = Grant::Code {
            user: user.clone(),
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            code_challenge: request.code_challenge.clone(),
        };
        let expires_at = self.clock.now().as_second() + CODE_SECONDS;
        self.repo.save_grant(&digest(&code), &grant, expires_at).await?;
        Ok(code)
    }

    /// Exchanges a code and its PKCE verifier for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        client_id: &str,
        redirect_uri: &str,
        verifier: &str,
    ) -> Result<TokenResponse, TokenRefused> {
        // RFC 7636 §4.1: 43 to 128 unreserved characters.
        let verifier_ok = (43..=128).contains(&verifier.len())
            && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
        if code.is_empty() || !verifier_ok {
            return Err(TokenRefused::InvalidRequest);
        }
        let now = self.clock.now();
        let grant = self
            .repo
            .use_grant::<Grant>(&digest(code), now, None)
            .await
            .map_err(|_| TokenRefused::ServerError)?;
        let Some(Grant::Code { user, client_id: issued_to, redirect_uri: issued_for, code_challenge }) =
            grant
        else {
            return Err(TokenRefused::InvalidGrant);
        };
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        if issued_to != client_id || issued_for != redirect_uri || challenge != code_challenge {
            return Err(TokenRefused::InvalidGrant);
        }
        self.tokens(&user, client_id, None).await
    }

    /// Exchanges a refresh token for new tokens; the old refresh token stops working.
    pub async fn refresh(&self, refresh_token: &str, client_id: &str) -> Result<TokenResponse, TokenRefused> {
        if refresh_token.is_empty() {
            return Err(TokenRefused::InvalidRequest);
        }
        let now = self.clock.now();
        let grant = self
            .repo
            .get_grant::<Grant>(&digest(refresh_token), now)
            .await
            .map_err(|_| TokenRefused::ServerError)?;
        let Some(Grant::Refresh { user, client_id: issued_to, family, started, started_ms }) = grant else {
            return Err(TokenRefused::InvalidGrant);
        };
        let started_ms = started_ms.unwrap_or(started * 1000);
        if issued_to != client_id
            || now.as_second() >= started + REFRESH_SECONDS
            || self.repo.family_revoked(&family).await.map_err(|_| TokenRefused::ServerError)?
            || !self.may_stay_signed_in(&user, started_ms).await.map_err(|_| TokenRefused::ServerError)?
        {
            return Err(TokenRefused::InvalidGrant);
        }
        let session = Session { family: family.clone(), started, started_ms };
        match self.tokens(&user, client_id, Some((refresh_token, session))).await {
            // Used before: whoever holds this token is not the only one who has it (RFC 9700
            // §4.14.2). End the whole sign-in, the legitimate holder included.
            Err(TokenRefused::InvalidGrant) => {
                self.repo
                    .revoke_family(&family, now, now.as_second() + REFRESH_SECONDS)
                    .await
                    .map_err(|_| TokenRefused::ServerError)?;
                Err(TokenRefused::InvalidGrant)
            }
            other => other,
        }
    }

    /// Whether a sign-in of `user` that started at `started` (Unix s) may go on: their password
    /// has not changed since, and they still belong somewhere (a member of a site, or an
    /// operator); someone removed from their last site is signed out at their next refresh.
    async fn may_stay_signed_in(
        &self,
        user: &UserId,
        started_ms: i64,
    ) -> Result<bool, crate::store::StoreError> {
        if let Some((account, _)) = self.repo.account_of(user).await?
            && super::accounts::ended_by_password_change(&account, started_ms)
        {
            return Ok(false);
        }
        Ok(!self.repo.memberships(user).await?.is_empty() || self.repo.is_operator(user).await?)
    }

    /// Ends a refresh token's life (sign-out); unknown tokens are fine (RFC 7009 §2.2).
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), super::AppError> {
        let now = self.clock.now();
        if let Some(Grant::Refresh { family, .. }) =
            self.repo.get_grant::<Grant>(&digest(refresh_token), now).await?
        {
            self.repo.revoke_family(&family, now, now.as_second() + REFRESH_SECONDS).await?;
        }
        self.repo.use_grant::<serde_json::Value>(&digest(refresh_token), now, None).await?;
        Ok(())
    }

    /// A fresh access token and refresh token; when `replacing` is given, that refresh token
    /// is used up in the same write that stores the new one, so only one of two concurrent
    /// refreshes with it succeeds.
    async fn tokens(
        &self,
        user: &UserId,
        client_id: &str,
        replacing: Option<(&str, Session)>,
    ) -> Result<TokenResponse, TokenRefused> {
        if client_id != CONSOLE_CLIENT_ID {
            return Err(TokenRefused::InvalidClient);
        }
        let now = self.clock.now().as_second();
        let access_token = self
            .issuer
            .access_token(user.as_str(), now, ACCESS_TOKEN_SECONDS)
            .map_err(|_| TokenRefused::ServerError)?;
        let refresh_token = secret();
        let session = match &replacing {
            Some((_, session)) => session.clone(),
            None => Session {
                family: hex::encode(crate::random::bytes::<12>()),
                started: now,
                started_ms: self.clock.now().as_millisecond(),
            },
        };
        let grant = Grant::Refresh {
            user: user.clone(),
            client_id: client_id.to_owned(),
            family: session.family.clone(),
            started: session.started,
            started_ms: Some(session.started_ms),
        };
        let record = serde_json::to_value(&grant).map_err(|_| TokenRefused::ServerError)?;
        // A sign-in lasts REFRESH_SECONDS however often it is refreshed.
        let new = (digest(&refresh_token), session.started + REFRESH_SECONDS);
        match replacing.map(|(old, _)| old) {
            None => {
                self.repo.save_grant(&new.0, &record, new.1).await.map_err(|_| TokenRefused::ServerError)?
            }
            Some(old) => {
                let used = self
                    .repo
                    .use_grant::<Grant>(&digest(old), self.clock.now(), Some((&new.0, &record, new.1)))
                    .await
                    .map_err(|_| TokenRefused::ServerError)?;
                if used.is_none() {
                    return Err(TokenRefused::InvalidGrant);
                }
            }
        }
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ACCESS_TOKEN_SECONDS,
            refresh_token: Some(refresh_token),
        })
    }

    /// An access token for a machine client that proves its secret (RFC 6749 §4.4).
    pub async fn client_credentials(
        &self,
        client_id: &str,
        client_secret: &str,
    ) -> Result<TokenResponse, TokenRefused> {
        let id = UserId::parse("client_id", client_id).map_err(|_| TokenRefused::InvalidClient)?;
        let client = self.repo.machine_client(&id).await.map_err(|_| TokenRefused::ServerError)?;
        let expected = client.as_ref().and_then(|c| c.secret_hash.as_deref());
        let given = digest(client_secret);
        // Hashes compared in constant time; an unknown client compares against nothing.
        let matches =
            |hash: &str| bool::from(subtle::ConstantTimeEq::ct_eq(given.as_bytes(), hash.as_bytes()));
        if !expected.is_some_and(matches) {
            return Err(TokenRefused::InvalidClient);
        }
        let now = self.clock.now().as_second();
        let access_token = self
            .issuer
            .machine_token(id.as_str(), now, ACCESS_TOKEN_SECONDS)
            .map_err(|_| TokenRefused::ServerError)?;
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: ACCESS_TOKEN_SECONDS,
            refresh_token: None,
        })
    }

    /// A new secret for a machine client: its hash to keep, and the secret to show once.
    pub fn new_client_secret(&self) -> (String, String) {
        let secret = secret();
        (digest(&secret), secret)
    }
}

/// Self-hosted, the local issuer makes integrations' clients: a record in the store holding
/// the secret's hash, which the client-credentials grant checks.
#[async_trait::async_trait]
impl<S: Store> super::integrations::ClientIssuer for Identity<S> {
    async fn create_client(
        &self,
        site: &jobslot_domain::ids::SiteId,
        name: &str,
    ) -> Result<super::integrations::IssuedClient, super::AppError> {
        let secret = secret();
        let client_id =
            UserId::parse("client_id", &format!("mc-{}", hex::encode(crate::random::bytes::<10>())))?;
        let record = crate::repository::MachineClient {
            client_id,
            site: site.clone(),
            name: name.to_owned(),
            secret_hash: Some(digest(&secret)),
            created_at: self.clock.now(),
        };
        Ok(super::integrations::IssuedClient { record, secret })
    }

    /// The record is the client: removing it from the store was all there was to do.
    async fn delete_client(&self, _: &UserId) -> Result<(), super::AppError> {
        Ok(())
    }

    fn new_secret(&self) -> Option<(String, String)> {
        Some(self.new_client_secret())
    }

    fn token_endpoint(&self) -> String {
        format!("{}/oauth2/token", self.issuer.issuer())
    }
}
