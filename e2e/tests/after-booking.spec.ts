import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { BookingWidget } from './booking-widget';
import { invitation, mailAbout } from './mailbox';
import { DEMO_OWNER, signIn } from './staff-session';
import { WEBHOOK_URL, webhooksAbout } from './webhooks';

const SITE = '/api/sites/acme-car-servicing';

test('a booking e-mails the customer an invitation and the office a notice; the manage link moves it (a new invitation) and cancels it (a cancellation); a webhook endpoint hears of each step', async ({ page, request, consoleWatch }) => {
  // Refusals the test provokes: an address the webhook form refuses, the manage link with a
  // wrong token.
  consoleWatch.expectRefusal(422, /\/webhooks$/);
  consoleWatch.expectRefusal(404, /\/bookings\/WO-/);
  // The owner registers an endpoint in the console and copies its signing secret.
  expect(WEBHOOK_URL, 'JOBSLOT_E2E_WEBHOOK_URL names the webhook sink').not.toBe('');
  await page.goto('/admin/#/webhooks');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('E-mail address').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks' })).toBeVisible();
  await page.getByLabel('Address (https://…)').fill('http://hooks.example/plain-http');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByText('Use an https:// address.', { exact: true })).toBeVisible();
  await page.getByLabel('Address (https://…)').fill(WEBHOOK_URL);
  await page.getByLabel('What it is for (optional)').fill('Browser test');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = ((await page.locator('code.secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByRole('button', { name: `Pause ${WEBHOOK_URL}` }).first()).toBeVisible();
  const hooksAxe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(hooksAxe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);

  const widget = new BookingWidget(page);
  await widget.open();
  await widget.search('basic-service', '2000');
  // Days ahead, so online changes (open until 24 hours before) are still open.
  await widget.root.locator('.day-tab').last().click();
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

  // The customer follows the link in their e-mail and picks another time.
  const manage = customer!.text?.match(/\/manage\/\S+/)?.[0] ?? '';
  expect(manage).toContain(`/manage/acme-car-servicing/${number}?token=`);
  await page.goto(manage);
  const hosted = page.locator('jobslot-booking');
  await expect(hosted.getByRole('heading', { name: 'Your booking' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  await hosted.getByRole('button', { name: 'Choose another time' }).click();
  await hosted.locator('.day-tab').last().click();
  await hosted.locator('button.slot').last().click();
  await hosted.getByRole('button', { name: 'Move booking' }).click();
  await expect(hosted.getByText('Your booking has its new time.')).toBeVisible();
  const moved = await (await request.get(`${SITE}/work-orders/${number}`, { headers: { authorization: `Bearer ${token}` } })).json();
  expect(moved.planned_start).not.toBe(order.planned_start);
  const update = (await mailAbout(number, 3)).find((m) => m.subject?.startsWith('New time: '));
  expect(invitation(update!)).toEqual({
    method: 'REQUEST',
    uid: `${number}@acme-car-servicing.jobslot`,
    sequence: 1,
    start: new Date(moved.planned_start).toISOString(),
  });

  // And then cancels it.
  await hosted.getByRole('button', { name: 'Cancel booking' }).click();
  await hosted.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(hosted.getByRole('heading', { name: 'Your booking is cancelled' })).toBeVisible();
  await expect(hosted.getByRole('button', { name: 'Choose another time' })).toHaveCount(0);
  const cancellation = (await mailAbout(number, 4)).find((m) => m.subject?.startsWith('Cancelled: '));
  expect(invitation(cancellation!)).toMatchObject({ method: 'CANCEL', sequence: 2 });

  // The endpoint heard of the booking, the move and the cancellation (and the status it
  // left), each once, each signed with the secret the console showed.
  const hooks = await webhooksAbout(number, 4, secret);
  expect(hooks.map((h) => h.type).sort()).toEqual(['booking.cancelled', 'booking.created', 'booking.rescheduled', 'work_order.status_changed']);
  expect(new Set(hooks.map((h) => h.id)).size).toBe(hooks.length);
  const moveHook = hooks.find((h) => h.type === 'booking.rescheduled')!;
  expect(moveHook.body.data.work_order).toBe(number);
  expect(new Date(moveHook.body.data.start).toISOString()).toBe(new Date(moved.planned_start).toISOString());
  expect(JSON.stringify(hooks)).not.toContain('mary@example.com');

  // The same page in Spanish, when the link asks for it (or the browser prefers it).
  await page.goto(`${manage}&lang=es`);
  await expect(hosted.getByRole('heading', { name: 'Tu reserva está cancelada' })).toBeVisible();
  await expect(hosted.getByText('Esta reserva está cancelada.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tu cita');

  // A link altered by hand opens nothing.
  await page.goto(manage.replace(/token=\d+/, 'token=1'));
  await expect(hosted.getByRole('alert')).toHaveText(/not valid/);
  await page.goto(`${manage.replace(/token=\d+/, 'token=1')}&lang=es`);
  await expect(hosted.getByRole('alert')).toHaveText(/no es válido/);
});
