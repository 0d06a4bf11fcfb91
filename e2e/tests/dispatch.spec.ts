import { type Browser, type Page } from '@playwright/test';
import { expect, test, type ConsoleWatch } from './fixtures';
import { BookingWidget } from './booking-widget';
import { DEMO_OWNER, acceptInvitation, consoleSignIn, signIn } from './staff-session';

const SITE = '/api/sites/acme-car-servicing';

async function phone(browser: Browser, consoleWatch: ConsoleWatch): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  consoleWatch.watch(page);
  return page;
}

test('a dispatcher reassigns a booked order, its technician closes it incomplete on a phone and books a follow-up that shows on the board', async ({ page, request, browser, consoleWatch }) => {
  // The customer books through the widget on the demo site.
  const widget = new BookingWidget(page);
  await widget.open();
  await widget.search('basic-service', '2000');
  await widget.slots().first().click();
  await widget.describeCar();
  await widget.giveContactDetails();
  await widget.acceptTermsAndBook();
  await expect(widget.root.getByRole('heading', { name: "You're booked!" })).toBeVisible();
  const number = (await widget.root.getByText(/WO-[0-9A-Z]{8}/).first().textContent())?.match(/WO-[0-9A-Z]{8}/)?.[0] ?? '';
  expect(number).toMatch(/^WO-/);

  // The owner adds a dispatcher and a technician; each sets a password from their invitation.
  const owner = await signIn(page, request);
  const member = async (email: string, role: string, technician?: string) => {
    const response = await request.put(`${SITE}/members`, {
      headers: { authorization: `Bearer ${owner}` },
      data: { email, role, technician },
    });
    expect(response.status()).toBeLessThan(300);
    const password = `${role} keeps the vans rolling`;
    await acceptInvitation(page, email, password);
    return { email, password };
  };
  const suffix = Date.now().toString(36);
  const dispatcher = await member(`desk-${suffix}@acme.example`, 'dispatcher');
  const booked = await (await request.get(`${SITE}/work-orders/${number}`, { headers: { authorization: `Bearer ${owner}` } })).json();
  const [targetId, targetName] = booked.technician.id === 'sam-nguyen' ? ['priya-shah', 'Priya Shah'] : ['sam-nguyen', 'Sam Nguyen'];
  const technician = await member(`tech-${suffix}@acme.example`, 'technician', targetId);

  // The dispatcher finds the order in the list and reassigns it.
  await consoleSignIn(page, dispatcher);
  await page.getByRole('link', { name: 'Work orders' }).click();
  await expect(page.getByRole('heading', { name: 'Work orders' })).toBeVisible();
  await page.getByLabel('Find').fill(`mary ${number}`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { name: number })).toBeVisible();
  // Earlier tests may have booked the other technician at this time: pick a time they are free.
  await page.getByRole('button', { name: 'Find other times' }).click();
  await page.getByRole('list', { name: 'Free times' }).getByRole('button', { name: targetName }).first().click();
  await expect(page.getByRole('status').filter({ hasText: `Reassigned to ${targetName}.` })).toBeVisible();
  await expect(page.getByRole('cell', { name: targetId, exact: true })).toBeVisible();

  // The technician, on a phone: Enroute, Onsite, Closed incomplete with a reason, follow-up.
  const field = await phone(browser, consoleWatch);
  await consoleSignIn(field, technician);
  await expect(field.getByRole('heading', { name: 'My jobs' })).toBeVisible();
  const card = field.locator('article.job-card').filter({ hasText: number });
  await expect(card).toBeVisible();
  await expect(card.getByRole('link', { name: 'Map' })).toHaveAttribute('href', /openstreetmap/);
  await card.getByRole('button', { name: 'Enroute', exact: true }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Now enroute.' })).toBeVisible();
  await card.getByRole('button', { name: 'Onsite', exact: true }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Now onsite.' })).toBeVisible();
  // Closing incomplete without a reason is refused, and says so.
  consoleWatch.expectRefusal(422, /\/work-orders\/WO-[0-9A-Z]{8}$/);
  await card.getByRole('button', { name: 'Close incomplete' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'reason code' })).toBeVisible();
  await card.getByLabel('Reason to close incomplete').selectOption({ label: 'Parts needed' });
  await card.getByRole('button', { name: 'Close incomplete' }).click();
  await expect(card.getByRole('status').filter({ hasText: 'Now closed incomplete.' })).toBeVisible();
  await card.getByRole('button', { name: 'Book follow-up' }).click();
  await card.getByRole('list', { name: 'Free slots for the follow-up' }).getByRole('button').first().click();
  const booking = card.getByRole('status').filter({ hasText: 'Follow-up' });
  await expect(booking).toHaveText(/Follow-up WO-[0-9A-Z]{8} booked/);
  const followUp = (await booking.textContent())?.match(/WO-[0-9A-Z]{8}/)?.[0] ?? '';
  await field.context().close();

  // The follow-up is linked to the first order and on the board.
  const first = await (await request.get(`${SITE}/work-orders/${number}`, { headers: { authorization: `Bearer ${owner}` } })).json();
  expect(first.follow_ups).toEqual([followUp]);
  await page.getByRole('link', { name: 'Board' }).click();
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await expect(page.locator(`a[href="#/work-orders/${followUp}"]`)).toBeVisible();
  await page.locator(`a[href="#/work-orders/${followUp}"]`).click();
  await expect(page.getByRole('heading', { name: followUp })).toBeVisible();
  await expect(page.getByRole('link', { name: number })).toBeVisible();
});
