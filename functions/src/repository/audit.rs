//! The per-site audit trail: who changed what, when. Entries are written in the same
//! transaction as the change they describe, so the trail never misses or invents one.

use super::{Repository, decode, encode, put};
use crate::store::{Condition, SkRange, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::ids::{SiteId, UserId};
use serde::{Deserialize, Serialize};

/// One change to a site's setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who (the identity provider's user id).
    pub user: UserId,
    /// Their e-mail address when they did it.
    pub email: String,
    /// What kind of change (`technician.created`, `settings.changed`, …).
    pub action: String,
    /// What it was done to (a technician id, a member's e-mail, …).
    pub target: String,
}

/// One page of the trail, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass back as `cursor` for the next (older) page; absent on the last page.
    pub next: Option<String>,
}

impl AuditEntry {
    /// The write that records the entry in `site`'s trail.
    pub fn write(&self, site: &SiteId) -> Result<Write, StoreError> {
        let id = crate::random::ordered_id();
        Ok(put(encode(keys::audit(site, self.at, &id), self, None)?, Condition::NotExists))
    }
}

impl<S: Store> Repository<S> {
    /// Up to `limit` entries older than `cursor` (a sort key from a previous page), newest first.
    pub async fn audit(
        &self,
        site: &SiteId,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<AuditPage, StoreError> {
        let upper = match cursor {
            Some(c) if c.starts_with("AT#") => c.to_owned(),
            _ => "AT$".to_owned(),
        };
        let items = self
            .store
            .query(&keys::audit_partition(site), &SkRange::Between("AT#".into(), upper.clone()))
            .await?;
        let mut newest_first: Vec<_> = items.into_iter().filter(|i| i.key.sk < upper).collect();
        newest_first.reverse();
        let more = newest_first.len() > limit;
        newest_first.truncate(limit);
        let next = if more { newest_first.last().map(|i| i.key.sk.clone()) } else { None };
        let entries = newest_first.iter().map(decode).collect::<Result<_, _>>()?;
        Ok(AuditPage { entries, next })
    }
}
