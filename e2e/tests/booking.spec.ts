import { expect, test } from './fixtures';
import path from 'node:path';
import { BookingWidget } from './booking-widget';
import { signIn } from './staff-session';

const SITE = '/api/sites/acme-car-servicing';

test('a customer books the first free slot, and the work order holds what they entered', async ({ page, request }) => {
  const widget = new BookingWidget(page);
  await widget.open();
  await widget.search('basic-service', '2000');

  await expect(widget.root.getByRole('heading', { name: 'Available times for 2000' })).toBeVisible();
  await expect(widget.slots().first()).toBeVisible();
  // Into the run's output, never over the tracked docs/widget.png.
  await widget.root.locator('.widget').screenshot({ path: path.join(process.env.JOBSLOT_E2E_OUT ?? 'test-results', 'widget.png') });
  await widget.slots().first().click();
  await widget.describeCar();
  await widget.giveContactDetails();

  await expect(widget.root.getByText('Toyota')).toBeVisible();
  await widget.button('Book now').click();
  await expect(widget.fieldError('terms_accepted')).toHaveText('Accept the terms to book.');
  await widget.acceptTermsAndBook();

  await expect(widget.root.getByRole('heading', { name: "You're booked!" })).toBeVisible();
  const number = (await widget.root.locator('.work-order-number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^WO-[0-9A-Z]{8}$/);

  const token = await signIn(page, request);
  const stored = await request.get(`${SITE}/work-orders/${number}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(stored.status()).toBe(200);
  const order = await stored.json();
  expect(order.status).toBe('new');
  expect(order.service.id).toBe('basic-service');
  expect(order.contact).toEqual({ name: 'Mary Citizen', email: 'mary@example.com', phone: '0412345678' });
  expect(order.location).toMatchObject({ line1: '1 George Street', city: 'Sydney', postcode: { country: 'AU', code: '2000' } });
  expect(order.asset).toEqual(
    expect.arrayContaining([
      { field: 'car_make', label: 'Car make', value: { kind: 'text', value: 'Toyota' } },
      { field: 'car_year', label: 'Year of manufacture', value: { kind: 'number', value: 2019 } },
      { field: 'fuel', label: 'Fuel type', value: { kind: 'select', value: 'Hybrid' } },
      { field: 'loan_car', label: 'I need a loan car', value: { kind: 'checkbox', value: true } },
    ]),
  );

  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney' }).format(new Date(order.planned_start));
  const offered = await request.get(`${SITE}/slots?postcode=2000&service=basic-service&from=${day}&days=1`);
  expect(offered.status()).toBe(200);
  const slots = (await offered.json()).days.flatMap((d: { slots: unknown[] }) => d.slots);
  expect(slots.length).toBeGreaterThan(0);
  expect(slots).not.toContainEqual(expect.objectContaining({ technician: order.technician.id, start: order.planned_start }));
});

test('a postcode nobody serves gets a clear message beside the postcode field', async ({ page, consoleWatch }) => {
  consoleWatch.expectRefusal(422, /\/slots\?postcode=9999/);
  const widget = new BookingWidget(page);
  await widget.open();
  await widget.search('basic-service', '9999');
  await expect(widget.fieldError('postcode')).toHaveText("Sorry, we don't serve 9999 yet.");
  await expect(widget.root.getByLabel('Postcode')).toHaveAttribute('aria-invalid', 'true');
  await expect(widget.slots()).toHaveCount(0);
});

test('a malformed postcode is caught before anything is sent', async ({ page }) => {
  const widget = new BookingWidget(page);
  await widget.open();
  let slotRequests = 0;
  page.on('request', (r) => { if (r.url().includes('/slots')) slotRequests += 1; });
  await widget.search('basic-service', '20o0');
  await expect(widget.fieldError('postcode')).toHaveText('Enter a valid postcode (for example 2000).');
  expect(slotRequests).toBe(0);
});

test('the host page styles do not reach inside the widget', async ({ page }) => {
  const widget = new BookingWidget(page);
  await widget.open();
  const hostButtonFont = await page.evaluate(() => {
    const b = document.createElement('button');
    document.body.append(b);
    return getComputedStyle(b).fontFamily;
  });
  expect(hostButtonFont).toContain('Comic Sans');
  const widgetButtonFont = await widget.button('Find times').evaluate((b) => getComputedStyle(b).fontFamily);
  expect(widgetButtonFont).not.toContain('Comic Sans');
});

test('a slot taken while the customer fills the form sends them back to choose another', async ({ page, request, consoleWatch }) => {
  consoleWatch.expectRefusal(409, /\/work-orders$/);
  const widget = new BookingWidget(page);
  await widget.open();
  const offered = page.waitForResponse((r) => r.url().includes('/slots?'));
  await widget.search('logbook-service', '2060');
  const first = (await (await offered).json()).days[0].slots[0];
  await widget.slots().first().click();
  await widget.describeCar();
  await widget.giveContactDetails();

  // Someone else books the same slot through the API meanwhile.
  const other = await request.post(`${SITE}/work-orders`, {
    headers: { 'Idempotency-Key': `someone-else-${Date.now()}` },
    data: {
      service: 'logbook-service', technician: first.technician, start: first.start, postcode: '2060',
      address: { line1: '2 Miller Street', city: 'North Sydney' },
      answers: { car_make: 'Mazda', car_model: '3', car_year: 2021, fuel: 'Petrol' },
      contact: { name: 'Sam Other', email: 'sam@example.com', phone: '0400 000 000' },
      terms_accepted: true,
    },
  });
  expect(other.status()).toBe(201);

  await widget.acceptTermsAndBook();
  await expect(widget.root.getByRole('heading', { name: 'Available times for 2060' })).toBeVisible();
  await expect(widget.fieldError('start')).toHaveText('This time was just taken. Please choose another.');
  await expect(widget.slots().first()).not.toHaveAttribute('aria-label', new RegExp(`^${await labelOf(first.start)}`));
});

/** The time part of a slot button's label, as the widget formats it in Sydney time. */
async function labelOf(start: string): Promise<string> {
  return new Intl.DateTimeFormat(undefined, { timeZone: 'Australia/Sydney', hour: 'numeric', minute: '2-digit' }).format(new Date(start));
}
