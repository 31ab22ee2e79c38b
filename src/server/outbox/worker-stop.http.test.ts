import { describe, expect, it } from 'vitest';
import { makeCompany } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { enqueueMessage } from './outbox.ts';
import type { OutgoingMessage, Transport } from './transports.ts';
import { claimDue, releaseClaimed, startOutboxWorker } from './worker.ts';

// A stopping worker (graceful stop, issue 17 item 4): the delivery under way finishes, and what the
// worker claimed but has not begun goes back to the queue at once instead of waiting out the
// 2-minute lease. On both databases.

const t = useTestApp();

/** Queues `count` e-mails of a new company; returns their ids and the company. */
async function queueMails(count: number) {
  const { id: companyId } = await makeCompany(t.db);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = await enqueueMessage(t.db, {
      companyId,
      kind: 'message_notice',
      channel: 'email',
      recipient: `kunde-${index}@example.test`,
      senderName: 'Test',
      subject: 'Saken din',
      bodyText: `Melding ${index}`,
      idempotencyKey: `stop:${companyId}:${index}`,
    });
    ids.push(id!);
  }
  return { companyId, ids };
}

const rowsOf = (companyId: string) =>
  t.db
    .selectFrom('outbox')
    .select(['id', 'state', 'attempts', 'locked_by', 'locked_until', 'next_attempt_at'])
    .where('company_id', '=', companyId)
    .execute();

/** A transport whose every send waits until the test lets it finish. */
function heldTransport() {
  const sent: OutgoingMessage[] = [];
  let started: () => void = () => {};
  const firstStarted = new Promise<void>((resolve) => (started = resolve));
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const transport: Transport = {
    name: 'smtp',
    async send(message) {
      started();
      await released;
      sent.push(message);
    },
  };
  return { transport, sent, firstStarted, release };
}

describe('outbox worker: stop', () => {
  it('finishes the delivery under way and releases the rest of its claim, attempts not counted', async () => {
    const { companyId } = await queueMails(4);
    const before = new Map((await rowsOf(companyId)).map((row) => [row.id, row.next_attempt_at]));
    const held = heldTransport();
    const worker = startOutboxWorker(
      {
        db: t.db,
        config: t.config,
        transports: { email: held.transport, sms: held.transport },
        workerId: 'W1',
      },
      10,
    );
    await held.firstStarted;
    // All four are claimed by now (one batch), one is being sent.
    expect((await rowsOf(companyId)).filter((row) => row.state === 'sending')).toHaveLength(4);

    const stopped = worker.stop();
    held.release();
    await stopped;

    expect(held.sent).toHaveLength(1);
    const rows = await rowsOf(companyId);
    expect(rows.filter((row) => row.state === 'sent')).toHaveLength(1);
    const left = rows.filter((row) => row.state !== 'sent');
    expect(left).toHaveLength(3);
    for (const row of left) {
      expect(row).toMatchObject({ state: 'queued', attempts: 0, locked_by: null, locked_until: null });
      // Due as before: another process sends it at its next poll, not after a back-off.
      expect(row.next_attempt_at).toBe(before.get(row.id));
    }
  });

  it('releases only rows this worker still holds', async () => {
    const { companyId, ids } = await queueMails(2);
    const claimed = (await claimDue(t.db, 'W-A', new Date(), 100)).map((row) => row.id);
    expect(claimed).toEqual(expect.arrayContaining(ids));

    expect(await releaseClaimed(t.db, 'W-B', claimed)).toBe(0);
    expect((await rowsOf(companyId)).map((row) => [row.state, row.locked_by])).toEqual([
      ['sending', 'W-A'],
      ['sending', 'W-A'],
    ]);

    expect(await releaseClaimed(t.db, 'W-A', claimed)).toBe(claimed.length);
    for (const row of await rowsOf(companyId))
      expect(row).toMatchObject({ state: 'queued', attempts: 0, locked_by: null, locked_until: null });
  });
});
