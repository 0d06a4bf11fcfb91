//! Calendar invitations for a booking (RFC 5545 iCalendar, with RFC 5546's `METHOD`): one
//! event per work order, its `UID` stable across changes and its `SEQUENCE` rising with each,
//! so a calendar that got the first invitation moves or removes that same entry.

use jiff::Timestamp;

/// Whether the invitation books (or moves) the entry or removes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `METHOD:REQUEST`: add or update the entry.
    Request,
    /// `METHOD:CANCEL`: remove it.
    Cancel,
}

/// Someone on the invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// Display name.
    pub name: String,
    /// E-mail address.
    pub email: String,
}

/// A calendar invitation (`.ics`) for one booked time, from the business to the customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The entry's id, the same for every invitation about one booking.
    pub uid: String,
    /// 0 for the first invitation, higher for each later one.
    pub sequence: u32,
    /// Add, move or remove.
    pub method: Method,
    /// When this invitation was made.
    pub stamp: Timestamp,
    #[allow(missing_docs)]
    pub start: Timestamp,
    #[allow(missing_docs)]
    pub end: Timestamp,
    /// The title.
    pub summary: String,
    /// Where.
    pub location: String,
    /// The details.
    pub description: String,
    /// The business.
    pub organizer: Party,
    /// The customer.
    pub attendee: Party,
}

impl Invitation {
    /// The invitation as an iCalendar object: CRLF line ends, lines folded at 75 octets,
    /// times in UTC (so no `VTIMEZONE` is needed).
    pub fn to_ics(&self) -> String {
        let (method, status) = match self.method {
            Method::Request => ("REQUEST", "CONFIRMED"),
            Method::Cancel => ("CANCEL", "CANCELLED"),
        };
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//Jobslot//Bookings//EN".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            format!("METHOD:{method}"),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", text(&self.uid)),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.start)),
            format!("DTEND:{}", utc(self.end)),
            format!("SUMMARY:{}", text(&self.summary)),
            format!("LOCATION:{}", text(&self.location)),
            format!("DESCRIPTION:{}", text(&self.description)),
            format!("STATUS:{status}"),
            format!("ORGANIZER;CN={}:mailto:{}", param(&self.organizer.name), self.organizer.email),
            format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:{}",
                param(&self.attendee.name),
                self.attendee.email
            ),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        lines.iter().map(|line| fold(line)).collect()
    }
}

/// `20261208T220000Z`.
fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, as a name may hold `:`, `;` or `,`; a quote cannot be
/// escaped in a parameter, so it is dropped.
fn param(value: &str) -> String {
    let clean: String = value.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// One content line, folded so no line is longer than 75 octets, never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(method: Method) -> Invitation {
        Invitation {
            uid: "WO-0000000A@acme.jobslot".into(),
            sequence: 2,
            method,
            stamp: "2026-12-01T00:00:00Z".parse().expect("t"),
            start: "2026-12-07T22:00:00Z".parse().expect("t"),
            end: "2026-12-07T23:00:00Z".parse().expect("t"),
            summary: "Basic service, Acme; with Sam".into(),
            location: "1 George St, Unit 4, Sydney 2000".into(),
            description: "Work order WO-0000000A.\nCall 02 9999 0000 to change it. ".repeat(3),
            organizer: Party { name: "Acme: Car \"Servicing\"".into(), email: "hello@acme.example".into() },
            attendee: Party { name: "Mary Jones".into(), email: "mary@example.com".into() },
        }
    }

    #[test]
    fn an_invitation_is_crlf_folded_escaped_and_in_utc() {
        let ics = invitation(Method::Request).to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nMETHOD:REQUEST\r\n") && ics.contains("\r\nSEQUENCE:2\r\n"));
        assert!(
            ics.contains("\r\nDTSTART:20261207T220000Z\r\n")
                && ics.contains("\r\nDTEND:20261207T230000Z\r\n")
        );
        assert!(ics.contains("SUMMARY:Basic service\\, Acme\\; with Sam\r\n"));
        assert!(ics.contains("ORGANIZER;CN=\"Acme: Car Servicing\":mailto:hello@acme.example"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
            assert!(!line.contains('\n'), "{line:?}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("DESCRIPTION:Work order WO-0000000A.\\nCall 02 9999 0000 to change it. Work")
        );
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_cancels() {
        let ics = invitation(Method::Cancel).to_ics();
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n") && ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(ics.contains("\r\nUID:WO-0000000A@acme.jobslot\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(80));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }
}
