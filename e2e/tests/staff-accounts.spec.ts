import { expect, test } from './fixtures';
import { DEMO_OWNER, choosePassword, consoleSignIn, passwordLink } from './staff-session';

test('an owner invites a dispatcher who sets a password from the e-mail, works, and is removed', async ({ page, browser, consoleWatch }) => {
  const email = `dee-${Date.now().toString(36)}@acme.example`;
  await consoleSignIn(page, DEMO_OWNER);
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Save member' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${email} is invited` })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('has not joined yet');

  // The dispatcher, on their own computer, follows the e-mail's link and signs in.
  const theirs = await browser.newContext();
  const desk = await theirs.newPage();
  consoleWatch.watch(desk);
  const link = await passwordLink(email, /invited/);
  await choosePassword(desk, link, 'dispatch from the depot');
  await consoleSignIn(desk, { email, password: 'dispatch from the depot' });
  await desk.getByRole('link', { name: 'Work orders' }).click();
  await expect(desk.getByRole('heading', { name: 'Work orders' })).toBeVisible();
  // The link worked once.
  consoleWatch.expectRefusal(410, /\/account\/password/);
  await desk.goto(link);
  await expect(desk.getByRole('heading', { name: 'This link does not work any more' })).toBeVisible();
  await desk.goBack();

  // The owner sees them joined, and removes them after confirming.
  await page.reload();
  await expect(row).not.toContainText('has not joined yet');
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${email} no longer has access` })).toBeVisible();
  await expect(row).toHaveCount(0);

  // Their open console stops working at its next request.
  consoleWatch.expectRefusal(404, /\/api\/sites\/acme-car-servicing\//);
  await desk.getByRole('link', { name: 'Board' }).click();
  await expect(desk.getByText(/No such site/)).toBeVisible();
  await theirs.close();
});

test('a forgotten password is reset from the sign-in page, and the link works once', async ({ page, consoleWatch }) => {
  const email = `reset-${Date.now().toString(36)}@acme.example`;
  // An owner adds them, and they join.
  await consoleSignIn(page, DEMO_OWNER);
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Save member' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${email} is invited` })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await choosePassword(page, await passwordLink(email, /invited/), 'first of my phrases');

  await page.goto('/admin/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account has this address');
  const link = await passwordLink(email, /Reset your Jobslot password/);
  await choosePassword(page, link, 'second of my phrases');
  consoleWatch.expectRefusal(410, /\/account\/password/);
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link does not work any more' })).toBeVisible();
  await consoleSignIn(page, { email, password: 'second of my phrases' });
});
