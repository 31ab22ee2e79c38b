import { chromium } from 'playwright-core';

/**
 * The customer page in headless Chromium as a phone would load it: 375 px wide, CPU slowed down 4×
 * through the DevTools protocol, opened from a real link (`/k/<token>` → session → `/k/`). Web
 * vitals come from PerformanceObservers registered before any page script runs:
 * - LCP: the last largest-contentful-paint entry;
 * - CLS: the sum of layout shifts without recent input (an upper bound of the session-window CLS);
 * - TBT: the sum over long tasks after first contentful paint of their time beyond 50 ms;
 * - INP (approximation): the longest event duration of one click on a second menu item.
 */

/** Debian's Chromium binary, as test/support/browser.ts uses it. */
export const CHROMIUM = '/usr/lib/chromium/chromium';

export interface BrowserRun {
  fcpMs: number | null;
  lcpMs: number | null;
  cls: number;
  tbtMs: number;
  longTasks: number;
  inpMs: number | null;
  /** Whether the page showed the case (its menu), not a refusal. */
  rendered: boolean;
}

export interface BrowserMetrics {
  runs: BrowserRun[];
  /** The median run by LCP. */
  median: BrowserRun;
}

const observers = `
window.__benchPerf = { lcp: null, cls: 0, fcp: null, longTasks: [], inp: null };
const keep = (type, fn, extra) => {
  try { new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true, ...extra }); }
  catch (error) { /* entry type not supported */ }
};
keep('largest-contentful-paint', (e) => { window.__benchPerf.lcp = e.startTime; });
keep('layout-shift', (e) => { if (!e.hadRecentInput) window.__benchPerf.cls += e.value; });
keep('paint', (e) => { if (e.name === 'first-contentful-paint') window.__benchPerf.fcp = e.startTime; });
keep('longtask', (e) => { window.__benchPerf.longTasks.push([e.startTime, e.duration]); });
keep('event', (e) => { if (e.interactionId) window.__benchPerf.inp = Math.max(window.__benchPerf.inp ?? 0, e.duration); }, { durationThreshold: 16 });
`;

interface PagePerf {
  lcp: number | null;
  cls: number;
  fcp: number | null;
  longTasks: Array<[number, number]>;
  inp: number | null;
}

/** Opens the customer page `runs` times (each in a fresh browser context, so a fresh session). */
export async function measureCustomerPage(
  baseUrl: string,
  linkToken: string,
  runs = 3,
): Promise<BrowserMetrics> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const results: BrowserRun[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const context = await browser.newContext({
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.addInitScript({ content: observers });
      await page.goto(`${baseUrl}/k/${linkToken}`, { waitUntil: 'networkidle', timeout: 60_000 });
      const menu = page.locator('.cp-menu button');
      const rendered = await menu
        .first()
        .waitFor({ timeout: 15_000 })
        .then(() => true)
        .catch(() => false);
      await page.waitForTimeout(1_000);
      if (rendered && (await menu.count()) > 1) {
        await menu.nth(1).click();
        await page.waitForTimeout(1_000);
      }
      const perf = await page.evaluate(() => (window as unknown as { __benchPerf: PagePerf }).__benchPerf);
      const fcp = perf.fcp ?? 0;
      const blocking = perf.longTasks
        .filter(([start]) => start >= fcp)
        .reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);
      results.push({
        fcpMs: perf.fcp,
        lcpMs: perf.lcp,
        cls: perf.cls,
        tbtMs: blocking,
        longTasks: perf.longTasks.length,
        inpMs: perf.inp,
        rendered,
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const sorted = [...results].sort((a, b) => (a.lcpMs ?? Infinity) - (b.lcpMs ?? Infinity));
  return { runs: results, median: sorted[Math.floor(sorted.length / 2)]! };
}
