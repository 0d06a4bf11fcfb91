//! Technicians and the coverage index that finds them by postcode.
//!
//! Saving indexes first and commits after: the coverage entries of a save are written under a
//! fresh token (in chunks, as a technician covering 2,000 ZIP codes needs more entries than
//! one transaction holds), then the technician item naming that token is written in one
//! conditional write, then the previous save's entries are deleted. A lookup keeps only
//! entries whose token the technician item names, so a half-finished or superseded save is
//! never visible and a crash leaves only garbage that the next save of the technician removes.

use super::audit::AuditWrite;
use super::{Repository, decode, encode, get_all, put};
use crate::store::{Condition, Item, Key, MAX_WRITES, SkRange, Store, StoreError, Write, keys};
use jobslot_domain::area::{ServiceArea, bucket};
use jobslot_domain::audit::AuditEntry;
use jobslot_domain::ids::{SiteId, TechnicianId};
use jobslot_domain::postcode::{Country, Postcode};
use jobslot_domain::site::Technician;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// A technician as stored: the record and where its coverage entries are.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    technician: Technician,
    #[serde(default)]
    coverage_token: String,
    #[serde(default)]
    coverage_buckets: Vec<String>,
}

/// One technician's areas within one bucket.
#[derive(Serialize, Deserialize)]
struct CoverageEntry {
    technician: TechnicianId,
    token: String,
    areas: Vec<ServiceArea>,
}

/// What must hold for a save to happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// Save whatever is there (seeding, migrations).
    Any,
    /// Only if no technician has the id (a create).
    Absent,
    /// Only if the stored record still has this version (an `If-Match` edit).
    Version(String),
}

impl Precondition {
    /// The store condition that makes the save happen only if this still holds when written,
    /// given the record read just before (`current`); refuses at once what already fails.
    pub(crate) fn condition(&self, current: Option<&Item>) -> Result<Condition, SaveRefused> {
        match (self, current) {
            (Precondition::Absent, Some(_)) | (Precondition::Version(_), None) => Err(SaveRefused::Exists),
            (Precondition::Version(v), Some(item)) if *v != version_of(item) => Err(SaveRefused::Changed),
            (_, Some(item)) => Ok(Condition::Unchanged(item.data.clone())),
            (_, None) => Ok(Condition::NotExists),
        }
    }
}

/// Why a versioned save (a technician, a site) was refused.
#[derive(Debug, thiserror::Error)]
pub enum SaveRefused {
    /// The record exists (create) or does not (edit).
    #[error("technician exists or is missing")]
    Exists,
    /// Someone else changed it since the given version was read.
    #[error("changed by someone else")]
    Changed,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The version of a stored record: a hash of exactly what is stored.
pub fn version_of(item: &Item) -> String {
    hex::encode(&Sha256::digest(item.data.as_bytes())[..12])
}

impl<S: Store> Repository<S> {
    /// A technician with the version of its stored record.
    pub async fn technician(
        &self,
        site: &SiteId,
        id: &TechnicianId,
    ) -> Result<Option<(Technician, String)>, StoreError> {
        let Some(item) = self.store.get(&keys::technician(site, id)).await? else { return Ok(None) };
        let stored: Stored = decode(&item)?;
        Ok(Some((stored.technician, version_of(&item))))
    }

    /// Every technician of a site, by id.
    pub async fn technicians(&self, site: &SiteId) -> Result<Vec<Technician>, StoreError> {
        let (pk, range) = keys::technicians_of(site);
        let stored: Vec<Stored> =
            self.store.query(&pk, &range).await?.iter().map(decode).collect::<Result<_, _>>()?;
        Ok(stored.into_iter().map(|s| s.technician).collect())
    }

    /// Saves a technician, re-indexing its areas for a site in `country`, and records `audit`
    /// in the same write as the technician; returns the new version.
    pub async fn save_technician(
        &self,
        tech: &Technician,
        country: Country,
        precondition: Precondition,
        audit: Option<&AuditEntry>,
    ) -> Result<String, SaveRefused> {
        let key = keys::technician(&tech.site, &tech.id);
        let current = self.store.get(&key).await?;
        let condition = precondition.condition(current.as_ref())?;
        let previous: Option<Stored> = current.as_ref().map(decode).transpose()?;

        let token = hex::encode(crate::random::bytes::<8>());
        let mut by_bucket: BTreeMap<String, Vec<ServiceArea>> = BTreeMap::new();
        for area in &tech.areas {
            for b in area.buckets(country) {
                by_bucket.entry(b).or_default().push(area.clone());
            }
        }
        let entries = by_bucket
            .iter()
            .map(|(b, areas)| {
                let entry =
                    CoverageEntry { technician: tech.id.clone(), token: token.clone(), areas: areas.clone() };
                Ok(put(
                    encode(keys::coverage(&tech.site, b, &tech.id, &token), &entry, None)?,
                    Condition::Always,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.write_in_chunks(entries).await?;

        let stored = Stored {
            technician: tech.clone(),
            coverage_token: token.clone(),
            coverage_buckets: by_bucket.keys().cloned().collect(),
        };
        let item = encode(key, &stored, None)?;
        let version = version_of(&item);
        let mut commit = vec![put(item, condition)];
        if let Some(audit) = audit {
            commit.push(audit.write(&tech.site)?);
        }
        match self.store.transact(commit).await {
            Ok(()) => {}
            Err(StoreError::ConditionFailed(_)) => {
                self.drop_coverage(&tech.site, &tech.id, &token, by_bucket.keys()).await;
                return Err(SaveRefused::Changed);
            }
            Err(other) => {
                self.drop_coverage(&tech.site, &tech.id, &token, by_bucket.keys()).await;
                return Err(other.into());
            }
        }
        if let Some(previous) = previous.filter(|p| !p.coverage_token.is_empty()) {
            self.drop_coverage(
                &tech.site,
                &tech.id,
                &previous.coverage_token,
                previous.coverage_buckets.iter(),
            )
            .await;
        }
        Ok(version)
    }

    /// Indexes technicians saved before the bucketed coverage index existed (they carry no
    /// coverage token); returns how many. Run at start-up; cheap when there is nothing to do.
    pub async fn reindex_legacy_technicians(
        &self,
        site: &SiteId,
        country: Country,
    ) -> Result<usize, SaveRefused> {
        let (pk, range) = keys::technicians_of(site);
        let legacy: Vec<Stored> = self
            .store
            .query(&pk, &range)
            .await?
            .iter()
            .map(decode::<Stored>)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|s| s.coverage_token.is_empty())
            .collect();
        for stored in &legacy {
            self.save_technician(&stored.technician, country, Precondition::Any, None).await?;
        }
        Ok(legacy.len())
    }

    /// Writes independent items in transactions of at most [`MAX_WRITES`].
    async fn write_in_chunks(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        let mut writes = writes;
        while !writes.is_empty() {
            let rest = writes.split_off(writes.len().min(MAX_WRITES));
            self.store.transact(writes).await?;
            writes = rest;
        }
        Ok(())
    }

    /// Deletes one save's coverage entries. Failing only leaves entries no lookup accepts.
    async fn drop_coverage<'a>(
        &self,
        site: &SiteId,
        tech: &TechnicianId,
        token: &str,
        buckets: impl Iterator<Item = &'a String>,
    ) {
        let deletes = buckets.map(|b| Write::Delete { key: keys::coverage(site, b, tech, token) }).collect();
        if let Err(error) = self.write_in_chunks(deletes).await {
            tracing::warn!(error = %error, "stale coverage entries left behind; the next save removes them");
        }
    }

    /// The active technicians whose areas contain the postcode, by id.
    pub async fn technicians_serving(
        &self,
        site: &SiteId,
        postcode: &Postcode,
    ) -> Result<Vec<Technician>, StoreError> {
        let candidates = self.serving_candidates(site, postcode).await?;
        self.confirm_serving(site, &candidates).await
    }

    /// Who the coverage index says serves the postcode: one query on the postcode's bucket.
    /// Their own records confirm it ([`Self::confirm_serving`]); a caller may read their
    /// schedules meanwhile, so a search waits for two rounds of reads, not three.
    pub async fn serving_candidates(
        &self,
        site: &SiteId,
        postcode: &Postcode,
    ) -> Result<Candidates, StoreError> {
        let partition = keys::coverage_partition(site, &bucket(postcode));
        let entries: Vec<CoverageEntry> = self
            .store
            .query(&partition, &SkRange::Prefix("TECH#".into()))
            .await?
            .iter()
            .map(decode)
            .collect::<Result<_, _>>()?;
        Ok(Candidates(
            entries
                .into_iter()
                .filter(|e| e.areas.iter().any(|a| a.contains(postcode)))
                .map(|e| (e.technician, e.token))
                .collect(),
        ))
    }

    /// The candidates whose current record is the save that filed them, and who are active,
    /// by id. Their records are read in concurrent batches.
    pub async fn confirm_serving(
        &self,
        site: &SiteId,
        candidates: &Candidates,
    ) -> Result<Vec<Technician>, StoreError> {
        let wanted: Vec<Key> = candidates.ids().into_iter().map(|id| keys::technician(site, id)).collect();
        confirmed(candidates, &get_all(&self.store, &wanted).await?)
    }
}

/// Of the candidates' technician `records`, the active ones whose record is the save that
/// filed them, by id.
pub(super) fn confirmed(candidates: &Candidates, records: &[Item]) -> Result<Vec<Technician>, StoreError> {
    let mut serving: Vec<Technician> = records
        .iter()
        .map(decode::<Stored>)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|s| candidates.0.contains(&(s.technician.id.clone(), s.coverage_token.clone())))
        .map(|s| s.technician)
        .filter(|t| t.active)
        .collect();
    serving.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(serving)
}

/// Technicians the coverage index files under a postcode, with the save that filed each.
#[derive(Debug, Clone, Default)]
pub struct Candidates(BTreeSet<(TechnicianId, String)>);

impl Candidates {
    /// Each candidate once, by id.
    pub fn ids(&self) -> Vec<&TechnicianId> {
        let mut ids: Vec<&TechnicianId> = self.0.iter().map(|(id, _)| id).collect();
        ids.dedup();
        ids
    }
}
