import { expect } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';

/** Where the webhook sink `cargo xtask test` starts listens, and where it keeps requests. */
export const WEBHOOK_URL = process.env.JOBSLOT_E2E_WEBHOOK_URL ?? '';
const DIR = process.env.JOBSLOT_E2E_WEBHOOK_DIR ?? '';

export interface Received {
  id: string;
  type: string;
  body: any;
}

/**
 * The requests the sink got about `needle` that `secret` verifies by the Standard Webhooks
 * library (which also refuses a stale timestamp), waiting until there are `count`. Requests
 * signed with another secret (another endpoint on the same sink) are left out.
 */
export async function webhooksAbout(needle: string, count: number, secret: string): Promise<Received[]> {
  expect(DIR, 'JOBSLOT_E2E_WEBHOOK_DIR names the sink directory').not.toBe('');
  const verifier = new Webhook(secret);
  let verified: Received[] = [];
  await expect
    .poll(
      async () => {
        const names = (await readdir(DIR)).filter((n) => n.endsWith('.json')).sort();
        const all = await Promise.all(names.map(async (n) => JSON.parse(await readFile(path.join(DIR, n), 'utf8'))));
        verified = all
          .filter((r) => r.body.includes(needle))
          .flatMap((r) => {
            try {
              const body = verifier.verify(r.body, r.headers) as any;
              return [{ id: r.headers['webhook-id'], type: body.type, body }];
            } catch {
              return [];
            }
          });
        return verified.length;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThanOrEqual(count);
  return verified;
}
