import { liveUrl } from './api.ts';

// Live updates of the customer page: the server's event stream for the session's case
// (GET /api/customer/live, `event: change` with {topic}) tells the page to fetch its data again, so a
// staff answer or a newly shared document appears without a reload.

/** Our number: this many failed connections in a row (no successful open between) and we stop. */
const MAX_FAILURES = 3;

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
  source.addEventListener('change', () => onChange());
  source.addEventListener('error', () => {
    // The server ends each stream after a few minutes; EventSource reconnects (CONNECTING) by itself.
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
      source.close();
      onGiveUp();
    }
  });
  return () => source.close();
}
