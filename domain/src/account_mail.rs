//! The e-mails a person gets about their own staff account: an invitation to set a password,
//! a notice that an existing account was given a role, a password-reset link, and a notice
//! that the password changed. Their links carry single-use tokens; nothing here logs them.

use crate::calendar::Party;
use crate::notification::{Audience, Message, html_body, text_body};
use crate::staff::Role;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What a staff e-mail is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountMail {
    /// A new person is invited to `business` as `role`; `link` sets their first password.
    Invitation {
        /// The site's business name.
        business: String,
        /// Their role there.
        role: Role,
        /// The set-password page with the invitation's token.
        link: String,
        /// When the link stops working.
        expires_at: Timestamp,
    },
    /// Someone with an account was given `role` at `business`; they sign in at `console`.
    Added {
        /// The site's business name.
        business: String,
        /// Their role there.
        role: Role,
        /// The console's address.
        console: String,
    },
    /// A password reset was asked for; `link` sets a new one.
    Reset {
        /// The set-password page with the reset's token.
        link: String,
        /// When the link stops working.
        expires_at: Timestamp,
    },
    /// The password was changed (by a reset or in the console); every sign-in was ended.
    PasswordChanged {
        /// Where to ask for a reset if it was not them.
        forgot: String,
    },
}

/// The role as a sentence says it.
fn role_words(role: Role) -> &'static str {
    match role {
        Role::Owner => "an owner",
        Role::Dispatcher => "a dispatcher",
        Role::Technician => "a technician",
        Role::Integrator => "an integrator",
    }
}

/// An instant as the e-mail says it: UTC, to the minute (the account has no time zone).
fn utc(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

impl AccountMail {
    /// The e-mail to `to`, in plain text and HTML; links and expiry times stated in UTC.
    pub fn message(&self, to: &str) -> Message {
        let (subject, opening, closing) = match self {
            AccountMail::Invitation { business, role, link, expires_at } => (
                format!("You're invited to {business} on Jobslot"),
                format!("{business} added you to its staff as {}.", role_words(*role)),
                vec![
                    format!(
                        "Choose your password to start (the link works once, until {}): {link}",
                        utc(*expires_at)
                    ),
                    "If you did not expect this, ignore this e-mail: nothing happens without you.".to_owned(),
                ],
            ),
            AccountMail::Added { business, role, console } => (
                format!("You now work with {business} on Jobslot"),
                format!("{business} added you to its staff as {}.", role_words(*role)),
                vec![format!("Sign in with your usual password: {console}")],
            ),
            AccountMail::Reset { link, expires_at } => (
                "Reset your Jobslot password".to_owned(),
                "Someone, hopefully you, asked to reset the password of this Jobslot account.".to_owned(),
                vec![
                    format!(
                        "Choose a new password (the link works once, until {}): {link}",
                        utc(*expires_at)
                    ),
                    "If it was not you, ignore this e-mail: your password stays as it is.".to_owned(),
                ],
            ),
            AccountMail::PasswordChanged { forgot } => (
                "Your Jobslot password was changed".to_owned(),
                "The password of this Jobslot account was just changed, and every place it was signed in \
                 was signed out."
                    .to_owned(),
                vec![format!("If it was not you, reset it now: {forgot}")],
            ),
        };
        Message {
            audience: Audience::Staff,
            to: Party { name: String::new(), email: to.to_owned() },
            reply_to: None,
            sender_name: "Jobslot".into(),
            subject,
            text: text_body("", &opening, &[], &closing),
            html: html_body("", &opening, &[], &closing),
            invitation: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_the_business_the_role_and_its_link_and_escapes_the_name_in_html() {
        let mail = AccountMail::Invitation {
            business: "Acme <Cars>".into(),
            role: Role::Dispatcher,
            link: "https://jobslot.example/account/password?token=abc".into(),
            expires_at: "2026-12-10T09:30:00Z".parse().expect("instant"),
        };
        let message = mail.message("dee@acme.example");
        assert_eq!(message.to.email, "dee@acme.example");
        assert_eq!(message.subject, "You're invited to Acme <Cars> on Jobslot");
        assert!(message.text.contains("as a dispatcher"));
        assert!(
            message
                .text
                .contains("until 2026-12-10 09:30 UTC): https://jobslot.example/account/password?token=abc")
        );
        assert!(message.html.contains("Acme &lt;Cars&gt;") && !message.html.contains("<Cars>"));
        assert!(message.html.contains("<a href=\"https://jobslot.example/account/password?token=abc\">"));
    }

    #[test]
    fn a_notice_of_a_new_role_carries_no_link_that_sets_a_password() {
        let mail = AccountMail::Added {
            business: "Acme".into(),
            role: Role::Owner,
            console: "https://jobslot.example/admin/".into(),
        };
        let message = mail.message("o@acme.example");
        assert!(message.text.contains("as an owner") && !message.text.contains("token="));
    }
}
