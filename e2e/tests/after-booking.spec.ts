import { expect, test } from '@playwright/test';
import { BookingWidget } from './booking-widget';
import { invitation, mailAbout } from './mailbox';
import { signIn } from './staff-session';

const SITE = '/api/sites/acme-car-servicing';

test('a booking e-mails the customer a confirmation with a calendar invitation, and the office a notice', async ({ page, request }) => {
  const widget = new BookingWidget(page);
  await widget.open();
  await widget.search('basic-service', '2000');
  await widget.slots().first().click();
  await widget.describeCar();
  await widget.giveContactDetails();
  await widget.acceptTermsAndBook();
  await expect(widget.root.getByRole('heading', { name: "You're booked!" })).toBeVisible();
  const number = (await widget.root.locator('.work-order-number').textContent())?.trim() ?? '';

  const mail = await mailAbout(number, 2);
  const customer = mail.find((m) => m.subject?.startsWith('Booked: '));
  expect(customer?.to && 'value' in customer.to ? customer.to.value[0].address : '').toBe('mary@example.com');
  expect(customer?.text).toContain('(Australia/Sydney time)');
  expect(customer?.html).toContain(number);
  const token = await signIn(page, request);
  const order = await (await request.get(`${SITE}/work-orders/${number}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const invite = invitation(customer!);
  expect(invite).toEqual({
    method: 'REQUEST',
    uid: `${number}@acme-car-servicing.jobslot`,
    sequence: 0,
    start: new Date(order.planned_start).toISOString(),
  });
  const office = mail.find((m) => m.subject?.startsWith('New booking '));
  expect(office?.text).toContain('Toyota');
});
