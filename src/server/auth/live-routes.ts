import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import type { ScopedSignal } from '../live/live.ts';
import { streamSignals } from '../live/sse.ts';
import { staffStreamGuard } from './stream-guard.ts';

/**
 * The staff app's own event stream (issue 16): one per open app, whatever page it shows. It carries
 * the actor's company's `cases` (some case changed: the dashboard's counts may have moved) and, for
 * a signed-in user, `notifications` (their list changed) — coalesced to one write a second. Like the
 * case streams: capped per user or API key (on a count of its own), and it lives while the session
 * does.
 */
export async function staffLiveRoutes(app: App): Promise<void> {
  app.get(
    '/live',
    {
      schema: {
        tags: ['live'],
        summary:
          'Server-sent events for the staff app: `change` with {topic} — `cases` when a case of your company changed, `notifications` when your notifications did; fetch again then (at most one write a second)',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const scoped: ScopedSignal[] = [{ scope: 'company', id: actor.companyId, topic: 'cases' }];
      if (actor.kind === 'staff') scoped.push({ scope: 'user', id: actor.userId, topic: 'notifications' });
      const guard = staffStreamGuard(app.db, app.config, actor, 'app');
      streamSignals(request, reply, app.liveStreams, guard, { scoped, coalesce: true });
    },
  );
}
