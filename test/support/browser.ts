import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { createServer } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createDb, type Db } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { seedDemoIfEmpty } from '../../src/server/demo/seed-demo.ts';
import { createFileStorage } from '../../src/server/storage/file-storage.ts';
import type { App } from '../../src/server/http/types.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { skipReason } from './skip-unavailable.ts';

/** Debian's Chromium binary (the /usr/bin/chromium wrapper is a shell script). */
export const CHROMIUM = '/usr/lib/chromium/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserContext {
  baseUrl: string;
  browser: Browser;
  db: Db;
  app: App;
  /** A page in a fresh browser context (own cookies and storage) at the given viewport width. */
  newPage: (width?: number) => Promise<Page>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the real server (built web assets, SQLite with the demo data) on a free port and Chromium,
 * for one browser test file; `env` adds configuration variables (e.g. WEBHOOK_ALLOW_PRIVATE_TARGETS).
 */
export function useBrowser(env: Record<string, string> = {}): BrowserContext {
  const ctx = {} as BrowserContext;
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    if (skipReason) return;
    testDb = await createTestDatabase('sqlite');
    const port = await freePort();
    const config = {
      ...loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: testDb.dataDir,
        PORT: String(port),
        LOG_LEVEL: 'silent',
        ...env,
      }),
      database: testDb.database,
    };
    ctx.db = createDb(testDb.database);
    await migrateToLatest(ctx.db);
    ctx.app = await buildApp(config, { db: ctx.db, logger: false });
    await seedDemoIfEmpty(ctx.db, createFileStorage(config));
    await ctx.app.listen({ host: '127.0.0.1', port });
    ctx.baseUrl = config.publicBaseUrl;
    ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    ctx.newPage = async (width = 1280) => {
      const context = await ctx.browser.newContext({ viewport: { width, height: 800 } });
      return waitingForCustomerPage(await context.newPage());
    };
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.app?.close();
    await ctx.db?.destroy();
    await testDb?.drop();
  });
  return ctx;
}

/**
 * The customer page's HTML shows the first screen before its script has run (server-rendered); its
 * buttons answer once the script has taken the screen over (main.tsx marks #root `data-ready`). A
 * person reads first; a test would press at once. So `goto`, `reload` and `goBack` to a /k/ page
 * return when the page is ready, as `goto` to the staff app returns once its script has run.
 */
function waitingForCustomerPage(page: Page): Page {
  const ready = async () => {
    if (!new URL(page.url()).pathname.startsWith('/k/')) return;
    await page.waitForFunction(() => document.getElementById('root')?.dataset.ready === 'true');
  };
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const goBack = page.goBack.bind(page);
  page.goto = async (...args) => {
    const response = await goto(...args);
    await ready();
    return response;
  };
  page.reload = async (...args) => {
    const response = await reload(...args);
    await ready();
    return response;
  };
  page.goBack = async (...args) => {
    const response = await goBack(...args);
    await ready();
    return response;
  };
  return page;
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails with the list of violations. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const violations = result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(violations).toEqual([]);
}

/** True when no element is wider than the viewport (no sideways scrolling on a phone). */
export async function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Where browser tests save the screenshots a person looks at. */
export const SHOTS = '/tmp/ks-shots';
mkdirSync(SHOTS, { recursive: true });

/** Signs a staff user in through the sign-in page, in the given language, and waits for the dashboard. */
export async function signInStaff(
  page: Page,
  baseUrl: string,
  who: { email: string; password: string },
  language: 'nb' | 'en' = 'nb',
): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.evaluate((lang) => localStorage.setItem('kundeside.language', lang), language);
  await page.reload();
  await page.locator('input[type=email]').fill(who.email);
  await page.locator('input[type=password]').fill(who.password);
  await page.locator('button[type=submit]').click();
  await page.locator('.dashboard-table').waitFor();
}

/** Waits until no loading message is left on the page. */
export async function settled(page: Page): Promise<void> {
  await page
    .locator('[role=status]', { hasText: /Laster|Loading/ })
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
}
