//! A site's webhook endpoints, each stored with its signing secrets. Every change is written
//! with its audit entry, and only over the version read (two owners editing at once cannot
//! undo each other's change unnoticed).

use super::{Repository, decode, encode, put};
use crate::store::{Condition, SkRange, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::ids::SiteId;
use jobslot_domain::webhook::{Endpoint, EndpointId};
use serde::{Deserialize, Serialize};

/// An endpoint with what signs its requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRecord {
    #[allow(missing_docs)]
    pub endpoint: Endpoint,
    /// Newest first. The newest never expires; a replaced one signs too until its expiry.
    pub secrets: Vec<SigningSecret>,
}

/// One secret an endpoint's requests are signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSecret {
    /// `whsec_` and the key in base64, as the owner copied it.
    pub secret: String,
    /// After a rotation: when it stops signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

impl WebhookRecord {
    /// The secrets that sign a request at `now`, newest first.
    pub fn signing_secrets(&self, now: Timestamp) -> impl Iterator<Item = &str> {
        self.secrets.iter().filter(move |s| s.expires_at.is_none_or(|t| t > now)).map(|s| s.secret.as_str())
    }
}

/// A record as read, with what a write over it must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWebhook {
    #[allow(missing_docs)]
    pub record: WebhookRecord,
    stored: String,
}

impl<S: Store> Repository<S> {
    /// The site's endpoints, oldest first.
    pub async fn webhooks(&self, site: &SiteId) -> Result<Vec<StoredWebhook>, StoreError> {
        let items = self.store.query(&keys::webhooks_partition(site), &SkRange::Prefix("EP#".into())).await?;
        let mut stored: Vec<StoredWebhook> = items
            .iter()
            .map(|item| Ok(StoredWebhook { record: decode(item)?, stored: item.data.clone() }))
            .collect::<Result<_, StoreError>>()?;
        stored.sort_by_key(|s| s.record.endpoint.created_at);
        Ok(stored)
    }

    /// One endpoint, if the site has it.
    pub async fn webhook(&self, site: &SiteId, id: &EndpointId) -> Result<Option<StoredWebhook>, StoreError> {
        let item = self.store.get(&keys::webhook(site, id)).await?;
        item.map(|item| Ok(StoredWebhook { record: decode(&item)?, stored: item.data })).transpose()
    }

    /// Writes `record` (new if `before` is none, else over `before` if nobody changed it
    /// since) with `audit`; false when someone did.
    pub async fn save_webhook(
        &self,
        site: &SiteId,
        before: Option<&StoredWebhook>,
        record: &WebhookRecord,
        audit: Write,
    ) -> Result<bool, StoreError> {
        let condition = before.map_or(Condition::NotExists, |b| Condition::Unchanged(b.stored.clone()));
        let item = encode(keys::webhook(site, &record.endpoint.id), record, None)?;
        match self.store.transact(vec![put(item, condition), audit]).await {
            Ok(()) => Ok(true),
            Err(StoreError::ConditionFailed(_)) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// Removes an endpoint, with `audit`. Its delivery records stay until they expire.
    pub async fn delete_webhook(
        &self,
        site: &SiteId,
        id: &EndpointId,
        audit: Write,
    ) -> Result<(), StoreError> {
        self.store.transact(vec![Write::Delete { key: keys::webhook(site, id) }, audit]).await
    }
}
