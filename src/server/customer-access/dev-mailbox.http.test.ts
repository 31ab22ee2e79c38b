import { describe, expect, it } from 'vitest';
import {
  customerGet,
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
} from '../../../test/support/customer.ts';
import { makeActor, makeCase, signedInUser } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';

// Without SMTP_URL / SMS_PROVIDER messages go to the development mailbox, where level-6 staff read
// them (links included) — never in production.

const t = useTestApp();

describe('development mailbox', () => {
  it('keeps the messages, shows them to level 6 of the company only, and the link in it works', async () => {
    const admin = await signedInUser(t.app, t.db, { level: 6 });
    await saveSettings(t.db, admin.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const actor = await makeActor(t.db, { companyId: admin.companyId, level: 6 });
    const { id } = await makeCase(t.db, actor, {
      customer: { name: 'Ola Nordmann', email: 'ola@example.test', phone: '+4791234567' },
    });
    expect(await deliver(t)).toMatchObject({ sent: 2, failed: 0 });
    const rows = await t.db.selectFrom('outbox').selectAll().where('case_id', '=', id).execute();
    expect(rows.map((r) => [r.state, r.delivered_via])).toEqual([
      ['sent', 'dev-mailbox'],
      ['sent', 'dev-mailbox'],
    ]);

    const mailbox = await t.app.inject({
      method: 'GET',
      url: '/api/admin/dev-mailbox',
      headers: { cookie: admin.cookie },
    });
    expect(mailbox.statusCode).toBe(200);
    const messages = (
      mailbox.json() as {
        items: Array<{ channel: string; to: string; text: string; subject: string | null; from: string }>;
      }
    ).items;
    expect(messages.map((m) => [m.channel, m.to]).sort()).toEqual([
      ['email', 'ola@example.test'],
      ['sms', '+4791234567'],
    ]);
    const email = messages.find((m) => m.channel === 'email')!;
    expect(email.subject).toMatch(/^Kundesiden for skadesaken din hos Test Forsikring/);
    expect(email.from).toMatch(/^Test Forsikring .* <no-reply@kundeside\.test>$/);
    const link = linkIn(email.text);
    expect(linkIn(messages.find((m) => m.channel === 'sms')!.text)).toBe(link);
    const opened = await openCustomerLink(t.app, link);
    expect((await customerGet(t.app, '/api/customer/session', opened.cookie)).json().state).toBe('ok');

    const handler = await signedInUser(t.app, t.db, { companyId: admin.companyId, level: 5 });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/admin/dev-mailbox',
          headers: { cookie: handler.cookie },
        })
      ).statusCode,
    ).toBe(403);
    const stranger = await signedInUser(t.app, t.db, { level: 6 });
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/admin/dev-mailbox',
      headers: { cookie: stranger.cookie },
    });
    expect(theirs.json().items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/dev-mailbox' })).statusCode).toBe(401);
  });

  it('answers 404 in production', async () => {
    const production = await buildApp({ ...t.config, devMailbox: false }, { db: t.db, logger: false });
    try {
      const admin = await signedInUser(production, t.db, { level: 6 });
      const response = await production.inject({
        method: 'GET',
        url: '/api/admin/dev-mailbox',
        headers: { cookie: admin.cookie },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    } finally {
      await production.close();
    }
  });
});
