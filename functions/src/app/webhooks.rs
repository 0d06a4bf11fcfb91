//! Webhook endpoints: where a site's events are posted, registered by its owners and
//! integrators. Each has its own signing secret, shown once when made; a rotation keeps the
//! replaced secret signing for a day so the receiver can switch without missing a delivery.

use super::{App, AppError};
use crate::repository::{AuditWrite, Member, SigningSecret, StoredWebhook, WebhookRecord};
use crate::store::Store;
use jiff::SignedDuration;
use jobslot_domain::FieldError;
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::UserId;
use jobslot_domain::site::Site;
use jobslot_domain::staff::{Action, Role};
use jobslot_domain::webhook::{
    Endpoint, EndpointId, EndpointInput, EndpointPage, EndpointWithSecret, MAX_ENDPOINTS,
    ROTATION_OVERLAP_HOURS,
};

/// Most secrets one endpoint signs with at once (the current one and those still overlapping).
const MAX_SECRETS: usize = 3;

impl<S: Store> App<S> {
    /// The site's endpoints the caller manages (an owner all, an integrator its own), oldest
    /// first.
    pub async fn webhook_endpoints(&self, site: &SiteId, user: &UserId) -> Result<EndpointPage, AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageWebhooks).await?;
        let stored = self.repo.webhooks(&site.id).await?;
        let items = stored.into_iter().map(|s| s.record.endpoint).filter(|e| manages(&member, e)).collect();
        Ok(EndpointPage { items })
    }

    /// Registers an endpoint; it hears of events from now on.
    pub async fn create_webhook(
        &self,
        site: &SiteId,
        user: &UserId,
        input: &EndpointInput,
    ) -> Result<EndpointWithSecret, AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageWebhooks).await?;
        let settings = input.parse(self.webhook_targets).map_err(AppError::Validation)?;
        if self.repo.webhooks(&site.id).await?.len() >= MAX_ENDPOINTS {
            return Err(FieldError::new(
                "url",
                format!("A site can have at most {MAX_ENDPOINTS} endpoints."),
            )
            .into());
        }
        let endpoint = Endpoint {
            id: EndpointId::from_random(crate::random::bytes()),
            url: settings.url,
            events: settings.events,
            description: settings.description,
            enabled: settings.enabled,
            created_at: self.clock.now(),
            created_by: Some(member.user.clone()),
            failing_since: None,
            paused_at: None,
        };
        let secret = crate::webhook::new_secret();
        let record = WebhookRecord {
            endpoint: endpoint.clone(),
            secrets: vec![SigningSecret { secret: secret.clone(), expires_at: None }],
        };
        let audit = self.audit_entry(&member, "webhook.created", endpoint.id.as_str()).write(&site.id)?;
        if !self.repo.save_webhook(&site.id, None, &record, audit).await? {
            return Err(AppError::AlreadyExists);
        }
        Ok(EndpointWithSecret { endpoint, secret, previous_secret_valid_until: None })
    }

    /// Changes an endpoint's address, events, description or state; its secret stays.
    pub async fn change_webhook(
        &self,
        site: &SiteId,
        user: &UserId,
        id: &EndpointId,
        input: &EndpointInput,
    ) -> Result<Endpoint, AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageWebhooks).await?;
        let stored = self.stored_webhook(&site, &member, id).await?;
        let settings = input.parse(self.webhook_targets).map_err(AppError::Validation)?;
        let before = &stored.record.endpoint;
        // Turned on again by hand: its failures so far no longer count towards a pause.
        let restarted = settings.enabled && !before.enabled;
        let endpoint = Endpoint {
            url: settings.url,
            events: settings.events,
            description: settings.description,
            enabled: settings.enabled,
            failing_since: if restarted { None } else { before.failing_since },
            paused_at: if settings.enabled { None } else { before.paused_at },
            ..before.clone()
        };
        let record = WebhookRecord { endpoint: endpoint.clone(), ..stored.record.clone() };
        let audit = self.audit_entry(&member, "webhook.changed", endpoint.id.as_str()).write(&site.id)?;
        if self.repo.save_webhook(&site.id, Some(&stored), &record, audit).await? {
            Ok(endpoint)
        } else {
            Err(AppError::PreconditionFailed)
        }
    }

    /// Gives an endpoint a new secret; the one it replaces signs too for a day.
    pub async fn rotate_webhook_secret(
        &self,
        site: &SiteId,
        user: &UserId,
        id: &EndpointId,
    ) -> Result<EndpointWithSecret, AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageWebhooks).await?;
        let stored = self.stored_webhook(&site, &member, id).await?;
        let now = self.clock.now();
        let until = now + SignedDuration::from_hours(ROTATION_OVERLAP_HOURS);
        let secret = crate::webhook::new_secret();
        let mut secrets = vec![SigningSecret { secret: secret.clone(), expires_at: None }];
        secrets.extend(stored.record.secrets.iter().filter(|s| s.expires_at.is_none_or(|t| t > now)).map(
            |s| SigningSecret { expires_at: Some(s.expires_at.map_or(until, |t| t.min(until))), ..s.clone() },
        ));
        secrets.truncate(MAX_SECRETS);
        let record = WebhookRecord { secrets, ..stored.record.clone() };
        let audit = self.audit_entry(&member, "webhook.secret_rotated", id.as_str()).write(&site.id)?;
        if !self.repo.save_webhook(&site.id, Some(&stored), &record, audit).await? {
            return Err(AppError::PreconditionFailed);
        }
        Ok(EndpointWithSecret { endpoint: record.endpoint, secret, previous_secret_valid_until: Some(until) })
    }

    /// Removes an endpoint: nothing more is posted to it.
    pub async fn delete_webhook(
        &self,
        site: &SiteId,
        user: &UserId,
        id: &EndpointId,
    ) -> Result<(), AppError> {
        let (site, member) = self.authorize(site, user, Action::ManageWebhooks).await?;
        let stored = self.stored_webhook(&site, &member, id).await?;
        let audit = self.audit_entry(&member, "webhook.deleted", id.as_str()).write(&site.id)?;
        self.repo.delete_webhook(&site.id, &stored.record.endpoint.id, audit).await?;
        Ok(())
    }

    /// The endpoint `id`, if the caller manages it: another integrator's is as absent as a
    /// made-up one, so its secret can neither be rotated nor its events redirected.
    async fn stored_webhook(
        &self,
        site: &Site,
        member: &Member,
        id: &EndpointId,
    ) -> Result<StoredWebhook, AppError> {
        match self.repo.webhook(&site.id, id).await? {
            Some(stored) if manages(member, &stored.record.endpoint) => Ok(stored),
            _ => Err(AppError::NotFound),
        }
    }
}

/// Whether `member` manages `endpoint`: owners every endpoint, others those they registered.
fn manages(member: &Member, endpoint: &Endpoint) -> bool {
    member.role == Role::Owner || endpoint.created_by.as_ref() == Some(&member.user)
}
