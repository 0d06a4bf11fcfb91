import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';

export { expect };

/** A refusal a test provokes on purpose, which the browser reports as a failed resource. */
type Refusal = { status: number; url: RegExp };

/** What a test may tell the console watch. */
export interface ConsoleWatch {
  /**
   * The test makes the server refuse a request to `url` with `status` on purpose (a slot just
   * taken, a wrong token): Chromium logs every 4xx/5xx answer as an error, and this one is
   * expected.
   */
  expectRefusal(status: number, url: RegExp): void;
  /** Watches a page the test opened in a context of its own (a technician's phone). */
  watch(page: Page): void;
}

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})/;

function refused(message: ConsoleMessage): { status: number; url: string } | undefined {
  const status = FAILED_RESOURCE.exec(message.text())?.[1];
  return status === undefined ? undefined : { status: Number(status), url: message.location().url };
}

/**
 * Every test fails if any page it opened (the demo site, the console, the hosted pages, the
 * sign-in page, a shop embedding the widget) logged an error in the browser's console or threw
 * an uncaught exception, unless the test said it provokes that refusal.
 */
export const test = base.extend<{ consoleWatch: ConsoleWatch }>({
  consoleWatch: [
    async ({ context, page }, use) => {
      const errors: ConsoleMessage[] = [];
      const uncaught: string[] = [];
      const watch = (watched: Page) => {
        watched.on('console', (message) => {
          if (message.type() === 'error') errors.push(message);
        });
        watched.on('pageerror', (error) => uncaught.push(`${watched.url()}: ${error.message}`));
      };
      watch(page);
      context.on('page', watch);
      const expected: Refusal[] = [];
      await use({ expectRefusal: (status, url) => expected.push({ status, url }), watch });
      const unexpected = errors
        .filter((message) => {
          const failure = refused(message);
          return !failure || !expected.some((e) => e.status === failure.status && e.url.test(failure.url));
        })
        .map((message) => `${message.location().url}: ${message.text()}`);
      expect([...unexpected, ...uncaught], 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
});
