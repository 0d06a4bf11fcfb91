//! Staff records: members of sites and their roles, platform operators, and the local
//! issuer's accounts, signing key and one-time grants.

use super::{Repository, decode, encode, put};
use crate::store::{Condition, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::{SiteId, TechnicianId, UserId};
use jobslot_domain::staff::Role;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Someone's role on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The site.
    pub site: SiteId,
    /// The user, as the identity provider names them.
    pub user: UserId,
    /// Their e-mail address, to show in the member list.
    pub email: Email,
    /// What they may do.
    pub role: Role,
    /// For a technician: the technician record whose jobs are theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<TechnicianId>,
}

/// An account of the local issuer: e-mail and argon2 password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The `sub` of its tokens.
    pub user: UserId,
    /// Sign-in name.
    pub email: Email,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// When it was created.
    pub created_at: Timestamp,
}

/// A machine client of the local issuer (an integrator's system): its secret's hash and the
/// site it was made for. What it may do is its membership of that site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineClient {
    /// The client id, also the `sub` of its tokens.
    pub client_id: UserId,
    /// The site it belongs to.
    pub site: SiteId,
    /// What the owner called it.
    pub name: String,
    /// SHA-256 of its secret (a random 256-bit secret needs no slow hash).
    pub secret_hash: String,
    /// When it was made.
    pub created_at: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct SigningKey {
    pkcs8_hex: String,
}

#[derive(Serialize, Deserialize)]
struct Used {
    at: Timestamp,
}

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum AccountRefused {
    /// An account with the e-mail exists.
    #[error("an account with this e-mail address exists")]
    EmailTaken,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<S: Store> Repository<S> {
    /// A machine client by id.
    pub async fn machine_client(&self, client_id: &UserId) -> Result<Option<MachineClient>, StoreError> {
        self.load(&keys::machine_client(client_id)).await
    }

    /// Saves a new machine client with its membership (and `extra` writes: the audit entry)
    /// in one write.
    pub async fn create_machine_client(
        &self,
        client: &MachineClient,
        member: &Member,
        extra: Vec<Write>,
    ) -> Result<(), StoreError> {
        let mut writes =
            vec![put(encode(keys::machine_client(&client.client_id), client, None)?, Condition::NotExists)];
        writes.extend(self.member_writes(member)?);
        writes.extend(extra);
        self.store.transact(writes).await
    }

    /// The user's membership of `site`, if any.
    pub async fn member(&self, site: &SiteId, user: &UserId) -> Result<Option<Member>, StoreError> {
        self.load(&keys::member(site, user)).await
    }

    /// Adds or changes a member (and the copy listing the user's sites) atomically.
    pub async fn save_member(&self, member: &Member) -> Result<(), StoreError> {
        self.store.transact(self.member_writes(member)?).await
    }

    /// The writes that record a member: the site's entry and the user's copy.
    pub fn member_writes(&self, member: &Member) -> Result<Vec<Write>, StoreError> {
        Ok(vec![
            put(encode(keys::member(&member.site, &member.user), member, None)?, Condition::Always),
            put(encode(keys::membership(&member.user, &member.site), member, None)?, Condition::Always),
        ])
    }

    /// Writes prepared elsewhere (a member and its audit entry), all or none.
    pub async fn write_all(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        self.store.transact(writes).await
    }

    /// Every member of a site.
    pub async fn members(&self, site: &SiteId) -> Result<Vec<Member>, StoreError> {
        let (pk, range) = keys::members_of(site);
        self.store.query(&pk, &range).await?.iter().map(decode).collect()
    }

    /// Every site the user is a member of.
    pub async fn memberships(&self, user: &UserId) -> Result<Vec<Member>, StoreError> {
        let (pk, range) = keys::memberships_of(user);
        self.store.query(&pk, &range).await?.iter().map(decode).collect()
    }

    /// Whether the user is a platform operator.
    pub async fn is_operator(&self, user: &UserId) -> Result<bool, StoreError> {
        Ok(self.store.get(&keys::operator(user)).await?.is_some())
    }

    /// Makes the user a platform operator.
    pub async fn add_operator(&self, user: &UserId) -> Result<(), StoreError> {
        let item = encode(keys::operator(user), &serde_json::json!({ "user": user }), None)?;
        self.store.transact(vec![put(item, Condition::Always)]).await
    }

    /// The local account signing in with `email`.
    pub async fn account(&self, email: &Email) -> Result<Option<Account>, StoreError> {
        self.load(&keys::account(email.as_str())).await
    }

    /// Creates a local account unless the e-mail address is taken.
    pub async fn create_account(&self, account: &Account) -> Result<(), AccountRefused> {
        let item = encode(keys::account(account.email.as_str()), account, None)?;
        match self.store.transact(vec![put(item, Condition::NotExists)]).await {
            Err(StoreError::ConditionFailed(_)) => Err(AccountRefused::EmailTaken),
            other => Ok(other?),
        }
    }

    /// Replaces an account's password hash.
    pub async fn set_password_hash(&self, email: &Email, password_hash: String) -> Result<bool, StoreError> {
        let key = keys::account(email.as_str());
        let Some(item) = self.store.get(&key).await? else { return Ok(false) };
        let account: Account = decode(&item)?;
        let changed = Account { password_hash, ..account };
        let write = put(encode(key, &changed, None)?, Condition::Unchanged(item.data));
        self.store.transact(vec![write]).await?;
        Ok(true)
    }

    /// The local issuer's signing key, creating `fresh` as the key if there is none yet.
    /// Concurrent first starts agree on one key: the first write wins, the others read it.
    pub async fn signing_key_or_insert(&self, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
        let record = SigningKey { pkcs8_hex: hex::encode(fresh) };
        let written =
            self.store.transact(vec![put(encode(keys::signing_key(), &record, None)?, Condition::NotExists)]);
        match written.await {
            Ok(()) => return Ok(fresh.to_vec()),
            Err(StoreError::ConditionFailed(_)) => {}
            Err(other) => return Err(other),
        }
        let stored: SigningKey = self
            .load(&keys::signing_key())
            .await?
            .ok_or_else(|| StoreError::Backend(anyhow::anyhow!("signing key vanished")))?;
        hex::decode(stored.pkcs8_hex).map_err(|e| StoreError::Backend(e.into()))
    }

    /// Keeps a one-time grant (an authorization code or refresh token) under the hash of its
    /// secret, until `expires_at` (Unix s).
    pub async fn save_grant(
        &self,
        secret_hash: &str,
        grant: &impl Serialize,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let item = encode(keys::grant(secret_hash), grant, Some(expires_at))?;
        self.store.transact(vec![put(item, Condition::NotExists)]).await
    }

    /// Ends every refresh token of a sign-in family (kept for the longest a sign-in lasts).
    pub async fn revoke_family(&self, family: &str, now: Timestamp) -> Result<(), StoreError> {
        let expires = now.as_second() + crate::app::identity::REFRESH_SECONDS;
        let item = encode(keys::grant_family_revoked(family), &Used { at: now }, Some(expires))?;
        self.store.transact(vec![put(item, Condition::Always)]).await
    }

    /// Whether a sign-in family was ended.
    pub async fn family_revoked(&self, family: &str) -> Result<bool, StoreError> {
        Ok(self.store.get(&keys::grant_family_revoked(family)).await?.is_some())
    }

    /// A grant that has not expired (used or not: [`Repository::use_grant`] decides that).
    pub async fn get_grant<G: DeserializeOwned>(
        &self,
        secret_hash: &str,
        now: Timestamp,
    ) -> Result<Option<G>, StoreError> {
        match self.store.get(&keys::grant(secret_hash)).await? {
            Some(item) if !item.is_expired(now.as_second()) => decode(&item).map(Some),
            _ => Ok(None),
        }
    }

    /// Uses a grant: returns it the first time it is presented before it expires, and never
    /// again. With `replacement`, a new grant is saved in the same write (refresh rotation).
    pub async fn use_grant<G: DeserializeOwned>(
        &self,
        secret_hash: &str,
        now: Timestamp,
        replacement: Option<(&str, &serde_json::Value, i64)>,
    ) -> Result<Option<G>, StoreError> {
        let Some(item) = self.store.get(&keys::grant(secret_hash)).await? else { return Ok(None) };
        if item.is_expired(now.as_second()) {
            return Ok(None);
        }
        let grant: G = decode(&item)?;
        let mut writes: Vec<Write> = vec![put(
            encode(keys::grant_used(secret_hash), &Used { at: now }, item.expires_at)?,
            Condition::NotExists,
        )];
        if let Some((hash, record, expires_at)) = replacement {
            writes.push(put(encode(keys::grant(hash), record, Some(expires_at))?, Condition::NotExists));
        }
        match self.store.transact(writes).await {
            Ok(()) => Ok(Some(grant)),
            Err(StoreError::ConditionFailed(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }
}
