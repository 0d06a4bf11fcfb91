import { expect } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import ICAL from 'ical.js';

/** The SMTP sink's files (`cargo xtask test` starts the sink and the server sends to it). */
const DIR = process.env.JOBSLOT_E2E_MAIL_DIR ?? '';

/** The messages the sink got that mention `needle`, waiting until there are `count`. */
export async function mailAbout(needle: string, count: number): Promise<ParsedMail[]> {
  expect(DIR, 'JOBSLOT_E2E_MAIL_DIR names the sink directory').not.toBe('');
  let found: string[] = [];
  await expect
    .poll(
      async () => {
        const names = (await readdir(DIR)).filter((n) => n.endsWith('.eml')).sort();
        const raw = await Promise.all(names.map((n) => readFile(path.join(DIR, n), 'utf8')));
        found = raw.filter((r) => r.includes(needle));
        return found.length;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return Promise.all(found.map((raw) => simpleParser(raw)));
}

/** The message's calendar invitation, read by a real iCalendar parser (ical.js). */
export function invitation(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar' || a.filename === 'invite.ics');
  expect(part, 'an invitation').toBeTruthy();
  const calendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
  };
}
