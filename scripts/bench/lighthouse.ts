import { fork } from 'node:child_process';
import path from 'node:path';
import { launch } from 'chrome-launcher';
import { CHROMIUM } from './browser-metrics.ts';
import { cookieFrom } from './sessions.ts';

/**
 * Lighthouse on the customer page as a visitor from a real link sees it: the link is opened over
 * HTTP once (`GET /k/<token>` → 303 to `/k/` with the session cookie), then Lighthouse audits the
 * clean URL with that cookie, in its default mobile configuration (a mid-range phone on slow 4G:
 * 150 ms RTT, 1.6 Mbit/s, CPU 4× slower, simulated). Debian's Chromium only, never a downloaded one.
 */

/** What the parent sends lighthouse-worker.ts. */
export interface LighthouseJob {
  url: string;
  /** DevTools port of the Chromium launched here. */
  port: number;
  /** Cookie header value of the customer session. */
  cookie: string;
}

/** An audit that cost a category points. */
export interface LighthouseShortfall {
  category: string;
  audit: string;
  title: string;
  /** 0–100. */
  score: number;
  displayValue: string | null;
}

export interface LighthouseMetrics {
  version: string;
  url: string;
  userAgent: string;
  /** Lighthouse's estimate of the machine's speed (its throttling assumes ~1 000+). */
  benchmarkIndex: number;
  /** Form factor and throttling as Lighthouse applied them. */
  settings: string;
  /** Category scores, 0–100 (null: not scored). */
  scores: {
    performance: number | null;
    accessibility: number | null;
    bestPractices: number | null;
    seo: number | null;
  };
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  speedIndexMs: number | null;
  lcpElement: string | null;
  shortfalls: LighthouseShortfall[];
  warnings: string[];
}

/** Chromium's flags: headless (the new mode Lighthouse expects), no sandbox as root. */
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu'];
/** One audit takes 20–40 s here; past this the worker is stuck. */
const AUDIT_TIMEOUT_MS = 180_000;

/** Follows a customer link without redirects: the clean URL it sends to and the session cookie. */
async function openLink(baseUrl: string, token: string): Promise<{ url: string; cookie: string }> {
  const response = await fetch(`${baseUrl}/k/${token}`, { redirect: 'manual' });
  await response.arrayBuffer();
  const cookie = cookieFrom(response, 'ks_customer');
  const location = response.headers.get('location');
  if (response.status !== 303 || !cookie || !location) {
    throw new Error(
      `GET /k/<token> answered ${response.status} (location ${location ?? 'none'}, cookie ${cookie ? 'set' : 'none'})`,
    );
  }
  return { url: new URL(location, baseUrl).toString(), cookie };
}

/** Runs the audit in lighthouse-worker.ts; the worker is killed when it does not answer in time. */
function auditInWorker(job: LighthouseJob): Promise<LighthouseMetrics> {
  const child = fork(path.join(import.meta.dirname, 'lighthouse-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<LighthouseMetrics>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Lighthouse did not finish within ${AUDIT_TIMEOUT_MS / 1000} s`));
    }, AUDIT_TIMEOUT_MS);
    child.once('message', (message: { metrics?: LighthouseMetrics; error?: string }) => {
      clearTimeout(timer);
      if (message.metrics) resolve(message.metrics);
      else reject(new Error(message.error ?? 'Lighthouse worker answered nothing'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Lighthouse worker exited (${code}) without an answer`));
    });
    child.send(job);
  });
}

/** Lighthouse of the customer page opened from the link with `token`. */
export async function lighthouseCustomerPage(baseUrl: string, token: string): Promise<LighthouseMetrics> {
  const { url, cookie } = await openLink(baseUrl, token);
  // Launched here rather than in the worker, so it is ended even when the worker has to be killed.
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS, logLevel: 'error' });
  try {
    return await auditInWorker({ url, port: chrome.port, cookie });
  } finally {
    chrome.kill();
  }
}
