//! Sending e-mail: the [`Mailer`] port the dispatcher sends through, and its SMTP adapter
//! (self-hosted and local, configured by `JOBSLOT_SMTP_URL`).

use jobslot_domain::calendar::Method;
use jobslot_domain::notification::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Name of the variable with the SMTP server's URL (`smtp://127.0.0.1:2525`,
/// `smtps://user:pass@mail.example`, `smtp://mail.example:587?tls=required`).
pub const SMTP_URL_VAR: &str = "JOBSLOT_SMTP_URL";
/// Name of the variable with the address e-mails are sent from.
pub const MAIL_FROM_VAR: &str = "JOBSLOT_MAIL_FROM";
/// How long one SMTP conversation may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// One e-mail with the id that makes a resend recognisable as the same message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// `<…>`: the same for every attempt at one message, so a mail client that got it
    /// once shows a resend as the same message.
    pub message_id: String,
    /// What to send.
    pub message: Message,
}

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Worth trying again later: the server is down, busy or said "try later" (4xx).
    #[error("transient: {0}")]
    Transient(String),
    /// Trying again cannot help: the server refused the message or the recipient (5xx).
    #[error("permanent: {0}")]
    Permanent(String),
}

/// Sends e-mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Hands `mail` to the mail system; `Ok` once it accepted it.
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// Sends through an SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::Address,
}

impl SmtpMailer {
    /// A mailer for the server at `url`, sending from `from`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("{SMTP_URL_VAR}: {e}"))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("{MAIL_FROM_VAR}: {e}"))?;
        Ok(Self { transport, from })
    }

    /// The mailer `JOBSLOT_SMTP_URL` and `JOBSLOT_MAIL_FROM` describe, if e-mail is configured.
    pub fn from_env() -> anyhow::Result<Option<Self>> {
        let Some(url) = crate::config::var(SMTP_URL_VAR) else { return Ok(None) };
        let from = crate::config::var(MAIL_FROM_VAR).unwrap_or_else(|| "bookings@jobslot.localhost".into());
        Self::new(&url, &from).map(Some)
    }
}

/// `mail` as a MIME message from `from`: plain text and HTML alternatives, and the calendar
/// invitation both inline (what mail clients show as an invitation) and attached.
fn compose(from: &lettre::Address, mail: &Mail) -> Result<lettre::Message, MailError> {
    let message = &mail.message;
    let bad = |e: &dyn std::fmt::Display| MailError::Permanent(format!("unusable message: {e}"));
    let to = Mailbox::new(Some(message.to.name.clone()), message.to.email.parse().map_err(|e| bad(&e))?);
    let mut builder = lettre::Message::builder()
        .message_id(Some(mail.message_id.clone()))
        .from(Mailbox::new(Some(message.sender_name.clone()), from.clone()))
        .to(to)
        .subject(&message.subject);
    if let Some(reply_to) = &message.reply_to {
        builder = builder.reply_to(Mailbox::new(None, reply_to.parse().map_err(|e| bad(&e))?));
    }
    let mut alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(message.text.clone()))
        .singlepart(SinglePart::html(message.html.clone()));
    let Some(invitation) = &message.invitation else {
        return builder.multipart(alternative).map_err(|e| bad(&e));
    };
    // The calendar part inside the alternative is what mail clients show as an invitation;
    // the attachment is for those that only offer files.
    let method = match invitation.method {
        Method::Request => "REQUEST",
        Method::Cancel => "CANCEL",
    };
    let ics = invitation.to_ics();
    let calendar =
        ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}")).map_err(|e| bad(&e))?;
    alternative = alternative.singlepart(SinglePart::builder().header(calendar).body(ics.clone()));
    let file = ContentType::parse("application/ics").map_err(|e| bad(&e))?;
    let attachment = Attachment::new("invite.ics".into()).body(ics, file);
    builder.multipart(MultiPart::mixed().multipart(alternative).singlepart(attachment)).map_err(|e| bad(&e))
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = compose(&self.from, mail)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }
}

/// Name of the variable that points the SES client elsewhere (an emulator in tests).
pub const SES_ENDPOINT_VAR: &str = "JOBSLOT_SES_ENDPOINT";

/// Sends through Amazon SES (API v2) as raw MIME, the message SMTP would carry.
pub struct SesMailer {
    client: aws_sdk_sesv2::Client,
    from: lettre::Address,
}

impl SesMailer {
    /// A mailer sending from `from` with the SDK's configuration from the environment (the
    /// function's role on Lambda), at `endpoint` when given.
    pub async fn new(from: &str, endpoint: Option<&str>) -> anyhow::Result<Self> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(endpoint) = endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        Self::with_config(&loader.load().await, from)
    }

    /// A mailer sending from `from` with this SDK configuration.
    pub fn with_config(config: &aws_config::SdkConfig, from: &str) -> anyhow::Result<Self> {
        let client = aws_sdk_sesv2::Client::new(config);
        let from = from.parse().map_err(|e| anyhow::anyhow!("{MAIL_FROM_VAR}: {e}"))?;
        Ok(Self { client, from })
    }
}

#[async_trait::async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        use aws_sdk_sesv2::operation::send_email::SendEmailError as E;
        use aws_sdk_sesv2::types::{EmailContent, RawMessage};
        let raw = compose(&self.from, mail)?.formatted();
        let raw = RawMessage::builder()
            .data(aws_sdk_sesv2::primitives::Blob::new(raw))
            .build()
            .map_err(|e| MailError::Permanent(e.to_string()))?;
        let sent = self.client.send_email().content(EmailContent::builder().raw(raw).build()).send().await;
        match sent {
            Ok(_) => Ok(()),
            Err(error) => Err(match error.as_service_error() {
                // The message or the sender is refused: sending again cannot help.
                Some(
                    E::MessageRejected(_)
                    | E::MailFromDomainNotVerifiedException(_)
                    | E::BadRequestException(_),
                ) => MailError::Permanent(error.to_string()),
                // Throttled, paused, or not reachable: later.
                _ => MailError::Transient(error.to_string()),
            }),
        }
    }
}
