import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, openCustomerLink, saveSettings, tokenOf } from '../../../test/support/customer.ts';
import { makeActor, makeCase } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { outboxOf, renderMessage } from '../outbox/outbox.ts';
import { maskIdentifier } from '../security/tokens.ts';
import type { App } from './types.ts';

// Issue 15, item 2: a customer link is a credential, so no log line may carry one. The app is built
// with its real logger writing into memory, and the captured lines are searched for the token.

const t = useTestApp();
const lines: string[] = [];
let logged: App;

beforeAll(async () => {
  if (!t.app) return;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  logged = await buildApp(t.config, { db: t.db, logger: { stream, level: 'trace' } });
  await logged.ready();
});
afterAll(async () => logged?.close());

/** The link a new case's customer was sent (read from the outbox as the development mailbox does). */
async function customerLink(): Promise<string> {
  const actor = await makeActor(t.db, { level: 6 });
  await saveSettings(t.db, actor.companyId, { sendLink: 'case_created', accessFor: 'customer' });
  const { id } = await makeCase(t.db, actor);
  const row = await t.db
    .selectFrom('outbox')
    .selectAll()
    .where('case_id', '=', id)
    .where('kind', '=', 'customer_link')
    .executeTakeFirstOrThrow();
  return linkIn(renderMessage(row, outboxOf(t.db))!.text);
}

describe('log lines', () => {
  it('never carry a link token: URLs, bad URLs, query values, errors, messages and fields are masked', async () => {
    const link = await customerLink();
    const token = tokenOf(link);
    lines.length = 0;

    const opened = await openCustomerLink(logged, link);
    expect(opened.response.statusCode).toBe(303);
    expect(opened.cookie).not.toBeNull();
    // The same token where a URL cannot be routed, and as credential-named query values.
    const bad = await logged.inject({ method: 'GET', url: `/k/${token}%ZZ` });
    expect(bad.statusCode).toBe(400);
    await logged.inject({ method: 'GET', url: `/api/customer/session?token=${token}&access_code=${token}` });
    // An error and a message quoting the link, as a handler or a plugin might log them.
    logged.log.error({ err: new Error(`could not open ${link}`) }, 'failed');
    logged.log.warn(`redirect from ${link}`);
    logged.log.warn({ event: 'test', reason: `provider answered: ${link}` }, 'delivery');

    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('customer_link_opened');
    expect(log).toContain(`/k/${maskIdentifier(token)}`);
    expect(log).toContain(`token=${maskIdentifier(token)}`);
    expect(log).toContain('could not open');
    expect(log).toContain('provider answered');
    expect(log).not.toContain(token);
    // Not even a long piece of it.
    expect(log).not.toContain(token.slice(4, -4));
  });
});
