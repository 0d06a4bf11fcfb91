import { defineConfig } from '@playwright/test';

// `cargo xtask test` starts the local server (with demo data) and passes its URL; Chromium is
// Debian's (never downloaded), started with the flags this closed network needs.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: process.env.JOBSLOT_E2E_OUT ?? 'test-results',
  use: {
    baseURL: process.env.JOBSLOT_URL ?? 'http://127.0.0.1:8080',
    trace: 'retain-on-failure',
    viewport: { width: 1100, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // The embedding tests' shop pages are answered by Playwright, which Chromium counts as
        // the public internet; the widget they load is on 127.0.0.1. A real shop and the
        // widget's CDN are both public, so Local Network Access never applies to them.
        '--disable-features=LocalNetworkAccessChecks',
      ],
    },
  },
});
