//! E-mail through a real SMTP server: the sink `cargo xtask test` starts (aiosmtpd, from
//! PyPI) keeps every message as a file; these tests read them back with a MIME parser and the
//! invitation with an iCalendar parser. `#[ignore]`d in a plain `cargo test`.

#[path = "support/mod.rs"]
mod support;

use jiff::{SignedDuration, Timestamp};
use jobslot_functions::app::App;
use jobslot_functions::app::deliveries::Outlets;
use jobslot_functions::demo;
use jobslot_functions::mail::SmtpMailer;
use jobslot_functions::store::Store;
use mail_parser::{MessageParser, MimeHeaders};
use support::{FIRST_SLOT, demo_app, embedded_store, now, submission};
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};

/// Where the manage links in the e-mails point.
const PUBLIC_URL: &str = "https://book.jobslot.test";

fn sink() -> (u16, std::path::PathBuf) {
    let port =
        std::env::var("JOBSLOT_TEST_SMTP_PORT").expect("JOBSLOT_TEST_SMTP_PORT (cargo xtask test sets it)");
    let dir = std::env::var("JOBSLOT_TEST_MAIL_DIR").expect("JOBSLOT_TEST_MAIL_DIR");
    (port.parse().expect("a port"), dir.into())
}

async fn book<S: Store>(app: &App<S>, key: &str) -> String {
    let booked = app
        .submit_work_order(&demo::site_id(), &crate::support::key(key), &submission(FIRST_SLOT))
        .await
        .expect("booked");
    booked.created.number.to_string()
}

/// The messages the sink kept that mention `number`, waiting up to 10 s for `count` of them.
async fn received(dir: &std::path::Path, number: &str, count: usize) -> Vec<Vec<u8>> {
    for _ in 0..100 {
        let mut found: Vec<(std::path::PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
            .expect("mail dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(number))
            .collect();
        if found.len() >= count {
            found.sort();
            return found.into_iter().map(|(_, b)| b).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the sink did not get {count} messages about {number}");
}

fn property<'a>(event: &'a ical::parser::ical::component::IcalEvent, name: &str) -> &'a str {
    let found = event.properties.iter().find(|p| p.name == name);
    found.and_then(|p| p.value.as_deref()).unwrap_or_else(|| panic!("no {name}"))
}

#[tokio::test]
#[ignore = "needs the SMTP sink; cargo xtask test starts one"]
async fn the_customer_gets_a_confirmation_with_an_invitation_and_the_office_a_notice() {
    let (port, dir) = sink();
    let (store, _dir) = embedded_store();
    let app = demo_app(store).await;
    let number = book(&app, "mail-confirmation-1").await;
    let mailer =
        SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), "bookings@jobslot.test").expect("mailer");
    let round = app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!(round.delivered, 2);

    let messages = received(&dir, &number, 2).await;
    let parsed: Vec<_> = messages.iter().map(|m| MessageParser::default().parse(m).expect("MIME")).collect();
    let customer =
        parsed.iter().find(|m| m.subject().is_some_and(|s| s.starts_with("Booked: "))).expect("customer");
    let to = customer.to().and_then(|a| a.first()).expect("to");
    assert_eq!((to.name(), to.address()), (Some("Mary Citizen"), Some("mary@example.com")));
    let from = customer.from().and_then(|a| a.first()).expect("from");
    assert_eq!((from.name(), from.address()), (Some("Acme Car Servicing"), Some("bookings@jobslot.test")));
    let reply_to = customer.reply_to().and_then(|a| a.first()).and_then(|a| a.address());
    assert_eq!(reply_to, Some("bookings@acme.example"));
    assert!(customer.message_id().is_some_and(|id| id.ends_with(".customer@acme-car-servicing.jobslot")));
    let text = customer.body_text(0).expect("a plain-text part");
    assert!(text.contains("(Australia/Sydney time)") && text.contains(&number), "{text}");
    assert!(text.contains("02 9000 1234"), "the business's phone");
    let html = customer.body_html(0).expect("an HTML part");
    assert!(html.contains("<table>") && html.contains("Mary Citizen"));

    let calendar = customer
        .parts
        .iter()
        .find(|p| p.content_type().is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar")))
        .expect("a text/calendar part");
    assert_eq!(calendar.content_type().and_then(|c| c.attribute("method")), Some("REQUEST"));
    let ics = calendar.text_contents().expect("calendar text");
    let parsed_ics: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("a valid iCalendar object");
    assert_eq!(parsed_ics.len(), 1);
    let calendar = &parsed_ics[0];
    let method = calendar.properties.iter().find(|p| p.name == "METHOD").and_then(|p| p.value.as_deref());
    assert_eq!(method, Some("REQUEST"));
    let event = &calendar.events[0];
    assert_eq!(property(event, "UID"), format!("{number}@acme-car-servicing.jobslot"));
    assert_eq!(property(event, "SEQUENCE"), "0");
    let start: Timestamp = FIRST_SLOT.parse().expect("start");
    assert_eq!(property(event, "DTSTART"), start.strftime("%Y%m%dT%H%M%SZ").to_string());
    assert_eq!(
        property(event, "DTEND"),
        (start + SignedDuration::from_hours(1)).strftime("%Y%m%dT%H%M%SZ").to_string()
    );
    assert!(customer.attachments().any(|a| a.attachment_name() == Some("invite.ics")));

    let office =
        parsed.iter().find(|m| m.subject().is_some_and(|s| s.starts_with("New booking "))).expect("office");
    let to = office.to().and_then(|a| a.first()).and_then(|a| a.address());
    assert_eq!(to, Some("office@acme.example"));
    assert!(office.body_text(0).is_some_and(|t| t.contains("0412345678") && t.contains("Toyota")));
}

/// Forwards connections on `listener` to the sink, as the mail server coming back.
async fn forward(listener: TcpListener, port: u16) {
    loop {
        let Ok((mut inbound, _)) = listener.accept().await else { return };
        tokio::spawn(async move {
            if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", port)).await {
                let _ = copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
    }
}

#[tokio::test]
#[ignore = "needs the SMTP sink; cargo xtask test starts one"]
async fn a_mail_server_down_during_a_booking_delays_the_e_mail_and_loses_nothing() {
    let (port, dir) = sink();
    let (store, _dir) = embedded_store();
    let app = demo_app(store).await;
    let number = book(&app, "mail-outage-1").await;
    // The mailer's server: nothing listens there yet.
    let down = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let relay_port = down.local_addr().expect("addr").port();
    drop(down);
    let mailer =
        SmtpMailer::new(&format!("smtp://127.0.0.1:{relay_port}"), "bookings@jobslot.test").expect("mailer");
    let round = app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!((round.delivered, round.retrying), (0, 2), "the server is down: both wait");

    let back = TcpListener::bind(("127.0.0.1", relay_port)).await.expect("the server is back");
    tokio::spawn(forward(back, port));
    let later = app.at(now() + SignedDuration::from_hours(1));
    let round = later.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!((round.delivered, round.settled), (2, 1));
    let messages = received(&dir, &number, 2).await;
    assert_eq!(messages.len(), 2, "each message once");
}
