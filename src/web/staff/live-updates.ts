import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { NOTIFICATIONS_QUERY } from './notifications/notification-data.ts';

// Live updates of the staff app (issue 16): one event stream per open app (GET /api/live) says when
// a case of the company changed (`cases`: the dashboard's counts may have moved) and when the user's
// notifications did (`notifications`: the menu's count). The data is fetched again through the
// normal routes, at most once a second per topic however busy the company is.

/**
 * The dashboard's queries: its counts (`DASHBOARD_QUERY` in dashboard/Dashboard.tsx) and the case
 * lists behind them (`['dashboard', 'cases', …]`). Written here rather than imported, so the shell
 * does not load the dashboard's chunk.
 */
export const DASHBOARD_QUERIES = ['dashboard'] as const;

/** Our number: a topic is fetched again at most once a second. */
export const COALESCE_MS = 1_000;

export type StaffTopic = 'cases' | 'notifications';
const topics: readonly StaffTopic[] = ['cases', 'notifications'];

/**
 * Runs `run` with the topics asked for: the first ask after a quiet `ms` at once, later ones
 * together when `ms` has passed since the last run (each topic once). `cancel` drops what waits.
 */
export function coalesce(run: (topics: Set<StaffTopic>) => void, ms = COALESCE_MS) {
  const pending = new Set<StaffTopic>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  const flush = () => {
    timer = null;
    last = Date.now();
    const due = new Set(pending);
    pending.clear();
    run(due);
  };
  return {
    ask(topic: StaffTopic) {
      pending.add(topic);
      timer ??= setTimeout(flush, Math.max(0, last + ms - Date.now()));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}

/**
 * Listens to the staff stream until the returned function is called: `onTopic` for every signal,
 * and for every topic after a reconnect (signals sent meanwhile were missed); `onConnected` when it
 * opens or drops. A refused stream (an ended session: 401, which EventSource does not retry) stays
 * closed.
 */
export function listenForStaffChanges(
  onTopic: (topic: StaffTopic) => void,
  onConnected: (open: boolean) => void,
): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource(api.notifications.liveUrl());
  let opened = false;
  source.addEventListener('open', () => {
    if (opened) for (const topic of topics) onTopic(topic);
    opened = true;
    onConnected(true);
  });
  source.addEventListener('change', (event: MessageEvent<string>) => {
    let topic: unknown = null;
    try {
      topic = (JSON.parse(event.data) as { topic?: unknown }).topic;
    } catch {
      // A signal without a readable topic still means "something changed".
    }
    if (topics.includes(topic as StaffTopic)) onTopic(topic as StaffTopic);
    else for (const each of topics) onTopic(each);
  });
  source.addEventListener('error', () => {
    // The server ends each stream after a few minutes; EventSource reconnects (CONNECTING) by itself.
    onConnected(false);
  });
  return () => {
    source.close();
    onConnected(false);
  };
}

/**
 * Keeps the dashboard's counts and the notification count current from the live stream while the
 * signed-in app is shown (mounted once, by the shell). True while the stream is open: the
 * notification count polls only while it is not.
 */
export function useLiveUpdates(): boolean {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const refetch = coalesce((due) => {
      if (due.has('cases')) void queryClient.invalidateQueries({ queryKey: DASHBOARD_QUERIES });
      if (due.has('notifications')) void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY });
    });
    const stop = listenForStaffChanges((topic) => refetch.ask(topic), setConnected);
    return () => {
      stop();
      refetch.cancel();
    };
  }, [queryClient]);
  return connected;
}
