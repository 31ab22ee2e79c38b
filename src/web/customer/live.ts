import { liveUrl } from './api.ts';

// Live updates of the customer page: the server's event stream for the session's case
// (GET /api/customer/live, `event: change` with {topic}) tells the page to fetch its data again, so a
// staff answer or a newly shared document appears without a reload — and so do the company's new
// settings (`settings`: colours, logo, texts, what is shown), which the page's answer carries.

/** Our number: this many failed connections in a row (no successful open between) and we stop. */
const MAX_FAILURES = 3;

/**
 * Our number: a `settings` signal reaches every open page of the company at once, so each page
 * waits a random moment up to this long before fetching, spreading the rebuilds of their answers.
 */
export const SETTINGS_SPREAD_MS = 2_000;

/**
 * Listens for changes of the session's case until the returned function is called. `onChange` runs
 * on every signal and after a reconnect (signals sent meanwhile were missed). When the stream is
 * refused (an ended session answers 401, which EventSource does not retry) or keeps failing, it stops
 * listening and calls `onGiveUp` once, so the ordinary page fetch can show what is wrong.
 */
export function listenForChanges(onChange: () => void, onGiveUp: () => void): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(liveUrl());
  let opened = false;
  let failures = 0;
  source.addEventListener('open', () => {
    if (opened) onChange();
    opened = true;
    failures = 0;
  });
  let spreading: ReturnType<typeof setTimeout> | null = null;
  source.addEventListener('change', (event: MessageEvent<string>) => {
    if (!isSettingsSignal(event.data)) return onChange();
    spreading ??= setTimeout(() => {
      spreading = null;
      onChange();
    }, Math.random() * SETTINGS_SPREAD_MS);
  });
  source.addEventListener('error', () => {
    // The server ends each stream after a few minutes; EventSource reconnects (CONNECTING) by itself.
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
      source.close();
      onGiveUp();
    }
  });
  return () => {
    if (spreading) clearTimeout(spreading);
    source.close();
  };
}

function isSettingsSignal(data: unknown): boolean {
  try {
    return typeof data === 'string' && (JSON.parse(data) as { topic?: unknown }).topic === 'settings';
  } catch {
    return false;
  }
}
