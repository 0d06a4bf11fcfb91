//! E-mails about staff accounts waiting to be sent (invitations, password resets, notices):
//! written in the same transaction as the change that causes them, sent at least once by the
//! dispatcher, and deleted once sent or given up, so the single-use links some carry stay in
//! the store no longer than it takes to send them (and never past their expiry).

use super::{Repository, decode, encode, put};
use crate::store::{Condition, Item, Store, StoreError, Write, keys};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::account_mail::AccountMail;
use jobslot_domain::contact::Email;
use serde::{Deserialize, Serialize};

/// Longest an e-mail waits: its links expire sooner or later anyway.
const KEPT: SignedDuration = SignedDuration::from_hours(72);

/// One e-mail about a staff account, and how its sending goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMailRecord {
    /// Its id, and the `Message-ID` every attempt sends.
    pub id: String,
    /// When it was written.
    pub at: Timestamp,
    /// The recipient.
    pub to: Email,
    /// What it says.
    pub mail: AccountMail,
    /// Attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Not before this instant: a retry's wait, or a claim's lease while one dispatcher sends.
    pub next_attempt_at: Timestamp,
}

/// A waiting e-mail as read, with the item it was read from (the condition of the next write).
#[derive(Debug, Clone)]
pub struct WaitingAccountMail {
    #[allow(missing_docs)]
    pub record: AccountMailRecord,
    item: Item,
}

impl AccountMailRecord {
    /// A new e-mail to `to`, due at once.
    pub fn new(to: Email, mail: AccountMail, now: Timestamp) -> Self {
        let id = format!("am_{}", crate::random::ordered_id());
        Self { id, at: now, to, mail, attempts: 0, next_attempt_at: now }
    }
}

impl<S: Store> Repository<S> {
    /// The write that queues `record`; put it in the transaction of the change it is about.
    pub fn account_mail_write(&self, record: &AccountMailRecord) -> Result<Write, StoreError> {
        let expires = record.at.checked_add(KEPT).map(|t| t.as_second()).ok();
        Ok(put(encode(keys::account_mail(record.at, &record.id), record, expires)?, Condition::NotExists))
    }

    /// The first `limit` waiting e-mails, oldest first, expired ones left out.
    pub async fn waiting_account_mail(
        &self,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<WaitingAccountMail>, StoreError> {
        let (pk, range) = keys::account_mails();
        let items = self.store.query_page(&pk, &range, limit).await?;
        items
            .into_iter()
            .filter(|item| !item.is_expired(now.as_second()))
            .map(|item| Ok(WaitingAccountMail { record: decode(&item)?, item }))
            .collect()
    }

    /// Saves `changed` over `waiting` if nobody else did since it was read: true if it did,
    /// with what is stored now.
    pub async fn update_account_mail(
        &self,
        waiting: &WaitingAccountMail,
        changed: AccountMailRecord,
    ) -> Result<Option<WaitingAccountMail>, StoreError> {
        let item = encode(waiting.item.key.clone(), &changed, waiting.item.expires_at)?;
        let write = put(item.clone(), Condition::Unchanged(waiting.item.data.clone()));
        match self.store.transact(vec![write]).await {
            Ok(()) => Ok(Some(WaitingAccountMail { record: changed, item })),
            Err(StoreError::ConditionFailed(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Forgets a sent or given-up e-mail, and the link it carried.
    pub async fn remove_account_mail(&self, waiting: &WaitingAccountMail) -> Result<(), StoreError> {
        self.store.transact(vec![Write::Delete { key: waiting.item.key.clone() }]).await
    }
}
