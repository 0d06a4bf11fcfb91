//! E-mail through SES's API v2, as the dispatcher Lambda sends it, against moto's SES (the
//! DynamoDB step of `cargo xtask test` starts moto). `#[ignore]`d in a plain `cargo test`.

use jobslot_domain::calendar::{Invitation, Method, Party};
use jobslot_domain::notification::{Audience, Message};
use jobslot_functions::mail::{Mail, MailError, Mailer, SesMailer};

fn mail() -> Mail {
    let party = |name: &str, email: &str| Party { name: name.into(), email: email.into() };
    let at = "2026-12-08T22:00:00Z".parse().expect("t");
    Mail {
        message_id: "<ev_1.customer@acme.jobslot>".into(),
        message: Message {
            audience: Audience::Customer,
            to: party("Mary Jones", "mary@example.com"),
            reply_to: Some("hello@acme.example".into()),
            sender_name: "Acme".into(),
            subject: "Booked: Basic service on Tue 8 Dec".into(),
            text: "Hello Mary".into(),
            html: "<p>Hello Mary</p>".into(),
            invitation: Some(Invitation {
                uid: "WO-1@acme.jobslot".into(),
                sequence: 0,
                method: Method::Request,
                stamp: at,
                start: at,
                end: at,
                summary: "Basic service".into(),
                location: "1 George St".into(),
                description: "Work order WO-1.".into(),
                organizer: party("Acme", "hello@acme.example"),
                attendee: party("Mary Jones", "mary@example.com"),
            }),
        },
    }
}

#[tokio::test]
#[ignore = "needs moto; cargo xtask test starts one"]
async fn ses_sends_from_a_verified_sender_and_refuses_for_good_from_another() {
    let endpoint = std::env::var("JOBSLOT_DYNAMODB_ENDPOINT").expect("moto's endpoint");
    // moto takes any credentials.
    let sender = "bookings@ses.jobslot.test";
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(aws_config::Region::new("ap-southeast-2"))
        .credentials_provider(aws_sdk_sesv2::config::Credentials::new("test", "test", None, None, "moto"))
        .load()
        .await;
    let client = aws_sdk_sesv2::Client::new(&config);
    client.create_email_identity().email_identity(sender).send().await.expect("verified sender");

    let verified = SesMailer::with_config(&config, sender).expect("mailer");
    verified.send(&mail()).await.expect("accepted");
    let unverified = SesMailer::with_config(&config, "nobody@elsewhere.example").expect("mailer");
    match unverified.send(&mail()).await {
        Err(MailError::Permanent(_)) => {}
        other => panic!("an unverified sender is refused for good, got {other:?}"),
    }
}
