//! Staff records: members of sites and their roles, platform operators, and the local
//! issuer's accounts, signing key and one-time grants.

use super::{Refused, Repository, Transaction, decode, encode, put};
use crate::store::{Condition, Item, Store, StoreError, Write, keys};
use jiff::Timestamp;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::{SiteId, TechnicianId, UserId};
use jobslot_domain::staff::Role;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Someone's role on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    #[allow(missing_docs)]
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
    /// When they were invited, while their account has no password yet (self-hosted): they
    /// cannot sign in until they set one through the invitation's link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invited_at: Option<Timestamp>,
}

/// An account of the local issuer: e-mail and argon2 password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The `sub` of its tokens.
    pub user: UserId,
    /// Sign-in name.
    pub email: Email,
    /// PHC string of the argon2id hash; none until the person sets a password through their
    /// invitation, and nobody can sign in to the account before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When the password last changed: refresh tokens of sign-ins started before are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_since: Option<Timestamp>,
}

/// What the owners guard holds: a count of the changes of the site's owners, rewritten by each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct OwnersGuard {
    changes: u64,
}

/// A change of a site's members that the repository checks against the last-owner rule.
#[derive(Debug, Clone)]
pub enum MemberChange {
    /// Add a member or change their role.
    Save(Member),
    /// Remove the member (both copies of the membership).
    Remove(UserId),
}

/// Why a change of members was not written.
#[derive(Debug, thiserror::Error)]
pub enum MemberChangeRefused {
    /// It would leave the site without an owner.
    #[error("a site needs at least one owner")]
    LastOwner,
    /// The member to remove is not a member.
    #[error("no such member")]
    NotAMember,
    /// The site's owners changed while this change was being made; read them again.
    #[error("the site's owners changed meanwhile")]
    Conflict,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
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
    /// SHA-256 of its secret (a random 256-bit secret needs no slow hash), where the local
    /// issuer checks it; none where Cognito holds the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
}

/// The entry that finds a local account's e-mail address from its user id.
#[derive(Serialize, Deserialize)]
struct AccountOfUser {
    email: Email,
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

    /// Applies `change` to the site's members with `extra` writes (an audit entry, an e-mail),
    /// all or nothing, unless it leaves the site without an owner. A change that touches an
    /// owner rewrites the site's owners guard on the condition that nobody else did since the
    /// members were read, so two concurrent demotions of the last two owners cannot both pass:
    /// the second fails with [`MemberChangeRefused::Conflict`] and, read again, is refused.
    pub async fn change_members(
        &self,
        site: &SiteId,
        change: &MemberChange,
        extra: Vec<Write>,
    ) -> Result<(), MemberChangeRefused> {
        let guard_key = keys::owners_guard(site);
        // The guard first: whatever is read after it is at least as new.
        let guard = self.store.get(&guard_key).await?;
        let members = self.members(site).await?;
        let who = match change {
            MemberChange::Save(member) => &member.user,
            MemberChange::Remove(user) => user,
        };
        let current = members.iter().find(|m| &m.user == who);
        let was_owner = current.is_some_and(|m| m.role == Role::Owner);
        let is_owner = matches!(change, MemberChange::Save(m) if m.role == Role::Owner);
        let writes = match change {
            MemberChange::Save(member) => self.member_writes(member)?,
            MemberChange::Remove(user) => {
                if current.is_none() {
                    return Err(MemberChangeRefused::NotAMember);
                }
                vec![
                    Write::Delete { key: keys::member(site, user) },
                    Write::Delete { key: keys::membership(user, site) },
                ]
            }
        };
        let mut tx = Transaction::new();
        tx.plain(writes);
        if was_owner != is_owner {
            let owners = members.iter().filter(|m| m.role == Role::Owner).count();
            if was_owner && owners <= 1 {
                return Err(MemberChangeRefused::LastOwner);
            }
            let (seen, condition) = match &guard {
                Some(item) => (decode::<OwnersGuard>(item)?, Condition::Unchanged(item.data.clone())),
                None => (OwnersGuard::default(), Condition::NotExists),
            };
            let next = OwnersGuard { changes: seen.changes + 1 };
            // The owners as counted above: another change of owners since fails this one.
            tx.guarded((), put(encode(guard_key, &next, None)?, condition));
        }
        tx.plain(extra);
        match self.commit(tx).await {
            Ok(()) => Ok(()),
            Err(refused) if refused.failed(()) => Err(MemberChangeRefused::Conflict),
            Err(Refused::Conditions(_)) => Err(StoreError::Conflict.into()),
            Err(Refused::Store(e)) => Err(e.into()),
        }
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

    /// The writes that create a local account (and the entry finding its e-mail by user id);
    /// they fail on the first if the e-mail address is taken.
    pub fn account_writes(&self, account: &Account) -> Result<Vec<Write>, StoreError> {
        let by_user = AccountOfUser { email: account.email.clone() };
        Ok(vec![
            put(encode(keys::account(account.email.as_str()), account, None)?, Condition::NotExists),
            put(encode(keys::account_of_user(&account.user), &by_user, None)?, Condition::NotExists),
        ])
    }

    /// Creates a local account unless the e-mail address is taken.
    pub async fn create_account(&self, account: &Account) -> Result<(), AccountRefused> {
        match self.store.transact(self.account_writes(account)?).await {
            Err(StoreError::ConditionFailed(_)) => Err(AccountRefused::EmailTaken),
            other => Ok(other?),
        }
    }

    /// The local account of `user`, found by the entry its creation wrote, or (for accounts
    /// made before that entry existed) by the e-mail of one of the user's memberships.
    pub async fn account_of(&self, user: &UserId) -> Result<Option<(Account, Item)>, StoreError> {
        let email = match self.load::<AccountOfUser>(&keys::account_of_user(user)).await? {
            Some(entry) => Some(entry.email),
            None => self.memberships(user).await?.into_iter().next().map(|m| m.email),
        };
        let Some(email) = email else { return Ok(None) };
        let Some(item) = self.store.get(&keys::account(email.as_str())).await? else { return Ok(None) };
        let account: Account = decode(&item)?;
        Ok((&account.user == user).then_some((account, item)))
    }

    /// The write that replaces an account `read` as `item` with `changed`, if nobody changed
    /// it meanwhile.
    pub fn account_update(&self, item: &Item, changed: &Account) -> Result<Write, StoreError> {
        Ok(put(encode(item.key.clone(), changed, None)?, Condition::Unchanged(item.data.clone())))
    }

    /// The account signing in with `email`, with the item it was read from.
    pub async fn account_item(&self, email: &Email) -> Result<Option<(Account, Item)>, StoreError> {
        match self.store.get(&keys::account(email.as_str())).await? {
            Some(item) => Ok(Some((decode(&item)?, item))),
            None => Ok(None),
        }
    }

    /// Replaces an account's password hash; every earlier sign-in ends.
    pub async fn set_password_hash(
        &self,
        email: &Email,
        password_hash: String,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let Some((account, item)) = self.account_item(email).await? else { return Ok(false) };
        let changed = Account { password_hash: Some(password_hash), sessions_since: Some(now), ..account };
        self.store.transact(vec![self.account_update(&item, &changed)?]).await?;
        Ok(true)
    }

    /// The writes that end every invitation of `user`'s memberships: they set a password.
    pub async fn accept_invitations(&self, user: &UserId) -> Result<Vec<Write>, StoreError> {
        let mut writes = Vec::new();
        for member in self.memberships(user).await? {
            if member.invited_at.is_some() {
                writes.extend(self.member_writes(&Member { invited_at: None, ..member })?);
            }
        }
        Ok(writes)
    }

    /// Removes a machine client, its membership of its site and its secret, with `extra`
    /// writes (the audit entry), at once: its next token request fails, and so does every
    /// request with a token it still holds.
    pub async fn delete_machine_client(
        &self,
        client: &MachineClient,
        extra: Vec<Write>,
    ) -> Result<(), StoreError> {
        let mut writes = vec![
            Write::Delete { key: keys::machine_client(&client.client_id) },
            Write::Delete { key: keys::member(&client.site, &client.client_id) },
            Write::Delete { key: keys::membership(&client.client_id, &client.site) },
        ];
        writes.extend(extra);
        self.store.transact(writes).await
    }

    /// Replaces a machine client's secret hash (and writes `extra`), if nobody changed it
    /// since it was read.
    pub async fn rotate_machine_client(
        &self,
        client: &MachineClient,
        secret_hash: String,
        extra: Vec<Write>,
    ) -> Result<(), StoreError> {
        let key = keys::machine_client(&client.client_id);
        let read = encode(key.clone(), client, None)?;
        let changed = MachineClient { secret_hash: Some(secret_hash), ..client.clone() };
        let mut writes = vec![put(encode(key, &changed, None)?, Condition::Unchanged(read.data))];
        writes.extend(extra);
        self.store.transact(writes).await
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

    /// Ends every refresh token of a sign-in family, remembered until `kept_until` (Unix s:
    /// the longest the family's tokens could last).
    pub async fn revoke_family(
        &self,
        family: &str,
        now: Timestamp,
        kept_until: i64,
    ) -> Result<(), StoreError> {
        let item = encode(keys::grant_family_revoked(family), &Used { at: now }, Some(kept_until))?;
        self.store.transact(vec![put(item, Condition::Always)]).await
    }

    /// Whether a sign-in family was ended.
    pub async fn family_revoked(&self, family: &str) -> Result<bool, StoreError> {
        Ok(self.store.get(&keys::grant_family_revoked(family)).await?.is_some())
    }

    /// A grant that has not expired, and the write that uses it up: in the same transaction
    /// as what the grant allows, and first in it, so that a `ConditionFailed` naming write 0
    /// means the grant was used already.
    pub async fn open_grant<G: DeserializeOwned>(
        &self,
        secret_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(G, Write)>, StoreError> {
        let Some(item) = self.store.get(&keys::grant(secret_hash)).await? else { return Ok(None) };
        if item.is_expired(now.as_second()) {
            return Ok(None);
        }
        // A token of another kind (a refresh token sent as a password link) is no grant here.
        let Ok(grant) = serde_json::from_str::<G>(&item.data) else { return Ok(None) };
        let used = put(
            encode(keys::grant_used(secret_hash), &Used { at: now }, item.expires_at)?,
            Condition::NotExists,
        );
        Ok(Some((grant, used)))
    }

    /// Whether a one-time grant was used already.
    pub async fn grant_used(&self, secret_hash: &str) -> Result<bool, StoreError> {
        Ok(self.store.get(&keys::grant_used(secret_hash)).await?.is_some())
    }

    /// The write that keeps a one-time grant under its secret's hash until `expires_at` (Unix s).
    pub fn grant_write(
        &self,
        secret_hash: &str,
        grant: &impl Serialize,
        expires_at: i64,
    ) -> Result<Write, StoreError> {
        Ok(put(encode(keys::grant(secret_hash), grant, Some(expires_at))?, Condition::NotExists))
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
