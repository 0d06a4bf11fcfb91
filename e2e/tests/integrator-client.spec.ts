import { expect, test } from './fixtures';
import createClient, { type Middleware } from 'openapi-fetch';
// Generated from the API's OpenAPI document by `cargo xtask test` (openapi-typescript), as an
// integrator would generate it; `tsc` checks every call below against it.
import type { paths } from 'jobslot-api';
import { signIn } from './staff-session';

const site = 'acme-car-servicing';

/** A typed client of the API at the server under test, sending `token` on every request. */
function client(token: string) {
  const api = createClient<paths>({ baseUrl: process.env.JOBSLOT_URL ?? 'http://127.0.0.1:8080' });
  const bearer: Middleware = {
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  };
  api.use(bearer);
  return api;
}

test('an integrator with a client generated from the OpenAPI document creates an order in advance and reads it back', async ({ page, request }) => {
  // The owner registers the integrator's system, as in the console's Integrations page.
  const owner = client(await signIn(page, request));
  const integration = await owner.POST('/api/sites/{site}/integrations', {
    params: { path: { site } },
    body: { name: 'Typed client' },
  });
  expect(integration.response.status).toBe(201);
  const { client_id, client_secret } = integration.data!;

  // The integrator's system gets its own token with client credentials (OAuth 2, not in the
  // API's document).
  const token = await request.post('/oauth2/token', {
    form: { grant_type: 'client_credentials', client_id, client_secret },
  });
  expect(token.status()).toBe(200);
  const integrator = client((await token.json()).access_token);

  const created = await integrator.POST('/api/sites/{site}/work-orders/unscheduled', {
    params: { path: { site } },
    body: {
      service: 'basic-service',
      postcode: '2000',
      address: { line1: '12 Typed Lane', city: 'Sydney' },
      answers: { car_make: 'Subaru', car_model: 'Outback', car_year: 2019, fuel: 'Petrol' },
      contact: { name: 'Tia Client', email: 'tia@example.com', phone: '0412 000 222' },
    },
  });
  expect(created.response.status).toBe(201);
  const { number, booking_path } = created.data!;
  expect(number).toMatch(/^WO-[0-9A-Z]{8}$/);
  expect(booking_path).toContain(`/book/${site}/work-orders/${number}`);

  const read = await integrator.GET('/api/sites/{site}/work-orders/{number}', {
    params: { path: { site, number } },
  });
  expect(read.response.status).toBe(200);
  expect(read.response.headers.get('etag')).toBeTruthy();
  const order = read.data!;
  expect(order.number).toBe(number);
  expect(order.service.id).toBe('basic-service');
  expect(order.contact.name).toBe('Tia Client');
  expect(order.location.line1).toBe('12 Typed Lane');
  // Created in advance: no time yet, until the customer picks one through the link.
  expect(order.planned_start).toBeUndefined();

  // A refusal reaches the client as the documented problem document.
  const missing = await integrator.GET('/api/sites/{site}/work-orders/{number}', {
    params: { path: { site, number: 'WO-00000000' } },
  });
  expect(missing.response.status).toBe(404);
  expect(missing.error?.type).toMatch(/not-found$/);
});
