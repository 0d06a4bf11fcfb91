//! The per-site audit trail: who changed what, when. Entries are written in the same
//! transaction as the change they describe, so the trail never misses or invents one.

use super::{Repository, decode, encode, put};
use crate::store::{Condition, SkRange, Store, StoreError, Write, keys};
use jobslot_domain::audit::{AuditEntry, AuditPage};
use jobslot_domain::ids::SiteId;

/// The write of an entry into a site's trail, for the transaction of the change it records.
pub trait AuditWrite {
    /// The write that records the entry in `site`'s trail.
    fn write(&self, site: &SiteId) -> Result<Write, StoreError>;
}

impl AuditWrite for AuditEntry {
    fn write(&self, site: &SiteId) -> Result<Write, StoreError> {
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
