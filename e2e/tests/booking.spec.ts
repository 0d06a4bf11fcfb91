import { expect, test } from '@playwright/test';
import path from 'node:path';
import { BookingWidget } from './booking-widget';

const SITE = '/api/sites/acme-car-servicing';
const staff = { Authorization: `Bearer ${process.env.JOBSLOT_STAFF_TOKEN ?? ''}` };

test('a customer books the first free slot, and the work order holds what they entered', async ({ page, request }) => {
  const widget = new BookingWidget(page);
  await widget.open();
  await widget.search('basic-service', '2000');

  await expect(widget.root.getByRole('heading', { name: 'Available times for 2000' })).toBeVisible();
  await expect(widget.slots().first()).toBeVisible();
  await widget.root.locator('.widget').screenshot({ path: path.join(__dirname, '..', '..', 'docs', 'widget.png') });
  await widget.slots().first().click();

  await widget.root.getByLabel('Car make').fill('Toyota');
  await widget.root.getByLabel('Model').fill('Corolla');
  await widget.root.getByLabel('Year of manufacture').fill('2019');
  await widget.root.getByLabel('Fuel type').selectOption('Hybrid');
  await widget.root.getByLabel('I need a loan car').check();
  await widget.button('Next').click();

  await widget.root.getByLabel('Full name').fill('Mary Citizen');
  await widget.root.getByLabel('Email').fill('mary@example.com');
  await widget.root.getByLabel('Phone').fill('0412 345 678');
  await widget.root.getByLabel('Street address').fill('1 George Street');
  await widget.root.getByLabel('Suburb or city').fill('Sydney');
  await widget.button('Review').click();

  await expect(widget.root.getByText('Toyota')).toBeVisible();
  await widget.button('Book now').click();
  await expect(widget.fieldError('terms_accepted')).toHaveText('Accept the terms to book.');
  await widget.root.getByLabel('I accept the terms and conditions').check();
  await widget.button('Book now').click();

  await expect(widget.root.getByRole('heading', { name: "You're booked!" })).toBeVisible();
  const number = (await widget.root.locator('.work-order-number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^WO-[0-9A-Z]{8}$/);

  const stored = await request.get(`${SITE}/work-orders/${number}`, { headers: staff });
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

test('a postcode nobody serves gets a clear message beside the postcode field', async ({ page }) => {
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
