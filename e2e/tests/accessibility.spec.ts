import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';

// The widget for people who book with a keyboard, a screen reader or a small phone, checked by
// axe-core (WCAG 2.2 AA) on every step of every mode, and on the page around it.

const SITE_ID = 'acme-car-servicing';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function noViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), where).toEqual([]);
}

/** Books through every step of `widget`, with axe at each one. */
async function bookCheckingEachStep(page: Page, widget: Locator, postcode: string) {
  await expect(widget.getByRole('heading', { name: 'What do you need, and where?' })).toBeVisible();
  await noViolations(page, 'search');
  await widget.getByLabel('Postcode').fill(postcode);
  await widget.getByRole('button', { name: 'Find times' }).click();
  await expect(widget.locator('button.slot').first()).toBeVisible();
  await noViolations(page, 'slots');
  await widget.locator('button.slot').first().click();
  await expect(widget.getByRole('heading', { name: 'About the job' })).toBeVisible();
  await widget.getByRole('button', { name: 'Next' }).click();
  await expect(widget.locator('[aria-invalid=true]').first()).toBeFocused();
  await noViolations(page, 'details, with errors');
  await widget.getByLabel('Car make').fill('Honda');
  await widget.getByLabel('Model').fill('Jazz');
  await widget.getByLabel('Year of manufacture').fill('2018');
  await widget.getByLabel('Fuel type').selectOption('Petrol');
  await widget.getByRole('button', { name: 'Next' }).click();
  await expect(widget.getByRole('heading', { name: 'Your details' })).toBeVisible();
  await noViolations(page, 'contact');
  await widget.getByLabel('Full name').fill('Ada Access');
  await widget.getByLabel('Email').fill('ada@example.com');
  await widget.getByLabel('Phone').fill('0412 555 000');
  await widget.getByLabel('Street address').fill('9 Ramp Road');
  await widget.getByLabel('Suburb or city').fill('Sydney');
  await widget.getByRole('button', { name: 'Review' }).click();
  await expect(widget.getByRole('heading', { name: 'Check and book' })).toBeVisible();
  await noViolations(page, 'review');
  await widget.getByLabel('I accept the terms and conditions').check();
  await widget.getByRole('button', { name: 'Book now' }).click();
  await expect(widget.getByRole('heading', { name: "You're booked!" })).toBeVisible();
  await noViolations(page, 'done');
}

test('the demo page and every step of the inline widget have no violations', async ({ page }) => {
  await page.goto('/');
  await bookCheckingEachStep(page, page.locator('jobslot-booking'), '2000');
});

test('every step of the hosted booking page has no violations', async ({ page }) => {
  await page.goto(`/book/${SITE_ID}`);
  await bookCheckingEachStep(page, page.locator('jobslot-booking'), '2000');
});

test('every step in the button mode\'s dialog has no violations, in dark mode too', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.route('**/button-mode', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><title>Book</title></head><body><main><h1>Acme</h1>
        <script src="/widget/embed.js" data-site="${SITE_ID}" data-mode="button" async></script></main></body></html>`,
    }),
  );
  await page.goto('/button-mode');
  await page.getByRole('button', { name: 'Book now' }).click();
  await bookCheckingEachStep(page, page.getByRole('dialog'), '2000');
});

/** The element that has the keyboard focus, inside shadow roots too: its label or text. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return '';
    const labelled = active.id && active.getRootNode() instanceof ShadowRoot
      ? (active.getRootNode() as ShadowRoot).querySelector(`label[for="${active.id}"]`)?.textContent
      : null;
    return (active.getAttribute('aria-label') ?? labelled ?? active.textContent ?? '').trim();
  });
}

/** Tabs forward until the focused control's name starts with `name`. */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 40; i++) {
    if ((await focused(page)).startsWith(name)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${name}" (at "${await focused(page)}")`);
}

test('a customer books with the keyboard alone, from the first Tab to the confirmation', async ({ page }) => {
  await page.goto('/');
  const widget = page.locator('jobslot-booking');
  await expect(widget.getByLabel('Postcode')).toBeVisible();
  await tabTo(page, 'Postcode');
  await page.keyboard.type('2000');
  await page.keyboard.press('Enter');
  // Each new step puts the focus on its heading, so the next Tab starts there.
  await expect.poll(() => focused(page)).toBe('Available times for 2000');
  await tabTo(page, 'Technician');
  await page.keyboard.press('Tab');
  const today = await focused(page);
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => focused(page)).not.toBe(today);
  await page.keyboard.press('Home');
  await expect.poll(() => focused(page)).toBe(today);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('About the job');
  for (const [label, text] of [['Car make', 'Kia'], ['Model', 'Rio'], ['Year of manufacture', '2017']]) {
    await tabTo(page, label);
    await page.keyboard.type(text);
  }
  await tabTo(page, 'Fuel type');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, 'Next');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('Your details');
  for (const [label, text] of [['Full name', 'Kim Keys'], ['Email', 'kim@example.com'], ['Phone', '0412 777 888'], ['Street address', '3 Tab Street'], ['Suburb or city', 'Sydney']]) {
    await tabTo(page, label);
    await page.keyboard.type(text);
  }
  await tabTo(page, 'Review');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('Check and book');
  await tabTo(page, 'I accept the terms');
  await page.keyboard.press('Space');
  await tabTo(page, 'Book now');
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('heading', { name: "You're booked!" })).toBeVisible();
});

test('on a 320 px phone it fits without sideways scrolling, and every target is at least 24 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/');
  const widget = page.locator('jobslot-booking');
  await widget.getByLabel('Postcode').fill('2000');
  await widget.getByRole('button', { name: 'Find times' }).click();
  await expect(widget.locator('button.slot').first()).toBeVisible();
  const overflow = await widget.evaluate((host) => {
    const inner = host.shadowRoot!.querySelector('.widget')!;
    return { page: document.documentElement.scrollWidth, inner: inner.scrollWidth - inner.clientWidth, right: inner.getBoundingClientRect().right };
  });
  expect(overflow.page).toBeLessThanOrEqual(320);
  expect(overflow.inner).toBe(0);
  expect(overflow.right).toBeLessThanOrEqual(320);
  // Every button is at least 24 × 24 px (WCAG 2.2 target size).
  const small = await widget.evaluate((host) =>
    [...host.shadowRoot!.querySelectorAll('button, [role=gridcell], input, select')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width < 24 || r.height < 24).length,
  );
  expect(small).toBe(0);
});
