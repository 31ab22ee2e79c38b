import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { MessageThreadView, MessageView } from '../../../common/contracts/message-api.ts';
import { api } from '../api.ts';
import { DASHBOARD_QUERY } from '../dashboard/Dashboard.tsx';
import { NOTIFICATIONS_QUERY } from '../notifications/notification-data.ts';
import { useOlderPages } from '../paging.ts';
import { caseKeys } from './case-data.ts';

/** Router state of a link that should put the focus on the case's customer communication. */
export const FOCUS_COMMUNICATION = { focus: 'communication' } as const;

/** Under the case's key, so a change to the case fetches the thread again too. */
export const messagesKey = (caseId: string) => [...caseKeys.one(caseId), 'messages'] as const;

/**
 * The case's message thread with the customer, newest first, in pages: `first` is page 1 with the
 * unread count and the communication method, `items` the messages of every page read so far.
 */
export function useMessageThread(caseId: string) {
  return useOlderPages<MessageView, MessageThreadView>(messagesKey(caseId), (paging) =>
    api.messages.thread(caseId, paging),
  );
}

/**
 * Fetches again what a message or a sharing change touches: the case (its banners), the thread or
 * the documents, the logs, the dashboard counts and the notification list.
 */
async function refreshAfter(queryClient: QueryClient, caseId: string, topic: string): Promise<void> {
  const part = topic === 'documents' ? 'documents' : 'messages';
  await Promise.all([
    queryClient.invalidateQueries({
      queryKey: caseKeys.one(caseId),
      predicate: ({ queryKey }) => queryKey.length === 2 || queryKey[2] === part || queryKey[2] === 'log',
    }),
    queryClient.invalidateQueries({ queryKey: DASHBOARD_QUERY }),
    queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY }),
  ]);
}

/** A staff message: text, and files when there are any (then as multipart/form-data). */
export interface NewMessage {
  body: string;
  files: File[];
}

/** Writes to the customer; the answer is the new message. */
export function usePostMessage(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, files }: NewMessage) => api.messages.post(caseId, body, files),
    onSuccess: () => refreshAfter(queryClient, caseId, 'messages'),
  });
}

/** "Marker alle meldinger som lest": clears the arrow, the banner and the dashboard count. */
export function useMarkAllRead(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.messages.markAllRead(caseId),
    onSuccess: () => refreshAfter(queryClient, caseId, 'messages'),
  });
}

/**
 * Follows the case's live signals (server-sent events) while the case page is open: a customer's new
 * message or a sharing change fetches the affected data again, so it shows without a reload. After a
 * reconnect everything is fetched again, as signals sent in between are lost.
 */
export function useCaseLive(caseId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!caseId || typeof EventSource === 'undefined') return;
    const source = new EventSource(api.cases.liveUrl(caseId));
    let opened = false;
    const onChange = (event: MessageEvent<string>) => {
      let topic = 'messages';
      try {
        const data: unknown = JSON.parse(event.data);
        if (data && typeof data === 'object' && 'topic' in data && typeof data.topic === 'string') {
          topic = data.topic;
        }
      } catch {
        // A signal without a readable topic still means "something changed".
      }
      void refreshAfter(queryClient, caseId, topic);
    };
    const onOpen = () => {
      if (opened) {
        void refreshAfter(queryClient, caseId, 'messages');
        void refreshAfter(queryClient, caseId, 'documents');
      }
      opened = true;
    };
    source.addEventListener('change', onChange);
    source.addEventListener('open', onOpen);
    return () => {
      source.removeEventListener('change', onChange);
      source.removeEventListener('open', onOpen);
      source.close();
    };
  }, [caseId, queryClient]);
}
