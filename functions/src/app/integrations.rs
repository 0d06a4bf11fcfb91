//! Integrators' systems: one machine client per integration, made by whoever issues the
//! deployment's tokens (the local issuer self-hosted, Cognito on AWS), and a member of its
//! site with the integrator role. No two integrations share a credential, so removing one
//! ends exactly that system's access; a client the store no longer lists is nobody, whatever
//! tokens it still holds ([`crate::auth::Subject::Client`]).

use super::{App, AppError};
use crate::repository::{AuditWrite, MachineClient, Member};
use crate::store::Store;
use jobslot_domain::FieldError;
use jobslot_domain::ids::{SiteId, UserId};
use jobslot_domain::setup::{IntegrationCreated, IntegrationInput};
use jobslot_domain::staff::{Action, Role};

/// A new client.
pub struct IssuedClient {
    /// What the store keeps of it.
    pub record: MachineClient,
    /// Its secret, shown to the owner once.
    pub secret: String,
}

/// Whoever issues integrations' client credentials.
#[async_trait::async_trait]
pub trait ClientIssuer: Send + Sync {
    /// Makes a client called `name` for `site`.
    async fn create_client(&self, site: &SiteId, name: &str) -> Result<IssuedClient, AppError>;

    /// Ends `client` at the issuer, once the store no longer lists it.
    async fn delete_client(&self, client: &UserId) -> Result<(), AppError>;

    /// A new secret for a client: its hash to keep, and the secret. `None` where the issuer
    /// cannot replace a client's secret.
    fn new_secret(&self) -> Option<(String, String)>;

    /// Where a client gets its tokens (the client-credentials grant).
    fn token_endpoint(&self) -> String;
}

impl<S: Store> App<S> {
    /// Makes a client for an integrator's system and a member of the site with the
    /// integrator role; its secret is in the answer, once. A client made at the issuer whose
    /// membership cannot be written is deleted again.
    pub async fn create_integration(
        &self,
        site: &SiteId,
        user: &UserId,
        issuer: &dyn ClientIssuer,
        input: &IntegrationInput,
    ) -> Result<IntegrationCreated, AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageMembers).await?;
        let name = jobslot_domain::text::Text::parse("name", &input.name, 60)?;
        let issued = issuer.create_client(&site.id, name.as_str()).await?;
        let client = issued.record;
        // Machine clients have no mailbox: `.invalid` (RFC 2606) says so wherever it shows.
        let email = jobslot_domain::contact::Email::parse(
            "email",
            &format!("{}@integrations.invalid", client.client_id),
        )?;
        let machine = Member {
            site: site.id.clone(),
            user: client.client_id.clone(),
            email,
            role: Role::Integrator,
            technician: None,
            invited_at: None,
        };
        let audit =
            self.audit_entry(&member, "integration.created", client.client_id.as_str()).write(&site.id)?;
        if let Err(error) = self.repo.create_machine_client(&client, &machine, vec![audit]).await {
            if let Err(undo) = issuer.delete_client(&client.client_id).await {
                tracing::error!(error = %undo, "an integration's client outlived its failed creation");
            }
            return Err(error.into());
        }
        Ok(IntegrationCreated {
            client_id: client.client_id,
            client_secret: issued.secret,
            token_endpoint: issuer.token_endpoint(),
        })
    }

    /// The site's integration `client`, for an owner: its machine client and the caller's
    /// membership.
    async fn integration(
        &self,
        site: &SiteId,
        user: &UserId,
        client: &UserId,
    ) -> Result<(MachineClient, Member), AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageMembers).await?;
        // Another site's client is as absent as a made-up one.
        match self.repo.machine_client(client).await? {
            Some(found) if found.site == site.id => Ok((found, member)),
            _ => Err(AppError::NotFound),
        }
    }

    /// Removes an integration: its client, its membership and its secret. The store forgets
    /// it first, which ends its access at once (its tokens name a client nobody lists); then
    /// the issuer deletes the client, so it gets no new tokens either.
    pub async fn remove_integration(
        &self,
        site: &SiteId,
        user: &UserId,
        issuer: &dyn ClientIssuer,
        client: &UserId,
    ) -> Result<(), AppError> {
        let (client, member) = self.integration(site, user, client).await?;
        let audit = self
            .audit_entry(&member, "integration.removed", client.client_id.as_str())
            .write(&client.site)?;
        self.repo.delete_machine_client(&client, vec![audit]).await?;
        issuer.delete_client(&client.client_id).await
    }

    /// Gives an integration a new secret, shown once; the old one stops working at once.
    pub async fn rotate_integration(
        &self,
        site: &SiteId,
        user: &UserId,
        issuer: &dyn ClientIssuer,
        client: &UserId,
    ) -> Result<IntegrationCreated, AppError> {
        let (client, member) = self.integration(site, user, client).await?;
        let Some((hash, secret)) = issuer.new_secret() else {
            return Err(FieldError::new(
                "client",
                "This deployment's sign-in (Cognito) cannot give a client a new secret: add a new integration, then remove this one.",
            )
            .into());
        };
        let audit = self
            .audit_entry(&member, "integration.rotated", client.client_id.as_str())
            .write(&client.site)?;
        match self.repo.rotate_machine_client(&client, hash, vec![audit]).await {
            Err(crate::store::StoreError::ConditionFailed(_)) => return Err(AppError::PreconditionFailed),
            other => other?,
        }
        Ok(IntegrationCreated {
            client_id: client.client_id,
            client_secret: secret,
            token_endpoint: issuer.token_endpoint(),
        })
    }
}
