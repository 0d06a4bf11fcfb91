import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { signIn } from './staff-session';

// The widget as other people's websites embed it: on their own origin (Playwright answers for
// `localhost`, the widget and API stay on 127.0.0.1), with their own markup, styles and
// security headers.

const SITE_ID = 'acme-car-servicing';
const SITE = `/api/sites/${SITE_ID}`;
const WIDGET = new URL(process.env.JOBSLOT_URL ?? 'http://127.0.0.1:8080');
/** The business's own website: another origin than the widget's. */
const SHOP = `http://localhost:${WIDGET.port}`;
const EMBED = `${WIDGET.origin}/widget/embed.js`;
/** Only the widget's origin, and wasm compilation: no inline script or style at all. */
const STRICT_CSP = `default-src 'none'; script-src ${WIDGET.origin} 'wasm-unsafe-eval'; connect-src ${WIDGET.origin}`;

/** Lets the shop's origin embed the widget (and be redirected to), as its owner would. */
async function allowShop(page: Page, request: APIRequestContext) {
  const headers = { authorization: `Bearer ${await signIn(page, request)}` };
  const current = await request.get(`${SITE}/settings`, { headers });
  const settings = await current.json();
  if (!settings.allowed_origins.includes(SHOP)) {
    settings.allowed_origins.push(SHOP);
    const changed = await request.put(`${SITE}/settings`, {
      headers: { ...headers, 'if-match': current.headers()['etag'] },
      data: settings,
    });
    expect(changed.status()).toBe(200);
  }
  // Browsers learn a site's origins through a cache of at most 30 s.
  await expect
    .poll(async () => (await request.get(`${SITE}/config`, { headers: { origin: SHOP } })).headers()['access-control-allow-origin'], { timeout: 40_000 })
    .toBe(SHOP);
}

/** Serves `body` as the shop's page at `path`, with `headers`. */
async function shopPage(page: Page, path: string, body: string, headers: Record<string, string> = {}, lang = 'en') {
  await page.route(`${SHOP}${path}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers, body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Shop</title></head><body>${body}</body></html>` }),
  );
}

/** Every `jobslot:*` event the page heard, with its detail. */
const RECORD_EVENTS = `<script>
  window.heard = [];
  for (const type of ['jobslot:ready', 'jobslot:slot-selected', 'jobslot:booked']) {
    document.addEventListener(type, (e) => heard.push({ type, detail: e.detail }));
  }
</script>`;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser, playwright }) => {
  const page = await browser.newPage({ baseURL: WIDGET.origin });
  const request = await playwright.request.newContext({ baseURL: WIDGET.origin });
  await allowShop(page, request);
  await request.dispose();
  await page.close();
});

test('pasted on another origin, the widget starts from the page\'s service and postcode, tells the page what happens, keeps the UTM values and returns to the shop\'s thank-you page', async ({ page, request }) => {
  await shopPage(page, '/book', `${RECORD_EVENTS}<h1>Book</h1>
    <script src="${EMBED}" data-site="${SITE_ID}" data-service="logbook-service" data-postcode="2000" data-redirect="${SHOP}/thanks" async></script>`);
  await shopPage(page, '/thanks', '<h1>Thank you</h1>');
  await page.goto(`${SHOP}/book?utm_source=newsletter&utm_campaign=spring&utm_term=`);
  const widget = page.locator('jobslot-booking');
  await expect(widget.getByRole('heading', { name: 'Available times for 2000' })).toBeVisible();
  await expect(page.evaluate(() => (window as any).heard[0])).resolves.toEqual({ type: 'jobslot:ready', detail: { site: SITE_ID } });
  await widget.getByRole('button', { name: 'Back' }).click();
  await expect(widget.getByLabel('Service')).toHaveValue('logbook-service');
  await widget.getByRole('button', { name: 'Find times' }).click();

  await widget.locator('button.slot').first().click();
  await widget.getByLabel('Car make').fill('Mazda');
  await widget.getByLabel('Model').fill('3');
  await widget.getByLabel('Year of manufacture').fill('2020');
  await widget.getByLabel('Fuel type').selectOption('Petrol');
  await widget.getByRole('button', { name: 'Next' }).click();
  await widget.getByLabel('Full name').fill('Rita Embed');
  await widget.getByLabel('Email').fill('rita@example.com');
  await widget.getByLabel('Phone').fill('0412 000 111');
  await widget.getByLabel('Street address').fill('5 Shop Lane');
  await widget.getByLabel('Suburb or city').fill('Sydney');
  await widget.getByRole('button', { name: 'Review' }).click();
  await widget.getByLabel('I accept the terms and conditions').check();
  await widget.getByRole('button', { name: 'Book now' }).click();

  await page.waitForURL(`${SHOP}/thanks?work_order=*`);
  const number = new URL(page.url()).searchParams.get('work_order') ?? '';
  expect(number).toMatch(/^WO-[0-9A-Z]{8}$/);
  const token = await signIn(await page.context().newPage(), request);
  const order = await (await request.get(`${SITE}/work-orders/${number}`, { headers: { authorization: `Bearer ${token}` } })).json();
  expect(order.service.id).toBe('logbook-service');
  expect(order.tracking).toEqual({ utm_campaign: 'spring', utm_source: 'newsletter' });
});

test('the events carry the work order number and times, never the customer', async ({ page }) => {
  await shopPage(page, '/events', `${RECORD_EVENTS}<script src="${EMBED}" data-site="${SITE_ID}" data-service="basic-service" data-postcode="2000" async></script>`);
  await page.goto(`${SHOP}/events`);
  const widget = page.locator('jobslot-booking');
  await widget.locator('button.slot').first().click();
  const heard = await page.evaluate(() => (window as any).heard);
  expect(heard.map((e: { type: string }) => e.type)).toEqual(['jobslot:ready', 'jobslot:slot-selected']);
  expect(heard[1].detail).toEqual({ service: 'basic-service', start: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/) });
});

test('under a strict Content-Security-Policy (its origin and wasm only) it works without one violation', async ({ page }) => {
  await shopPage(page, '/strict', `<h1>Strict</h1><script src="${EMBED}" data-site="${SITE_ID}" async></script>`, {
    'content-security-policy': STRICT_CSP,
  });
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  await page.goto(`${SHOP}/strict`);
  const widget = page.locator('jobslot-booking');
  await widget.getByLabel('Postcode').fill('2000');
  await widget.getByRole('button', { name: 'Find times' }).click();
  await expect(widget.locator('button.slot').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('hostile host CSS cannot change it, and its CSS does not leak out', async ({ page }) => {
  const measure = async () => {
    const widget = page.locator('jobslot-booking');
    await expect(widget.getByRole('heading', { name: 'Book with Acme Car Servicing' })).toBeVisible();
    return widget.evaluate((host) => {
      const root = host.shadowRoot!;
      const px = (selector: string, property: string) => getComputedStyle(root.querySelector(selector)!).getPropertyValue(property);
      return {
        display: getComputedStyle(host).display,
        heading: px('h2', 'font-size'),
        font: px('h2', 'font-family'),
        field: px('input', 'padding-top'),
        button: px('button', 'font-size'),
        width: Math.round(root.querySelector('.widget')!.getBoundingClientRect().width),
      };
    });
  };
  await page.setViewportSize({ width: 1000, height: 900 });
  await shopPage(page, '/plain', `<main><script src="${EMBED}" data-site="${SITE_ID}" async></script></main>`);
  await page.goto(`${SHOP}/plain`);
  const plain = await measure();

  await shopPage(page, '/hostile', `<style>
      * { all: unset !important; }
      div, section { display: none !important; }
      html { font-size: 40px !important; }
      body { font: 50px/3 "Comic Sans MS", cursive !important; color: red !important; }
      h2, button, input { font-size: 99px !important; padding: 40px !important; }
    </style>
    <main><script src="${EMBED}" data-site="${SITE_ID}" async></script><p class="after">After the widget</p></main>`);
  await page.goto(`${SHOP}/hostile`);
  expect(await measure()).toEqual(plain);
  // Nothing of the widget's reaches the page: the page's own paragraph keeps the page's font.
  expect(await page.locator('p.after').evaluate((p) => getComputedStyle(p).fontSize)).toBe('50px');
});

test('a single-page app adds and removes widgets: two services on one page, and no leak over 100 mounts', async ({ page }) => {
  await shopPage(page, '/app', `<main id="app"></main><script src="${EMBED}" async></script>`);
  await page.goto(`${SHOP}/app`);
  await page.waitForFunction(() => (window as any).__jobslotLoading);
  const add = (service: string) =>
    page.evaluate(({ service, site, api }) => {
      const element = document.createElement('jobslot-booking');
      element.setAttribute('site', site);
      element.setAttribute('api', api);
      element.setAttribute('service', service);
      document.getElementById('app')!.append(element);
    }, { service, site: SITE_ID, api: WIDGET.origin });
  await add('basic-service');
  await add('brake-repair');
  const widgets = page.locator('jobslot-booking');
  await expect(widgets).toHaveCount(2);
  await expect(widgets.nth(0).getByLabel('Service')).toHaveValue('basic-service');
  await expect(widgets.nth(1).getByLabel('Service')).toHaveValue('brake-repair');

  // Each cycle mounts a widget, waits for it to be ready, and removes it.
  const cycles = (n: number) =>
    page.evaluate(async ({ n, site, api }) => {
      for (let i = 0; i < n; i++) {
        const element = document.createElement('jobslot-booking');
        element.setAttribute('site', site);
        element.setAttribute('api', api);
        const ready = new Promise((resolve) => element.addEventListener('jobslot:ready', resolve, { once: true }));
        document.getElementById('app')!.append(element);
        await ready;
        element.remove();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return ((await (window as any).__jobslotLoading).memory.buffer.byteLength as number);
    }, { n, site: SITE_ID, api: WIDGET.origin });
  await page.evaluate(() => document.querySelectorAll('jobslot-booking').forEach((e) => e.remove()));
  const warm = await cycles(10);
  const after = await cycles(100);
  console.log(`wasm memory after 10 mounts: ${warm} B, after 100 more: ${after} B`);
  expect(after - warm).toBeLessThanOrEqual(64 * 1024);
  await expect(widgets).toHaveCount(0);
});

test('the button mode opens the flow in an accessible modal dialog and gives focus back', async ({ page }) => {
  await shopPage(page, '/button', `<main><h1>Acme</h1><script src="${EMBED}" data-site="${SITE_ID}" data-mode="button" data-label="Book a service" async></script></main>`);
  await page.goto(`${SHOP}/button`);
  const open = page.getByRole('button', { name: 'Book a service' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Book a service' });
  await expect(dialog.getByRole('heading', { name: 'Book with Acme Car Servicing' })).toBeVisible();
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze()).violations).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
});

test('the button mode speaks the page\'s language: its button and its close button', async ({ page }) => {
  await shopPage(page, '/boton', `<main><script src="${EMBED}" data-site="${SITE_ID}" data-mode="button" async></script></main>`, {}, 'es-MX');
  await page.goto(`${SHOP}/boton`);
  await page.getByRole('button', { name: 'Reservar' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reservar' });
  await expect(dialog.getByRole('heading', { name: 'Reserva con Acme Car Servicing' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cerrar' }).click();
  await expect(dialog).toBeHidden();
});

test('the hosted booking page at /book/{site} takes a plain link, with the service and postcode in it', async ({ page }) => {
  await page.goto(`/book/${SITE_ID}?service=brake-repair&postcode=2000`);
  const widget = page.locator('jobslot-booking');
  await expect(widget.getByRole('heading', { name: 'Available times for 2000' })).toBeVisible();
  await widget.getByRole('button', { name: 'Back' }).click();
  await expect(widget.getByLabel('Service')).toHaveValue('brake-repair');
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze()).violations).toEqual([]);
});

test('on a Spanish page it speaks Spanish, dates and prices included, and books', async ({ page }) => {
  await shopPage(page, '/es', `<main><h1>Reservas</h1><script src="${EMBED}" data-site="${SITE_ID}" async></script></main>`, {}, 'es-ES');
  await page.goto(`${SHOP}/es`);
  const widget = page.locator('jobslot-booking');
  await expect(widget.getByRole('heading', { name: 'Reserva con Acme Car Servicing' })).toBeVisible();
  await expect(widget.getByText('Paso 1 de 5')).toBeVisible();
  // Prices in Spanish style: "289,00 $" (decimal comma).
  await expect(widget.getByLabel('Servicio').locator('option').first()).toHaveText(/289,00/);
  // The rules the widget checks before sending speak Spanish too.
  await widget.getByLabel('Código postal').fill('20');
  await widget.getByRole('button', { name: 'Ver horarios' }).click();
  await expect(widget.getByText('Escribe un código postal válido (por ejemplo 2000).')).toBeVisible();
  await expect(widget.getByLabel('Código postal')).toBeFocused();
  await widget.getByLabel('Código postal').fill('2000');
  await widget.getByRole('button', { name: 'Ver horarios' }).click();
  await expect(widget.getByRole('heading', { name: 'Horarios disponibles para 2000' })).toBeVisible();
  // Day names from Intl in Spanish, times in 24-hour form.
  await expect(widget.locator('.day h4')).toHaveText(/^(lunes|martes|miércoles|jueves|viernes|sábado|domingo)/);
  await expect(widget.locator('button.slot .slot-time').first()).toHaveText(/^\d{1,2}:\d{2}$/);
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze()).violations).toEqual([]);
  await widget.getByRole('button', { name: 'Atrás' }).click();
  await expect(widget.getByLabel('Código postal')).toHaveValue('2000');
});

test.describe('a visitor whose browser prefers Spanish', () => {
  test.use({ locale: 'es-MX' });

  test('gets the hosted booking page at /book/{site} in Spanish, the page\'s language and title included, unless the link says ?lang=en', async ({ page }) => {
    await page.goto(`/book/${SITE_ID}`);
    const widget = page.locator('jobslot-booking');
    await expect(widget.getByRole('heading', { name: 'Reserva con Acme Car Servicing' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page).toHaveTitle('Reserva en línea');
    await page.goto(`/book/${SITE_ID}?lang=en`);
    await expect(widget.getByRole('heading', { name: 'Book with Acme Car Servicing' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });

  test('gets a shop\'s English page in English: the page\'s own language wins', async ({ page }) => {
    await shopPage(page, '/en', `<main><script src="${EMBED}" data-site="${SITE_ID}" async></script></main>`, {}, 'en');
    await page.goto(`${SHOP}/en`);
    await expect(page.locator('jobslot-booking').getByRole('heading', { name: 'Book with Acme Car Servicing' })).toBeVisible();
  });
});

test('the site\'s accent, font and corner radius theme it, and the page can still override them', async ({ page, request }) => {
  const headers = { authorization: `Bearer ${await signIn(await page.context().newPage(), request)}` };
  const current = await request.get(`${SITE}/settings`, { headers });
  const settings = await current.json();
  const themed = { ...settings, accent_colour: '#1d3b2a', font_family: 'Georgia, serif', corner_radius: 4 };
  const changed = await request.put(`${SITE}/settings`, { headers: { ...headers, 'if-match': current.headers()['etag'] }, data: themed });
  expect(changed.status()).toBe(200);
  try {
    await shopPage(page, '/themed', `<style>jobslot-booking.square { --jobslot-radius: 0px; }</style>
      <main><jobslot-booking site="${SITE_ID}"></jobslot-booking><jobslot-booking class="square" site="${SITE_ID}"></jobslot-booking>
      <script src="${EMBED}" async></script></main>`);
    await page.goto(`${SHOP}/themed`);
    const look = (n: number) =>
      page.locator('jobslot-booking').nth(n).evaluate((host) => {
        const root = host.shadowRoot!;
        const style = (selector: string) => getComputedStyle(root.querySelector(selector)!);
        return { radius: style('.widget').borderTopLeftRadius, font: style('h2').fontFamily, accent: style('button.primary').backgroundColor };
      });
    await expect(page.locator('jobslot-booking').nth(1).getByRole('button', { name: 'Find times' })).toBeVisible();
    expect(await look(0)).toEqual({ radius: '4px', font: 'Georgia, serif', accent: 'rgb(29, 59, 42)' });
    expect((await look(1)).radius).toBe('0px');
  } finally {
    const now = await request.get(`${SITE}/settings`, { headers });
    await request.put(`${SITE}/settings`, { headers: { ...headers, 'if-match': now.headers()['etag'] }, data: settings });
  }
});
