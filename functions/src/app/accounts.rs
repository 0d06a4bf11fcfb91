//! Staff accounts of the local issuer over their life. Nobody chooses or learns a password for
//! anyone else: a person added to a site gets an invitation, a single-use link that expires,
//! to set their own; a forgotten password is reset the same way; a signed-in person changes
//! theirs. Every link goes out by e-mail through the account-mail queue, written in the same
//! transaction as the change it is about, and setting a password ends every earlier sign-in.

use super::AppError;
use super::identity::{Grant, Identity, digest, new_user_id, secret};
use crate::auth::password;
use crate::repository::{Account, AccountMailRecord};
use crate::repository::{Refused, Transaction};
use crate::store::{Store, StoreError, Write};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::FieldError;
use jobslot_domain::account_mail::AccountMail;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::UserId;
use jobslot_domain::staff::Role;

/// How long an invitation's link works.
pub const INVITATION_LIFETIME: SignedDuration = SignedDuration::from_hours(72);
/// How long a password reset's link works.
pub const RESET_LIFETIME: SignedDuration = SignedDuration::from_hours(1);
/// The issuer's page that sets a password from a link's token.
pub const PASSWORD_PAGE: &str = "/account/password";
/// The issuer's page that sends a password-reset link.
pub const FORGOT_PAGE: &str = "/account/forgot";

/// Who a request to add someone names, and what adding them writes besides the membership.
#[derive(Debug)]
pub struct Invitee {
    /// Their user id: their account's, made now if they had none.
    pub user: UserId,
    /// True while their account has no password: the membership is an invitation.
    pub invited: bool,
    /// The account (if new), the invitation's grant and the e-mail telling them.
    pub writes: Vec<Write>,
}

/// Why a password link did not set a password.
#[derive(Debug, thiserror::Error)]
pub enum SetPasswordRefused {
    /// The new password is not acceptable (the error names the field).
    #[error("invalid password")]
    Invalid(FieldError),
    /// The link is unknown, expired, or was used already.
    #[error("link not valid")]
    LinkNotValid,
    /// The account changed while the password was being set; the link is still good.
    #[error("the account changed meanwhile")]
    Conflict,
    /// Something failed on our side.
    #[error(transparent)]
    Failed(#[from] AppError),
}

impl From<StoreError> for SetPasswordRefused {
    fn from(error: StoreError) -> Self {
        SetPasswordRefused::Failed(error.into())
    }
}

impl<S: Store> Identity<S> {
    /// The console's address on this issuer, for e-mails that send people there.
    pub fn console_url(&self) -> String {
        format!("{}/admin/", self.issuer().issuer())
    }

    /// The user `email` names for a new membership as `role` at `business`, and the writes
    /// that go with it: an account without a password and an invitation to set one for an
    /// address with no account (or one still waiting for its first password); a notice for an
    /// account that has a password, which is left as it is.
    pub async fn invitee(&self, email: &Email, business: &str, role: Role) -> Result<Invitee, AppError> {
        let now = self.clock.now();
        let business = business.to_owned();
        let existing = self.repo.account(email).await?;
        if let Some(account) = existing.as_ref().filter(|a| a.password_hash.is_some()) {
            let mail = AccountMail::Added { business, role, console: self.console_url() };
            // To the address as the account has it, whatever case the request typed.
            let notice =
                self.repo.account_mail_write(&AccountMailRecord::new(account.email.clone(), mail, now))?;
            return Ok(Invitee { user: account.user.clone(), invited: false, writes: vec![notice] });
        }
        let mut writes = Vec::new();
        let user = match existing {
            Some(account) => account.user,
            None => {
                let account = Account {
                    user: new_user_id()?,
                    email: email.clone(),
                    password_hash: None,
                    created_at: now,
                    sessions_since: None,
                };
                writes.extend(self.repo.account_writes(&account)?);
                account.user
            }
        };
        let (link, grant, expires_at) = self.password_link(&user, email, true, now)?;
        let mail = AccountMail::Invitation { business, role, link, expires_at };
        writes.push(grant);
        writes.push(self.repo.account_mail_write(&AccountMailRecord::new(email.clone(), mail, now))?);
        Ok(Invitee { user, invited: true, writes })
    }

    /// A new link to the password page for `user`, the write that keeps its grant, and when
    /// it expires.
    fn password_link(
        &self,
        user: &UserId,
        email: &Email,
        invitation: bool,
        now: Timestamp,
    ) -> Result<(String, Write, Timestamp), AppError> {
        let token = secret();
        let lifetime = if invitation { INVITATION_LIFETIME } else { RESET_LIFETIME };
        let expires_at = now.checked_add(lifetime).map_err(anyhow::Error::from)?;
        let grant = Grant::SetPassword { user: user.clone(), email: email.clone(), invitation };
        let write = self.repo.grant_write(&digest(&token), &grant, expires_at.as_second())?;
        let link = format!("{}{PASSWORD_PAGE}?token={token}", self.issuer().issuer());
        Ok((link, write, expires_at))
    }

    /// The address a password link is for while it is unused and unexpired, for the page to
    /// say whose password is being set (setting it still decides, in one write, whether the
    /// link is used).
    pub async fn password_link_for(&self, token: &str) -> Result<Option<Email>, AppError> {
        let hash = digest(token);
        if self.repo.grant_used(&hash).await? {
            return Ok(None);
        }
        match self.repo.get_grant::<serde_json::Value>(&hash, self.clock.now()).await? {
            Some(value) => match serde_json::from_value::<Grant>(value) {
                Ok(Grant::SetPassword { email, .. }) => Ok(Some(email)),
                _ => Ok(None),
            },
            None => Ok(None),
        }
    }

    /// Sets the password of the account a link is for, once: the link is used up in the same
    /// write, the account's invitations become memberships, and every earlier sign-in ends.
    pub async fn set_password(&self, token: &str, new_password: &str) -> Result<(), SetPasswordRefused> {
        password::check_new("new_password", new_password).map_err(SetPasswordRefused::Invalid)?;
        let now = self.clock.now();
        let Some((grant, use_up)) = self.repo.open_grant::<Grant>(&digest(token), now).await? else {
            return Err(SetPasswordRefused::LinkNotValid);
        };
        let Grant::SetPassword { user, email, invitation } = grant else {
            return Err(SetPasswordRefused::LinkNotValid);
        };
        let Some((account, item)) = self.repo.account_item(&email).await? else {
            return Err(SetPasswordRefused::LinkNotValid);
        };
        if account.user != user {
            return Err(SetPasswordRefused::LinkNotValid);
        }
        let had_password = account.password_hash.is_some();
        let hash = self.hash(new_password.to_owned()).await?;
        let changed = Account { password_hash: Some(hash), sessions_since: Some(now), ..account };
        let mut tx = Transaction::new();
        // The link, unused until now: a second use of it fails here.
        tx.guarded((), use_up)
            .plain([self.repo.account_update(&item, &changed)?])
            .plain(self.repo.accept_invitations(&user).await?);
        if had_password || !invitation {
            tx.plain([self.changed_notice(&email, now)?]);
        }
        match self.repo.commit(tx).await {
            Ok(()) => Ok(()),
            Err(refused) if refused.failed(()) => Err(SetPasswordRefused::LinkNotValid),
            Err(Refused::Conditions(_)) => Err(SetPasswordRefused::Conflict),
            Err(Refused::Store(e)) => Err(e.into()),
        }
    }

    /// The e-mail telling `email` their password changed.
    fn changed_notice(&self, email: &Email, now: Timestamp) -> Result<Write, StoreError> {
        let forgot = format!("{}{FORGOT_PAGE}", self.issuer().issuer());
        let mail = AccountMail::PasswordChanged { forgot };
        self.repo.account_mail_write(&AccountMailRecord::new(email.clone(), mail, now))
    }

    /// Sends a reset link to `email` if it has an account. The answer is the same either way,
    /// and as quick: the lookup and the write happen after it, so neither the words nor the
    /// time tell whether the address has an account.
    pub fn forgot_password(&self, email: &str) -> Result<(), AppError> {
        let email = Email::parse("email", email)?;
        let identity = self.clone();
        tokio::spawn(async move {
            if let Err(error) = identity.send_reset(&email).await {
                tracing::warn!(error = %error, "queueing a password reset failed");
            }
        });
        Ok(())
    }

    async fn send_reset(&self, email: &Email) -> Result<(), AppError> {
        let Some(account) = self.repo.account(email).await? else { return Ok(()) };
        let now = self.clock.now();
        let (link, grant, expires_at) = self.password_link(&account.user, email, false, now)?;
        let mail = AccountMail::Reset { link, expires_at };
        let queued = self.repo.account_mail_write(&AccountMailRecord::new(email.clone(), mail, now))?;
        Ok(self.repo.write_all(vec![grant, queued]).await?)
    }

    /// Changes a signed-in person's password, given their current one; every sign-in of the
    /// account ends, this one's refresh token included, and they are told by e-mail.
    pub async fn change_password(
        &self,
        user: &UserId,
        current: &str,
        new_password: &str,
    ) -> Result<(), AppError> {
        password::check_new("new_password", new_password)?;
        let Some((account, item)) = self.repo.account_of(user).await? else { return Err(AppError::NotFound) };
        let stored = account.password_hash.clone().unwrap_or_else(|| password::decoy().to_owned());
        if !self.verify(current, stored).await? {
            return Err(FieldError::new("current_password", "This is not your current password.").into());
        }
        let now = self.clock.now();
        let hash = self.hash(new_password.to_owned()).await?;
        let email = account.email.clone();
        let changed = Account { password_hash: Some(hash), sessions_since: Some(now), ..account };
        let writes = vec![self.repo.account_update(&item, &changed)?, self.changed_notice(&email, now)?];
        match self.repo.write_all(writes).await {
            Err(StoreError::ConditionFailed(_)) => Err(AppError::PreconditionFailed),
            other => Ok(other?),
        }
    }
}

/// Whether a sign-in that started at `started_ms` (Unix ms) ended because the password changed
/// since.
pub(super) fn ended_by_password_change(account: &Account, started_ms: i64) -> bool {
    account.sessions_since.is_some_and(|since| since.as_millisecond() > started_ms)
}
