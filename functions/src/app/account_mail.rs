//! Sending the e-mails about staff accounts (`crate::repository::AccountMailRecord`): each
//! round of the dispatcher claims the due ones, sends them, and forgets those sent or given up.

use super::App;
use super::deliveries::{Round, backoff};
use crate::mail::{Mail, MailError, Mailer};
use crate::repository::AccountMailRecord;
use crate::store::{Store, StoreError};
use jiff::SignedDuration;

/// E-mails read per round.
const BATCH: usize = 50;
/// How long a claim keeps other dispatchers off an e-mail being sent.
const LEASE: SignedDuration = SignedDuration::from_mins(2);
/// How long an e-mail is retried before it is given up (its links last longer only for
/// invitations, which can be sent again from the console).
const RETRY_FOR: SignedDuration = SignedDuration::from_hours(24);

impl<S: Store> App<S> {
    /// Sends the due e-mails about staff accounts through `mailer`.
    pub(super) async fn deliver_account_mail(
        &self,
        mailer: &dyn Mailer,
        round: &mut Round,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        for waiting in self.repo.waiting_account_mail(BATCH, now).await? {
            if waiting.record.next_attempt_at > now {
                continue;
            }
            let attempts = waiting.record.attempts + 1;
            let claim =
                AccountMailRecord { attempts, next_attempt_at: now + LEASE, ..waiting.record.clone() };
            let Some(claimed) = self.repo.update_account_mail(&waiting, claim).await? else {
                // Another dispatcher has it.
                continue;
            };
            let record = &claimed.record;
            let mail = Mail {
                message_id: format!("<{}@staff.jobslot>", record.id),
                message: record.mail.message(record.to.as_str()),
            };
            // Errors can quote the address: only counts are logged, by the dispatcher.
            let (delivered, retry) = match mailer.send(&mail).await {
                Ok(()) => (true, false),
                Err(MailError::Permanent(_)) => (false, false),
                Err(MailError::Transient(_)) => (false, true),
            };
            let now = self.clock.now();
            let next = now + backoff(attempts);
            if retry && next <= record.at + RETRY_FOR {
                let later = AccountMailRecord { next_attempt_at: next, ..record.clone() };
                self.repo.update_account_mail(&claimed, later).await?;
                round.retrying += 1;
                continue;
            }
            self.repo.remove_account_mail(&claimed).await?;
            if delivered {
                round.delivered += 1;
            } else {
                round.failed += 1;
            }
        }
        Ok(())
    }
}
