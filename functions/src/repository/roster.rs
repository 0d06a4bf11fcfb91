//! The roster: what a slot search needs of every technician of a site (name, hours, time off,
//! services, zone, and which save's coverage entries are current), in one item beside the
//! site's own, so a search reads both in one request. A technician's save writes its roster
//! entry in the same transaction as the technician, so the two never disagree.
//!
//! Areas stay out of it (the coverage index has them, and a technician's list can be long), so
//! a roster holds about 600 technicians before it nears DynamoDB's 400 KB item limit.

use super::technicians::{Candidates, Stored};
use super::{Repository, decode, encode, put};
use crate::store::{Condition, Store, StoreError, Write, keys};
use jobslot_domain::ids::{SiteId, TechnicianId};
use jobslot_domain::site::{Site, Technician};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A site's technicians as searches see them, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    technicians: BTreeMap<TechnicianId, Rostered>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Rostered {
    /// The record without its areas.
    technician: Technician,
    /// The save whose coverage entries are the technician's current ones.
    coverage_token: String,
}

impl Roster {
    /// The active candidates whose coverage entries come from their current save, by id.
    pub fn serving(&self, candidates: &Candidates) -> Vec<Technician> {
        self.technicians
            .values()
            .filter(|r| r.technician.active && candidates.filed(&r.technician.id, &r.coverage_token))
            .map(|r| r.technician.clone())
            .collect()
    }

    /// The roster with `stored` as its technician's entry.
    pub(super) fn with(mut self, stored: &Stored) -> Self {
        let technician = Technician { areas: Vec::new(), ..stored.technician.clone() };
        let entry = Rostered { technician, coverage_token: stored.coverage_token.clone() };
        self.technicians.insert(stored.technician.id.clone(), entry);
        self
    }
}

impl<S: Store> Repository<S> {
    /// A site and its roster, in one request.
    pub async fn site_with_roster(&self, site: &SiteId) -> Result<Option<(Site, Roster)>, StoreError> {
        let (site_key, roster_key) = (keys::site(site), keys::roster(site));
        let items = self.store.get_many(&[site_key.clone(), roster_key.clone()]).await?;
        let Some(site_item) = items.iter().find(|i| i.key == site_key) else { return Ok(None) };
        let roster = match items.iter().find(|i| i.key == roster_key) {
            Some(item) => decode(item)?,
            None => self.rebuild_roster(site).await?,
        };
        Ok(Some((decode(site_item)?, roster)))
    }

    /// A site's roster.
    pub async fn roster(&self, site: &SiteId) -> Result<Roster, StoreError> {
        Ok(self.roster_for_update(site).await?.0)
    }

    /// The roster and the condition under which its next state may be written: unchanged since
    /// this read, or still absent.
    pub(super) async fn roster_for_update(&self, site: &SiteId) -> Result<(Roster, Condition), StoreError> {
        match self.store.get(&keys::roster(site)).await? {
            Some(item) => Ok((decode(&item)?, Condition::Unchanged(item.data))),
            None => Ok((self.roster_from_records(site).await?, Condition::NotExists)),
        }
    }

    /// The write of `roster` as `site`'s, under `condition`.
    pub(super) fn roster_write(
        site: &SiteId,
        roster: &Roster,
        condition: Condition,
    ) -> Result<Write, StoreError> {
        Ok(put(encode(keys::roster(site), roster, None)?, condition))
    }

    /// Builds and keeps a missing roster (a site saved before rosters existed). Another
    /// request may keep one first; either is built from the same records.
    async fn rebuild_roster(&self, site: &SiteId) -> Result<Roster, StoreError> {
        let roster = self.roster_from_records(site).await?;
        match self.store.transact(vec![Self::roster_write(site, &roster, Condition::NotExists)?]).await {
            Ok(()) | Err(StoreError::ConditionFailed(_)) => Ok(roster),
            Err(other) => Err(other),
        }
    }

    async fn roster_from_records(&self, site: &SiteId) -> Result<Roster, StoreError> {
        let (pk, range) = keys::technicians_of(site);
        let items = self.store.query(&pk, &range).await?;
        items
            .iter()
            .map(decode::<Stored>)
            .try_fold(Roster::default(), |roster, stored| Ok(roster.with(&stored?)))
    }
}
