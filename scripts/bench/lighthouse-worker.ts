import lighthouse, { type Result } from 'lighthouse';
import type { LighthouseJob, LighthouseMetrics, LighthouseShortfall } from './lighthouse.ts';

/**
 * Lighthouse in a child process of its own (lighthouse.ts starts it): its trace processing would
 * otherwise run on the event loop of the app it measures, and the app's answers would look slower
 * than they are. Connects to the Chromium the parent launched, audits one URL with the default
 * (mobile) configuration and answers with the figures over IPC.
 */

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

const score = (lhr: Result, id: string) => {
  const value = lhr.categories[id]?.score;
  return value === null || value === undefined ? null : Math.round(value * 100);
};
const numeric = (lhr: Result, id: string) => lhr.audits[id]?.numericValue ?? null;

/** Scored audits of the performance category that carry no weight but point at a cause. */
const HINT_BELOW = 0.9;

/**
 * The audits that cost a category points (weighted and below full marks), and the performance
 * opportunities and diagnostics that fail (weight 0 in the score, but they name the cause: an
 * uncompressed script, a long main-thread task…).
 */
function shortfalls(lhr: Result): LighthouseShortfall[] {
  const found: LighthouseShortfall[] = [];
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (!audit || audit.score === null || audit.score >= 1) continue;
      const hint = ref.weight === 0 && id === 'performance' && ref.group !== 'metrics';
      if (ref.weight === 0 && !(hint && audit.score < HINT_BELOW)) continue;
      found.push({
        category: hint ? `${id} (hint)` : id,
        audit: ref.id,
        title: audit.title,
        score: Math.round(audit.score * 100),
        displayValue: audit.displayValue ?? null,
      });
    }
  }
  return found;
}

/** Audits Lighthouse could not run (a trace format it does not know, a gatherer that failed). */
const erroredAudits = (lhr: Result) =>
  Object.values(lhr.audits)
    .filter((audit) => audit.scoreDisplayMode === 'error')
    .map(
      (audit) => `audit \`${audit.id}\` could not run: ${(audit.errorMessage ?? 'no message').slice(0, 160)}`,
    );

/** A short description of the element Lighthouse found as the LCP (what the phone painted last). */
function lcpElement(lhr: Result): string | null {
  const details = lhr.audits['largest-contentful-paint-element']?.details as
    { items?: Array<{ items?: Array<{ node?: { snippet?: string; nodeLabel?: string } }> }> } | undefined;
  const node = details?.items?.[0]?.items?.[0]?.node;
  return node ? `${node.nodeLabel ?? ''} ${node.snippet ?? ''}`.trim() : null;
}

async function audit(job: LighthouseJob): Promise<LighthouseMetrics> {
  const result = await lighthouse(job.url, {
    port: job.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...CATEGORIES],
    // The customer session: every request of the page carries it, as the browser's cookie would.
    extraHeaders: { Cookie: job.cookie },
  });
  if (!result) throw new Error('Lighthouse returned no result');
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const throttling = lhr.configSettings.throttling;
  return {
    version: lhr.lighthouseVersion,
    url: lhr.finalDisplayedUrl,
    userAgent: lhr.environment.hostUserAgent,
    benchmarkIndex: lhr.environment.benchmarkIndex,
    settings:
      `${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling: ` +
      `RTT ${throttling.rttMs ?? '?'} ms, ${((throttling.throughputKbps ?? 0) / 1024).toFixed(1)} Mbit/s, ` +
      `CPU ${throttling.cpuSlowdownMultiplier ?? '?'}×`,
    scores: {
      performance: score(lhr, 'performance'),
      accessibility: score(lhr, 'accessibility'),
      bestPractices: score(lhr, 'best-practices'),
      seo: score(lhr, 'seo'),
    },
    fcpMs: numeric(lhr, 'first-contentful-paint'),
    lcpMs: numeric(lhr, 'largest-contentful-paint'),
    tbtMs: numeric(lhr, 'total-blocking-time'),
    cls: numeric(lhr, 'cumulative-layout-shift'),
    speedIndexMs: numeric(lhr, 'speed-index'),
    lcpElement: lcpElement(lhr),
    shortfalls: shortfalls(lhr),
    warnings: [...lhr.runWarnings.map((warning) => String(warning)), ...erroredAudits(lhr)],
  };
}

process.once('message', (job: LighthouseJob) => {
  audit(job).then(
    (metrics) => process.send?.({ metrics }, () => process.exit(0)),
    (error: unknown) =>
      process.send?.({ error: error instanceof Error ? error.message : String(error) }, () =>
        process.exit(1),
      ),
  );
});
process.once('disconnect', () => process.exit(0));
