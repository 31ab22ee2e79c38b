import { describe, expect, it } from 'vitest';
import { deliver, linkIn, saveSettings, uniquePhone, uniqueSuffix } from '../../../test/support/customer.ts';
import { makeActor, makeCase, makeCompany } from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { gsmLength } from '../customer-access/messages.ts';
import { createDb } from '../db/database.ts';
import { enqueueMessage, outboxOf, renderMessage } from './outbox.ts';
import { createTransports } from './transports.ts';
import { claimDue, OUTBOX_LIMITS, runOutboxOnce } from './worker.ts';

// Delivery through the outbox against a real SMTP server and SMS webhook: the message formats,
// retries with back-off, giving up, a worker dying between sending and marking, and two workers
// sharing one database.

const sinks = useSinks();
const t = useTestApp(sinks.env);

const MINUTE = 60_000;

/** A case whose customer (e-mail and phone) gets the link at creation; returns the case and the addresses. */
async function caseWithLink(companyName?: string) {
  const actor = await makeActor(t.db, { level: 6 });
  if (companyName)
    await t.db
      .updateTable('companies')
      .set({ name: companyName })
      .where('id', '=', actor.companyId)
      .execute();
  await saveSettings(t.db, actor.companyId, { sendLink: 'case_created', accessFor: 'customer' });
  const email = `kunde-${uniqueSuffix()}@example.test`;
  const phone = uniquePhone();
  const { id } = await makeCase(t.db, actor, { customer: { name: 'Åse Ærlig', email, phone } });
  const company = await t.db
    .selectFrom('companies')
    .select('name')
    .where('id', '=', actor.companyId)
    .executeTakeFirstOrThrow();
  return { caseId: id, email, phone, companyName: company.name, companyId: actor.companyId };
}

const messagesOf = (caseId: string) =>
  t.db.selectFrom('outbox').selectAll().where('case_id', '=', caseId).orderBy('channel').execute();
const eventKinds = async (caseId: string) =>
  (
    await t.db
      .selectFrom('case_events')
      .select('kind')
      .where('case_id', '=', caseId)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute()
  ).map((e) => e.kind);

describe('outbox: what goes out', () => {
  it('sends a Norwegian e-mail with a plain-text and an HTML part, the company as sender, the key as Message-ID', async () => {
    const c = await caseWithLink('Fjordforsikring ASA');
    expect(await deliver(t)).toMatchObject({ failed: 0 });
    const mail = sinks.mails.find((m) => m.to.includes(c.email))!;
    expect(mail).toBeDefined();
    const [row] = (await messagesOf(c.caseId)).filter((m) => m.channel === 'email');
    expect(mail.idempotencyKey).toBe(row!.idempotency_key);
    expect(mail.idempotencyKey).toMatch(/^link:[\w-]+:1:email$/);
    expect(mail.messageId).toContain(row!.idempotency_key.replace(/:/g, '.'));
    expect(mail.contentType).toMatch(/^multipart\/alternative/);
    expect(mail.subject).toBe('Kundesiden for skadesaken din hos Fjordforsikring ASA');
    expect(mail.raw).toMatch(/^From: "?Fjordforsikring ASA"? <no-reply@kundeside\.test>/m);
    const link = linkIn(mail.text);
    expect(link).toMatch(/^http:\/\/kundeside\.test\/k\/[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toContain('Hei Åse Ærlig,');
    expect(mail.text).toContain('Fjordforsikring ASA har gitt deg tilgang til kundesiden');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('<html lang="nb">');
    // Nothing of the case beyond the company and the link.
    const caseRow = await t.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', c.caseId)
      .executeTakeFirstOrThrow();
    for (const part of [mail.text, mail.html, mail.subject]) {
      expect(part).not.toContain(caseRow.claim_number);
      expect(part).not.toContain(caseRow.street);
    }
    // Delivered to a real provider: the sealed link is erased from the row.
    expect(row).toMatchObject({ state: 'sent', delivered_via: 'smtp', secret_sealed: null, attempts: 1 });
  });

  it('posts the SMS as exactly {to, from, body, idempotencyKey}: one GSM message with the company and the link only', async () => {
    const c = await caseWithLink('Nordlys Forsikring');
    await deliver(t);
    const sms = sinks.sms.find((m) => m.to === c.phone)!;
    expect(sms.keys).toEqual(['body', 'from', 'idempotencyKey', 'to']);
    expect(sms.from).toBe('Kundeside');
    expect(sms.idempotencyKey).toMatch(/^link:[\w-]+:1:sms$/);
    const link = linkIn(sms.body);
    expect(sms.body).toBe(`Nordlys Forsikring: Her er lenken til kundesiden for skadesaken din: ${link}`);
    expect(gsmLength(sms.body)).not.toBeNull();
    expect(gsmLength(sms.body)!).toBeLessThanOrEqual(160);
    // The same person's e-mail carries the same link.
    expect(linkIn(sinks.mails.find((m) => m.to.includes(c.email))!.text)).toBe(link);
  });

  it('shortens the SMS for a long company name so it still fits one message', async () => {
    const c = await caseWithLink(
      `Det Store Norske Gjensidige Skade- og Brannforsikringsselskap ${uniqueSuffix()} AS`,
    );
    await deliver(t);
    const sms = sinks.sms.find((m) => m.to === c.phone)!;
    expect(gsmLength(sms.body)!).toBeLessThanOrEqual(160);
    expect(sms.body).toBe(`${c.companyName}: ${linkIn(sms.body)}`);
  });
});

describe('outbox: retries and failures', () => {
  it('retries a provider outage with exponential back-off and sends once it is back', async () => {
    const c = await caseWithLink();
    const start = new Date();
    sinks.failSms(2, 503);
    expect(await runOutboxOnce({ db: t.db, config: t.config }, start)).toEqual({
      sent: 1,
      retried: 1,
      failed: 0,
    });
    let [, sms] = await messagesOf(c.caseId);
    expect(sms).toMatchObject({
      channel: 'sms',
      state: 'queued',
      attempts: 1,
      last_error: 'SMS webhook answered 503',
    });
    const delay = new Date(sms!.next_attempt_at).getTime() - start.getTime();
    expect(delay).toBeGreaterThanOrEqual(0.8 * OUTBOX_LIMITS.firstRetryMs);
    expect(delay).toBeLessThanOrEqual(1.2 * OUTBOX_LIMITS.firstRetryMs);

    // Not due yet: nothing happens.
    expect(await runOutboxOnce({ db: t.db, config: t.config }, new Date(start.getTime() + 10_000))).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    // Second try fails too; the third, after the longer wait, goes through.
    expect(
      (await runOutboxOnce({ db: t.db, config: t.config }, new Date(start.getTime() + MINUTE))).retried,
    ).toBe(1);
    [, sms] = await messagesOf(c.caseId);
    expect(new Date(sms!.next_attempt_at).getTime() - (start.getTime() + MINUTE)).toBeGreaterThanOrEqual(
      0.8 * 2 * OUTBOX_LIMITS.firstRetryMs,
    );
    expect(
      (await runOutboxOnce({ db: t.db, config: t.config }, new Date(start.getTime() + 5 * MINUTE))).sent,
    ).toBe(1);
    [, sms] = await messagesOf(c.caseId);
    expect(sms).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    expect(sinks.sms.filter((m) => m.to === c.phone)).toHaveLength(1);
    expect((await eventKinds(c.caseId)).filter((k) => k === 'customer_link_sent')).toHaveLength(2);
  });

  it(`gives up after ${OUTBOX_LIMITS.maxAttempts} attempts with the reason in the access list and the log`, async () => {
    const c = await caseWithLink();
    sinks.failSms(OUTBOX_LIMITS.maxAttempts, 503);
    let now = Date.now();
    for (let attempt = 1; attempt <= OUTBOX_LIMITS.maxAttempts; attempt += 1) {
      const result = await runOutboxOnce({ db: t.db, config: t.config }, new Date(now));
      expect(result.retried + result.failed, `attempt ${attempt}`).toBeGreaterThan(0);
      now += 2 * 3_600_000;
    }
    const [, sms] = await messagesOf(c.caseId);
    expect(sms).toMatchObject({
      state: 'failed',
      attempts: OUTBOX_LIMITS.maxAttempts,
      last_error: 'SMS webhook answered 503',
      secret_sealed: null,
    });
    const failed = await t.db
      .selectFrom('case_events')
      .select('data')
      .where('case_id', '=', c.caseId)
      .where('kind', '=', 'customer_link_failed')
      .execute();
    expect(failed.map((e) => JSON.parse(e.data))).toEqual([
      expect.objectContaining({
        channel: 'sms',
        recipient: c.phone,
        reason: 'SMS webhook answered 503',
        name: 'Åse Ærlig',
      }),
    ]);
    expect(await runOutboxOnce({ db: t.db, config: t.config }, new Date(now + 86_400_000))).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
  });

  it('fails at once when the provider refuses the message itself (4xx webhook, 5xx SMTP), retries 4xx SMTP', async () => {
    const c = await caseWithLink();
    sinks.failSms(1, 400);
    sinks.failMail(1, 550);
    expect(await deliver(t)).toEqual({ sent: 0, retried: 0, failed: 2 });
    const rows = await messagesOf(c.caseId);
    expect(rows.map((r) => [r.channel, r.state, r.attempts])).toEqual([
      ['email', 'failed', 1],
      ['sms', 'failed', 1],
    ]);
    expect(rows[0]!.last_error).toMatch(/^SMTP: .*550/);

    const d = await caseWithLink();
    sinks.failMail(1, 451);
    expect(await deliver(t)).toEqual({ sent: 1, retried: 1, failed: 0 });
    expect((await messagesOf(d.caseId))[0]).toMatchObject({ channel: 'email', state: 'queued', attempts: 1 });
  });

  it('re-sends with the same idempotency key after a worker died between sending and marking it sent', async () => {
    const c = await caseWithLink();
    const start = new Date();
    // A worker claims the messages and hands them to the providers, then dies before marking them.
    const claimed = await claimDue(t.db, 'worker-that-dies', start);
    const mine = claimed.filter((row) => row.case_id === c.caseId);
    expect(mine).toHaveLength(2);
    const transports = createTransports(t.config);
    for (const row of mine) {
      const rendered = renderMessage(row, outboxOf(t.db))!;
      await (row.channel === 'email' ? transports.email : transports.sms).send({
        idempotencyKey: row.idempotency_key,
        to: row.recipient,
        senderName: row.sender_name,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
      });
    }
    transports.email.close?.();
    expect((await messagesOf(c.caseId)).map((r) => r.state)).toEqual(['sending', 'sending']);

    // While its lease lasts nobody else takes them; once it runs out they are sent again, not lost.
    // (Other tests' messages may fall due meanwhile; only this case's rows are looked at.)
    await runOutboxOnce(
      { db: t.db, config: t.config, workerId: 'restarted' },
      new Date(start.getTime() + MINUTE),
    );
    expect((await messagesOf(c.caseId)).map((r) => r.state)).toEqual(['sending', 'sending']);
    const later = new Date(start.getTime() + OUTBOX_LIMITS.leaseMs + 1000);
    expect(
      (await runOutboxOnce({ db: t.db, config: t.config, workerId: 'restarted' }, later)).sent,
    ).toBeGreaterThanOrEqual(2);

    const rows = await messagesOf(c.caseId);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
    const mails = sinks.mails.filter((m) => m.to.includes(c.email));
    const texts = sinks.sms.filter((m) => m.to === c.phone);
    expect(mails).toHaveLength(2);
    expect(texts).toHaveLength(2);
    expect(new Set(mails.map((m) => m.idempotencyKey))).toEqual(new Set([rows[0]!.idempotency_key]));
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(1);
    expect(new Set(texts.map((m) => m.idempotencyKey))).toEqual(new Set([rows[1]!.idempotency_key]));
    // The same link both times.
    expect(new Set([...mails.map((m) => linkIn(m.text)), ...texts.map((m) => linkIn(m.body))]).size).toBe(1);
    expect((await eventKinds(c.caseId)).filter((k) => k === 'customer_link_sent')).toHaveLength(2);
  });
});

describe('outbox: several workers on one database', () => {
  it('sends each of 50 queued messages exactly once with two workers side by side', async () => {
    const { id: companyId } = await makeCompany(t.db);
    const phones = Array.from({ length: 50 }, () => uniquePhone());
    for (const [index, phone] of phones.entries()) {
      await enqueueMessage(t.db, {
        companyId,
        kind: 'sms_code',
        channel: 'sms',
        recipient: phone,
        senderName: 'Test',
        bodyText: `Koden din er {{code}} (${index})`,
        secret: String(100000 + index),
        idempotencyKey: `parallel:${companyId}:${index}`,
      });
    }
    // Two "processes": their own connection pools, their own worker ids, small batches, a slow provider.
    const first = createDb(t.config.database);
    const second = createDb(t.config.database);
    sinks.delaySms(5);
    try {
      const [a, b] = await Promise.all([
        runOutboxOnce({ db: first, config: t.config, workerId: 'A', batchSize: 3 }),
        runOutboxOnce({ db: second, config: t.config, workerId: 'B', batchSize: 3 }),
      ]);
      expect(a.sent + b.sent).toBe(50);
      // Both took part (the slow provider makes their passes overlap).
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      expect(a.retried + b.retried + a.failed + b.failed).toBe(0);
    } finally {
      sinks.delaySms(0);
      await first.destroy();
      await second.destroy();
    }
    const received = sinks.sms.filter((m) => m.idempotencyKey.startsWith(`parallel:${companyId}:`));
    expect(received).toHaveLength(50);
    expect(new Set(received.map((m) => m.idempotencyKey)).size).toBe(50);
    expect(new Set(received.map((m) => m.to))).toEqual(new Set(phones));
    const rows = await t.db
      .selectFrom('outbox')
      .select(['state', 'attempts'])
      .where('company_id', '=', companyId)
      .execute();
    expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
  });
});
