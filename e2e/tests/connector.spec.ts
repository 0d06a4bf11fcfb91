import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { signIn } from './staff-session';

const SITE = '/api/sites/acme-car-servicing';
/** The integrator's field app, where the customer returns; Playwright answers for it. */
const FIELD_APP = 'https://fieldapp.example';

/** The integrator's access token, got as its system gets one: client credentials. */
async function integratorToken(request: APIRequestContext, owner: string): Promise<string> {
  const integration = await request.post(`${SITE}/integrations`, {
    headers: { authorization: `Bearer ${owner}` },
    data: { name: 'Field app' },
  });
  expect(integration.status()).toBe(201);
  const { client_id, client_secret } = await integration.json();
  const token = await request.post('/oauth2/token', {
    form: { grant_type: 'client_credentials', client_id, client_secret },
  });
  expect(token.status()).toBe(200);
  return (await token.json()).access_token;
}

/** Lets the site send customers back to the field app (its allow-list of origins). */
async function allowFieldApp(request: APIRequestContext, owner: string) {
  const headers = { authorization: `Bearer ${owner}` };
  const current = await request.get(`${SITE}/settings`, { headers });
  const settings = await current.json();
  if (settings.allowed_origins.includes(FIELD_APP)) return;
  settings.allowed_origins.push(FIELD_APP);
  const changed = await request.put(`${SITE}/settings`, {
    headers: { ...headers, 'if-match': current.headers()['etag'] },
    data: settings,
  });
  expect(changed.status()).toBe(200);
}

test('an integrator creates an order in advance and the customer books it through the deep link, landing back on the callback', async ({ page, request, consoleWatch }) => {
  // The link with another token, and a return address elsewhere, are refused.
  consoleWatch.expectRefusal(404, /\/work-orders\/WO-[0-9A-Z]{8}\/booking\?/);
  consoleWatch.expectRefusal(422, /\/work-orders\/WO-[0-9A-Z]{8}\/booking\?callback_uri=https/);
  const owner = await signIn(page, request);
  await allowFieldApp(request, owner);
  const integrator = await integratorToken(request, owner);

  const created = await request.post(`${SITE}/work-orders/unscheduled`, {
    headers: { authorization: `Bearer ${integrator}` },
    data: {
      service: 'basic-service',
      postcode: '2000',
      address: { line1: '7 Harbour Street', city: 'Sydney' },
      answers: { car_make: 'Mazda', car_model: 'CX-5', car_year: 2021, fuel: 'Petrol' },
      contact: { name: 'Nadia Field', email: 'nadia@example.com', phone: '0412 000 111' },
    },
  });
  expect(created.status()).toBe(201);
  const { number, booking_path } = await created.json();
  expect(number).toMatch(/^WO-[0-9A-Z]{8}$/);

  await page.route(`${FIELD_APP}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Field app</title><h1>Back in the field app</h1>' }),
  );
  const callback = `${FIELD_APP}/jobs/42?tab=photos`;
  await page.goto(`${booking_path}&callback_uri=${encodeURIComponent(callback)}`);
  const widget = page.locator('jobslot-booking');
  await expect(widget.getByRole('heading', { name: 'Book with Acme Car Servicing' })).toBeVisible();
  await expect(widget.getByText('Step 1 of 2')).toBeVisible();
  await expect(widget.locator('button.slot').first()).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
  await widget.locator('button.slot').first().click();
  await expect(widget.getByText(number)).toBeVisible();
  await expect(widget.getByText('7 Harbour Street, Sydney 2000')).toBeVisible();
  await widget.getByLabel('I accept the terms and conditions').check();
  await widget.getByRole('button', { name: 'Book now', exact: true }).click();

  await page.waitForURL((url) => url.origin === FIELD_APP);
  const landed = new URL(page.url());
  expect(landed.pathname).toBe('/jobs/42');
  expect(Object.fromEntries(landed.searchParams)).toEqual({ tab: 'photos', work_order: number, status: 'new', progress: '100' });
  await expect(page.getByRole('heading', { name: 'Back in the field app' })).toBeVisible();

  // The order now has its slot, and the link shows it instead of offering another.
  const order = await (await request.get(`${SITE}/work-orders/${number}`, { headers: { authorization: `Bearer ${owner}` } })).json();
  expect(order.planned_start).toBeTruthy();
  await page.goto(booking_path);
  await expect(widget.getByRole('heading', { name: "You're booked!" })).toBeVisible();
  // In Spanish when the link asks (or the visitor's browser prefers it).
  await page.goto(`${booking_path}&lang=es`);
  await expect(widget.getByRole('heading', { name: '¡Reserva hecha!' })).toBeVisible();
  await expect(widget.getByText(`Orden de trabajo ${number}`)).toBeVisible();
  await expect(widget.getByText(/^Basic service con .+, (lunes|martes|miércoles|jueves|viernes|sábado|domingo)/)).toBeVisible();

  // A link with another token opens nothing, and a return address elsewhere is refused.
  await page.goto(booking_path.replace(/token=./, (t: string) => (t.endsWith('A') ? 'token=B' : 'token=A')));
  await expect(widget.getByRole('alert')).toHaveText(/not valid/);
  await page.goto(`${booking_path}&callback_uri=${encodeURIComponent('https://evil.example/')}`);
  await expect(widget.getByRole('alert')).toHaveText(/does not allow returning/);
});
