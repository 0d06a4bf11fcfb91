import { APIRequestContext, Page, expect } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { mailAbout } from './mailbox';

/** The demo owner that `jobslot-local --demo` seeds (printed by `cargo xtask dev`). */
export const DEMO_OWNER = { email: 'owner@acme.example', password: 'acme-demo-owner' };

/**
 * Signs in on the local issuer's own sign-in page with the authorization-code flow and PKCE,
 * as the console does, and returns an access token.
 */
export async function signIn(page: Page, request: APIRequestContext, who = DEMO_OWNER): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const origin = new URL(page.url() === 'about:blank' ? process.env.JOBSLOT_URL ?? 'http://127.0.0.1:8080' : page.url()).origin;
  const redirectUri = `${origin}/admin/`;
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'jobslot-console',
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'e2e',
  });
  await page.goto(`/oauth2/authorize?${query}`);
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // At commit: the console, once loaded, takes the code out of its address (and refuses it,
  // not having started this sign-in), which can be before the page's load event.
  let code = '';
  await page.waitForURL(
    (url) => {
      code = url.pathname === '/admin/' ? (url.searchParams.get('code') ?? '') : '';
      return code !== '';
    },
    { waitUntil: 'commit' },
  );
  const tokens = await request.post('/oauth2/token', {
    form: { grant_type: 'authorization_code', code, client_id: 'jobslot-console', redirect_uri: redirectUri, code_verifier: verifier },
  });
  expect(tokens.status()).toBe(200);
  return (await tokens.json()).access_token;
}

/** The last link to the password page e-mailed to `email` with `subject` (read from the SMTP sink). */
export async function passwordLink(email: string, subject: RegExp): Promise<string> {
  let link = '';
  await expect
    .poll(async () => {
      const mails = (await mailAbout(email, 1)).filter((m) => subject.test(m.subject ?? ''));
      link = mails.at(-1)?.text?.match(/https?:\/\/\S+\/account\/password\?token=[\w-]+/)?.[0] ?? '';
      return link;
    }, { timeout: 15_000 })
    .not.toBe('');
  return link;
}

/** Opens the invitation e-mailed to `email` and chooses `password` on the page it links to. */
export async function acceptInvitation(page: Page, email: string, password: string) {
  await choosePassword(page, await passwordLink(email, /invited/), password);
}

/** Sets `password` on the password page `link` opens. */
export async function choosePassword(page: Page, link: string, password: string) {
  await page.goto(link);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('New password again').fill(password);
  await page.getByRole('button', { name: 'Set the password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password is set' })).toBeVisible();
}

/** Signs in to the console on `page` as `who` and waits for the first page. */
export async function consoleSignIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/admin/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeVisible();
}
