import { describe, expect, it } from 'vitest';
import type { AccessFor, SendLink } from '../../common/rules/customer-page-settings.ts';
import { accessForValues, sendLinkValues } from '../../common/rules/customer-page-settings.ts';
import {
  deliver,
  linkIn,
  openCustomerLink,
  saveSettings,
  tokenOf,
  uniquePhone,
  uniqueSuffix,
} from '../../../test/support/customer.ts';
import {
  browserHeaders,
  makeActor,
  makeCase,
  makePartnerWithOffice,
  signedInUser,
} from '../../../test/support/factory.ts';
import { useSinks } from '../../../test/support/sinks.ts';
import { useTestApp } from '../../../test/support/test-app.ts';
import { decideClaim } from '../cases/cases.ts';
import { hashToken } from '../security/tokens.ts';
import { assignMainInspection } from '../tasks/tasks.ts';

// Who gets the link, by which channel, at which milestone — against a real SMTP server and a real
// SMS webhook sink — and the staff API of access (list, grant, remove, per-case link setting).

const sinks = useSinks();
const t = useTestApp(sinks.env);

type Role = 'customer' | 'contact_person' | 'other';
interface Person {
  key: string;
  role: Role;
  name: string;
  email?: string;
  phone?: string;
}

/** A customer with both channels, two contact persons (one channel each), an "other" and one unreachable. */
function people(): Person[] {
  const s = uniqueSuffix();
  return [
    {
      key: 'customer',
      role: 'customer',
      name: 'Ola Kunde',
      email: `kunde-${s}@example.test`,
      phone: uniquePhone(),
    },
    { key: 'cp-email', role: 'contact_person', name: 'Kari Kontakt', email: `kontakt-${s}@example.test` },
    { key: 'cp-sms', role: 'contact_person', name: 'Per Kontakt', phone: uniquePhone() },
    {
      key: 'other',
      role: 'other',
      name: 'Siv Annen',
      email: `annen-${s}@example.test`,
      phone: uniquePhone(),
    },
    { key: 'nobody', role: 'other', name: 'Uten Kontaktinfo' },
  ];
}

const eligible: Record<AccessFor, Role[]> = {
  customer: ['customer'],
  contact_person: ['contact_person'],
  both: ['customer', 'contact_person'],
  all_contacts: ['customer', 'contact_person', 'other'],
};

/** Every delivery that reached the sinks for these people: "<person>:<channel>:<token>". */
function deliveriesTo(persons: Person[]) {
  const byEmail = new Map(persons.filter((p) => p.email).map((p) => [p.email!, p.key]));
  const byPhone = new Map(persons.filter((p) => p.phone).map((p) => [p.phone!, p.key]));
  const mails = sinks.mails
    .filter((mail) => mail.to.some((to) => byEmail.has(to)))
    .map((mail) => ({
      person: byEmail.get(mail.to[0]!)!,
      channel: 'email',
      link: linkIn(mail.text),
      key: mail.idempotencyKey,
    }));
  const texts = sinks.sms
    .filter((sms) => byPhone.has(sms.to))
    .map((sms) => ({
      person: byPhone.get(sms.to)!,
      channel: 'sms',
      link: linkIn(sms.body),
      key: sms.idempotencyKey,
    }));
  return [...mails, ...texts];
}

/** What each eligible, reachable person should have received: one message per channel. */
function expected(persons: Person[], accessFor: AccessFor): string[] {
  return persons
    .filter((p) => eligible[accessFor].includes(p.role))
    .flatMap((p) => [...(p.email ? [`${p.key}:email`] : []), ...(p.phone ? [`${p.key}:sms`] : [])])
    .sort();
}

async function caseWith(persons: Person[], actor: Awaited<ReturnType<typeof makeActor>>) {
  const [customer, ...contacts] = persons;
  const strip = (p: Person) => ({
    name: p.name,
    ...(p.email && { email: p.email }),
    ...(p.phone && { phone: p.phone }),
  });
  return makeCase(t.db, actor, {
    customer: strip(customer!),
    contacts: contacts.map((p) => ({ ...strip(p), role: p.role as 'contact_person' | 'other' })),
  });
}

const milestoneOf: Record<SendLink, number> = {
  case_created: 0,
  main_inspection_assigned: 1,
  positive_decision: 2,
  manual: Infinity,
};

const eventsOf = async (caseId: string) =>
  (
    await t.db
      .selectFrom('case_events')
      .select(['kind', 'data'])
      .where('case_id', '=', caseId)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute()
  ).map((row) => ({ kind: row.kind, data: JSON.parse(row.data) as Record<string, unknown> }));

describe('customer access: who receives the link, when, by which channel', () => {
  for (const sendLink of sendLinkValues) {
    for (const accessFor of accessForValues) {
      it(`sendLink=${sendLink}, accessFor=${accessFor}: exactly the right people, once each`, async () => {
        const actor = await makeActor(t.db, { level: 6 });
        await saveSettings(t.db, actor.companyId, { sendLink, accessFor });
        const { officeId } = await makePartnerWithOffice(t.db, actor.companyId);
        const persons = people();
        const { id } = await caseWith(persons, actor);
        const steps = [
          async () => undefined,
          () => assignMainInspection(t.db, actor, id, { officeId }),
          () => decideClaim(t.db, actor, id, { decision: 'accepted' }),
          // Repeating milestones changes nothing: nobody gets a second link.
          () => assignMainInspection(t.db, actor, id, { officeId }),
          () => decideClaim(t.db, actor, id, { decision: 'accepted' }),
        ];
        for (const [index, step] of steps.entries()) {
          await step();
          await deliver(t);
          const received = deliveriesTo(persons);
          const due = index >= milestoneOf[sendLink];
          expect(received.map((d) => `${d.person}:${d.channel}`).sort(), `after step ${index}`).toEqual(
            due ? expected(persons, accessFor) : [],
          );
          // Nobody twice: one idempotency key per message, each delivered once.
          expect(new Set(received.map((d) => d.key)).size).toBe(received.length);
        }

        const received = deliveriesTo(persons);
        // One token per person: the e-mail and the SMS carry the same link; different people differ.
        const tokens = new Map<string, string>();
        for (const d of received) {
          const token = tokenOf(d.link);
          expect(token.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits
          expect(d.link.startsWith(`${t.config.publicBaseUrl}/k/`)).toBe(true);
          if (tokens.has(d.person)) expect(tokens.get(d.person)).toBe(token);
          tokens.set(d.person, token);
        }
        expect(new Set(tokens.values()).size).toBe(tokens.size);
        // Only hashes are stored, and each matches its person's grant.
        const grants = await t.db
          .selectFrom('customer_access as a')
          .innerJoin('case_contacts as c', 'c.id', 'a.contact_id')
          .select(['c.name', 'a.token_hash', 'a.state', 'a.granted_by_kind'])
          .where('a.case_id', '=', id)
          .execute();
        expect(grants).toHaveLength(tokens.size);
        for (const [person, token] of tokens) {
          const name = persons.find((p) => p.key === person)!.name;
          expect(grants.find((g) => g.name === name)).toMatchObject({
            token_hash: hashToken(token),
            state: 'active',
          });
        }
        const stored = JSON.stringify(
          await t.db.selectFrom('outbox').selectAll().where('case_id', '=', id).execute(),
        );
        for (const token of tokens.values()) expect(stored).not.toContain(token);

        // The log: one grant and one queued + one sent entry per message.
        const events = await eventsOf(id);
        const count = (kind: string) => events.filter((e) => e.kind === kind).length;
        expect(count('customer_access_granted')).toBe(tokens.size);
        expect(count('customer_link_queued')).toBe(received.length);
        expect(count('customer_link_sent')).toBe(received.length);
      });
    }
  }

  it('sends nothing at a milestone to a person whose access staff removed, and nothing to the unreachable', async () => {
    const user = await signedInUser(t.app, t.db, { level: 6 });
    await saveSettings(t.db, user.companyId, {
      sendLink: 'main_inspection_assigned',
      accessFor: 'all_contacts',
    });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 6 });
    const { officeId } = await makePartnerWithOffice(t.db, user.companyId);
    const persons = people();
    const { id } = await caseWith(persons, actor);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/customer-access`,
      headers: { cookie: user.cookie },
    });
    const other = (list.json() as { people: Array<{ name: string; contactId: string }> }).people.find(
      (p) => p.name === 'Siv Annen',
    )!;
    // Staff grant "other" by hand before the milestone, then remove it again.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/cases/${id}/customer-access`,
          headers: browserHeaders(user.cookie),
          payload: { contactId: other.contactId },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/cases/${id}/customer-access/${other.contactId}`,
          headers: browserHeaders(user.cookie),
        })
      ).statusCode,
    ).toBe(200);
    await deliver(t);
    sinks.clear();
    await assignMainInspection(t.db, actor, id, { officeId });
    await deliver(t);
    const received = deliveriesTo(persons)
      .map((d) => `${d.person}:${d.channel}`)
      .sort();
    expect(received).toEqual(['cp-email:email', 'cp-sms:sms', 'customer:email', 'customer:sms']);
  });
});

describe('customer access: manual grant, removal, the access list', () => {
  it('grants by hand and sends at once; lists active, not granted, unreachable and removed people with delivery states', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, { sendLink: 'manual', accessFor: 'customer' });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const persons = people();
    const { id } = await caseWith(persons, actor);
    const get = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/cases/${id}/customer-access`,
          headers: { cookie: user.cookie },
        })
      ).json() as {
        activeCount: number;
        sendLink: { effective: string; caseOverride: string | null; companyDefault: string; due: boolean };
        caseReachable: boolean;
        people: Array<{
          name: string;
          contactId: string;
          state: string;
          eligible: boolean;
          channels: string[];
          messages: Array<{ state: string; channel: string; deliveredVia: string | null }>;
          grantedBy: { kind: string; name: string | null } | null;
        }>;
      };
    const before = await get();
    expect(before.activeCount).toBe(0);
    expect(before.sendLink).toEqual({
      effective: 'manual',
      caseOverride: null,
      companyDefault: 'manual',
      due: false,
    });
    expect(before.caseReachable).toBe(true);
    expect(before.people.map((p) => [p.name, p.state, p.eligible, p.channels])).toEqual([
      ['Ola Kunde', 'not_granted', true, ['email', 'sms']],
      ['Kari Kontakt', 'not_granted', false, ['email']],
      ['Per Kontakt', 'not_granted', false, ['sms']],
      ['Siv Annen', 'not_granted', false, ['email', 'sms']],
      ['Uten Kontaktinfo', 'unreachable', false, []],
    ]);
    const contactId = (name: string) => before.people.find((p) => p.name === name)!.contactId;

    const grant = (name: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/cases/${id}/customer-access`,
        headers: browserHeaders(user.cookie),
        payload: { contactId: contactId(name) },
      });
    const granted = await grant('Per Kontakt');
    expect(granted.statusCode).toBe(200);
    expect(granted.json().activeCount).toBe(1);
    expect((await grant('Per Kontakt')).statusCode).toBe(409);
    const unreachable = await grant('Uten Kontaktinfo');
    expect(unreachable.statusCode).toBe(409);
    expect(unreachable.json().error.message).toMatch(/neither an e-mail address nor a phone number/);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/cases/${id}/customer-access`,
          headers: browserHeaders(user.cookie),
          payload: { contactId: 'nope' },
        })
      ).statusCode,
    ).toBe(404);

    await deliver(t);
    expect(deliveriesTo(persons).map((d) => `${d.person}:${d.channel}`)).toEqual(['cp-sms:sms']);
    const after = await get();
    const per = after.people.find((p) => p.name === 'Per Kontakt')!;
    expect(per.state).toBe('active');
    expect(per.grantedBy).toMatchObject({ kind: 'user', name: expect.stringMatching(/^Test User/) });
    expect(per.messages).toEqual([
      expect.objectContaining({ state: 'sent', channel: 'sms', deliveredVia: 'sms-webhook' }),
    ]);

    // The link of a manual grant opens the customer page.
    const oldLink = deliveriesTo(persons)[0]!.link;
    expect((await openCustomerLink(t.app, oldLink)).cookie).not.toBeNull();

    // Removal, then a new grant: a new link; the old one stays dead.
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${id}/customer-access/${contactId('Per Kontakt')}`,
      headers: browserHeaders(user.cookie),
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().people.find((p: { name: string }) => p.name === 'Per Kontakt').state).toBe(
      'removed',
    );
    expect(removed.json().activeCount).toBe(0);
    expect((await grant('Per Kontakt')).statusCode).toBe(200);
    await deliver(t);
    const links = deliveriesTo(persons).map((d) => d.link);
    expect(links).toHaveLength(2);
    expect(links[1]).not.toBe(oldLink);
    expect(new Set(deliveriesTo(persons).map((d) => d.key)).size).toBe(2);
    expect((await openCustomerLink(t.app, oldLink)).cookie).toBeNull();
    expect((await openCustomerLink(t.app, links[1]!)).cookie).not.toBeNull();

    const kinds = (await eventsOf(id)).map((e) => e.kind).filter((k) => k.startsWith('customer_'));
    expect(kinds).toEqual([
      'customer_access_granted',
      'customer_link_queued',
      'customer_link_sent',
      'customer_access_removed',
      'customer_access_granted',
      'customer_link_queued',
      'customer_link_sent',
    ]);
    // The "Send link" log of the case page reads them by topic.
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/log?topic=customer_access`,
      headers: { cookie: user.cookie },
    });
    expect(log.statusCode).toBe(200);
    expect((log.json().items as unknown[]).length).toBe(7);
  });

  it('does not send a queued link of a grant removed before the worker ran', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const persons = people();
    const { id } = await caseWith(persons, actor);
    const access = await t.db
      .selectFrom('customer_access')
      .select('contact_id')
      .where('case_id', '=', id)
      .executeTakeFirstOrThrow();
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/cases/${id}/customer-access/${access.contact_id}`,
      headers: browserHeaders(user.cookie),
    });
    expect(removed.statusCode).toBe(200);
    await deliver(t);
    expect(deliveriesTo(persons)).toEqual([]);
    const messages = removed.json().people[0].messages as Array<{ state: string; lastError: string }>;
    expect(messages.map((m) => m.state)).toEqual(['failed', 'failed']);
    expect(messages[0]!.lastError).toMatch(/access was removed/);
  });

  it('answers 404 for another company’s case, 403 for changes without our Origin, and 400 for bad bodies', async () => {
    const user = await signedInUser(t.app, t.db, { level: 6 });
    const stranger = await makeActor(t.db, { level: 6 });
    const { id } = await makeCase(t.db, stranger);
    for (const request of [
      { method: 'GET' as const, url: `/api/cases/${id}/customer-access` },
      { method: 'GET' as const, url: `/api/cases/${id}/customer-page-link` },
      { method: 'PUT' as const, url: `/api/cases/${id}/customer-page-link`, payload: { sendLink: 'manual' } },
      { method: 'POST' as const, url: `/api/cases/${id}/customer-access`, payload: { contactId: 'x' } },
      { method: 'DELETE' as const, url: `/api/cases/${id}/customer-access/x` },
    ]) {
      const response = await t.app.inject({ ...request, headers: browserHeaders(user.cookie) });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    const own = await makeCase(t.db, await makeActor(t.db, { companyId: user.companyId, level: 6 }));
    const noOrigin = await t.app.inject({
      method: 'PUT',
      url: `/api/cases/${own.id}/customer-page-link`,
      headers: { cookie: user.cookie },
      payload: { sendLink: 'manual' },
    });
    expect(noOrigin.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/cases/${own.id}/customer-page-link`,
      headers: browserHeaders(user.cookie),
      payload: { sendLink: 'never' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const extra = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${own.id}/customer-access`,
      headers: browserHeaders(user.cookie),
      payload: { contactId: 'x', more: 1 },
    });
    expect(extra.statusCode).toBe(400);
  });
});

describe('customer access: the per-case link setting', () => {
  it('sends when changed to a milestone already reached, logs every change, and never sends twice', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, { sendLink: 'positive_decision', accessFor: 'both' });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const { officeId } = await makePartnerWithOffice(t.db, user.companyId);
    const persons = people();
    const { id } = await caseWith(persons, actor);
    await assignMainInspection(t.db, actor, id, { officeId });
    await deliver(t);
    expect(deliveriesTo(persons)).toEqual([]);

    const put = (sendLink: string | null) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/cases/${id}/customer-page-link`,
        headers: browserHeaders(user.cookie),
        payload: { sendLink },
      });
    const changed = await put('main_inspection_assigned');
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({
      effective: 'main_inspection_assigned',
      caseOverride: 'main_inspection_assigned',
      companyDefault: 'positive_decision',
      due: true,
    });
    await deliver(t);
    expect(
      deliveriesTo(persons)
        .map((d) => `${d.person}:${d.channel}`)
        .sort(),
    ).toEqual(expected(persons, 'both'));

    // Further changes: logged, nothing sent again.
    expect((await put('case_created')).statusCode).toBe(200);
    expect((await put('manual')).statusCode).toBe(200);
    const back = await put(null);
    expect(back.json()).toMatchObject({ effective: 'positive_decision', caseOverride: null });
    expect((await put(null)).statusCode).toBe(200); // unchanged: no event
    await deliver(t);
    expect(deliveriesTo(persons)).toHaveLength(expected(persons, 'both').length);

    const changes = (await eventsOf(id))
      .filter((e) => e.kind === 'customer_link_setting_changed')
      .map((e) => e.data);
    expect(changes).toEqual([
      { from: null, to: 'main_inspection_assigned', effective: 'main_inspection_assigned' },
      { from: 'main_inspection_assigned', to: 'case_created', effective: 'case_created' },
      { from: 'case_created', to: 'manual', effective: 'manual' },
      { from: 'manual', to: null, effective: 'positive_decision' },
    ]);
    const get = await t.app.inject({
      method: 'GET',
      url: `/api/cases/${id}/customer-page-link`,
      headers: { cookie: user.cookie },
    });
    expect(get.json()).toMatchObject({ effective: 'positive_decision', due: false });
  });

  it('keeps a case set to manual silent at its milestones, and sends for a case cancelled at the milestone once reopened', async () => {
    const actor = await makeActor(t.db, { level: 6 });
    await saveSettings(t.db, actor.companyId, {
      sendLink: 'main_inspection_assigned',
      accessFor: 'customer',
    });
    const { officeId } = await makePartnerWithOffice(t.db, actor.companyId);
    const user = await signedInUser(t.app, t.db, { companyId: actor.companyId, level: 6 });

    const quiet = people();
    const { id: quietId } = await caseWith(quiet, actor);
    await t.app.inject({
      method: 'PUT',
      url: `/api/cases/${quietId}/customer-page-link`,
      headers: browserHeaders(user.cookie),
      payload: { sendLink: 'manual' },
    });
    await assignMainInspection(t.db, actor, quietId, { officeId });
    await deliver(t);
    expect(deliveriesTo(quiet)).toEqual([]);

    const persons = people();
    const { id } = await caseWith(persons, actor);
    await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/cancel`,
      headers: browserHeaders(user.cookie),
      payload: {},
    });
    // The milestone is set while cancelled (no link), then the case is reopened: the link goes out.
    await t.db
      .updateTable('cases')
      .set({ main_inspection_assigned_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    await deliver(t);
    expect(deliveriesTo(persons)).toEqual([]);
    const reopened = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/reopen`,
      headers: browserHeaders(user.cookie),
      payload: {},
    });
    expect(reopened.statusCode).toBe(200);
    await deliver(t);
    expect(
      deliveriesTo(persons)
        .map((d) => `${d.person}:${d.channel}`)
        .sort(),
    ).toEqual(['customer:email', 'customer:sms']);
  });
});

describe('simultaneous changes of access on one case (issue 12)', () => {
  it('removes a grant once for ten simultaneous removals (a repeat is a no-op)', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, { sendLink: 'case_created', accessFor: 'customer' });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const { id } = await caseWith(people(), actor);
    const grant = await t.db
      .selectFrom('customer_access')
      .select('contact_id')
      .where('case_id', '=', id)
      .executeTakeFirstOrThrow();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.app.inject({
          method: 'DELETE',
          url: `/api/cases/${id}/customer-access/${grant.contact_id}`,
          headers: browserHeaders(user.cookie),
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 10 }, () => 200));
    expect((await eventsOf(id)).filter((e) => e.kind === 'customer_access_removed')).toHaveLength(1);
  });

  it('logs ten simultaneous equal link settings once and queues each link once', async () => {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, { sendLink: 'manual', accessFor: 'both' });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const persons = people();
    const { id } = await caseWith(persons, actor);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.app.inject({
          method: 'PUT',
          url: `/api/cases/${id}/customer-page-link`,
          headers: browserHeaders(user.cookie),
          payload: { sendLink: 'case_created' },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array.from({ length: 10 }, () => 200));
    const events = await eventsOf(id);
    expect(events.filter((e) => e.kind === 'customer_link_setting_changed')).toHaveLength(1);
    const queued = events.filter((e) => e.kind === 'customer_link_queued');
    expect(queued).toHaveLength(expected(persons, 'both').length);
    await deliver(t);
    expect(
      deliveriesTo(persons)
        .map((d) => `${d.person}:${d.channel}`)
        .sort(),
    ).toEqual(expected(persons, 'both'));
  });
});

describe('customer access with the SMS security code on: a mobile number first (issue 16)', () => {
  const LANDLINE = '+4722334455';
  interface ListedPerson {
    name: string;
    contactId: string;
    state: string;
    phone: string | null;
    mobileMissing: boolean;
    phoneKind: string | null;
  }

  /** A company with the code on, and a case of `persons` made by a signed-in level-1 user. */
  async function codeWorld(persons: Person[], sendLink: SendLink, smsSecurityCode = true) {
    const user = await signedInUser(t.app, t.db, { level: 1 });
    await saveSettings(t.db, user.companyId, { sendLink, accessFor: 'all_contacts', smsSecurityCode });
    const actor = await makeActor(t.db, { companyId: user.companyId, level: 1 });
    const { id } = await caseWith(persons, actor);
    const list = async () =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/cases/${id}/customer-access`,
          headers: { cookie: user.cookie },
        })
      ).json() as { activeCount: number; smsSecurityCode: boolean; people: ListedPerson[] };
    const contactId = async (name: string) => (await list()).people.find((p) => p.name === name)!.contactId;
    const post = async (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: browserHeaders(user.cookie), payload });
    return {
      user,
      actor,
      id,
      list,
      grant: async (name: string, payload: object = {}) =>
        post(`/api/cases/${id}/customer-access`, { contactId: await contactId(name), ...payload }),
      newLink: async (name: string, payload: object = {}) =>
        post(`/api/cases/${id}/customer-access/${await contactId(name)}/new-link`, payload),
    };
  }

  /** The customer (both channels), an e-mail-only contact, one with a landline, one with nothing. */
  function codePeople(): Person[] {
    const [customer, emailOnly, , other, nobody] = people();
    return [customer!, emailOnly!, { ...other!, key: 'landline', phone: LANDLINE }, nobody!];
  }

  it('sends no automatic link to a person who could never get the code, and marks them in the list', async () => {
    const persons = codePeople();
    const world = await codeWorld(persons, 'case_created');
    await deliver(t);
    // Only the customer, who has a mobile number, got a link; nobody else a dead end.
    expect(
      deliveriesTo(persons)
        .map((d) => `${d.person}:${d.channel}`)
        .sort(),
    ).toEqual(['customer:email', 'customer:sms']);
    const list = await world.list();
    expect(list.smsSecurityCode).toBe(true);
    expect(list.activeCount).toBe(1);
    expect(list.people.map((p) => [p.name, p.state, p.mobileMissing, p.phoneKind])).toEqual([
      ['Ola Kunde', 'active', false, 'mobile'],
      ['Kari Kontakt', 'not_granted', true, null],
      ['Siv Annen', 'not_granted', true, 'landline'],
      ['Uten Kontaktinfo', 'unreachable', true, null],
    ]);
    const granted = (await eventsOf(world.id)).filter((e) => e.kind === 'customer_access_granted');
    expect(granted.map((e) => e.data.name)).toEqual(['Ola Kunde']);
  });

  it('refuses a grant without a mobile number (409 mobile_required), refuses a landline (400), and grants with a mobile number added', async () => {
    const persons = codePeople();
    const world = await codeWorld(persons, 'manual');

    const refused = await world.grant('Kari Kontakt');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'mobile_required' });
    expect(refused.json().error.message).toMatch(/Kari Kontakt has no mobile number/);
    const onLandline = await world.grant('Siv Annen');
    expect(onLandline.statusCode).toBe(409);
    expect(onLandline.json().error.code).toBe('mobile_required');
    expect(onLandline.json().error.message).toMatch(/landline/);

    // A landline given is refused before anything is saved; so is a number that is none.
    const landline = await world.grant('Kari Kontakt', { phone: '22 33 44 55' });
    expect(landline.statusCode).toBe(400);
    expect(landline.json().error.code).toBe('validation_failed');
    expect(landline.json().error.fields).toEqual([
      expect.objectContaining({ path: 'body.phone', message: expect.stringMatching(/landline/) }),
    ]);
    const garbage = await world.grant('Kari Kontakt', { phone: 'ring meg' });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.fields[0].path).toBe('body.phone');
    await deliver(t);
    expect(deliveriesTo(persons)).toEqual([]);
    const untouched = (await world.list()).people.find((p) => p.name === 'Kari Kontakt')!;
    expect(untouched).toMatchObject({ state: 'not_granted', phone: null, mobileMissing: true });

    // With a mobile number (as people write it): saved on the person, access granted, the link sent
    // by e-mail and SMS.
    const kariMobile = uniquePhone();
    const nobodyMobile = uniquePhone();
    const spaced = (e164: string) => `${e164.slice(3, 6)} ${e164.slice(6, 8)} ${e164.slice(8)}`;
    const granted = await world.grant('Kari Kontakt', { phone: spaced(kariMobile) });
    expect(granted.statusCode).toBe(200);
    const kari = (granted.json() as { people: ListedPerson[] }).people.find(
      (p) => p.name === 'Kari Kontakt',
    )!;
    expect(kari).toMatchObject({
      state: 'active',
      phone: kariMobile,
      phoneKind: 'mobile',
      mobileMissing: false,
    });
    // The person with no channel at all becomes reachable the same way.
    const nobody = await world.grant('Uten Kontaktinfo', { phone: nobodyMobile });
    expect(nobody.statusCode).toBe(200);
    await deliver(t);
    const sent = sinks.sms.filter((sms) => sms.to === kariMobile || sms.to === nobodyMobile);
    expect(sent.map((sms) => sms.to).sort()).toEqual([kariMobile, nobodyMobile].sort());
    expect(deliveriesTo(persons).map((d) => `${d.person}:${d.channel}`)).toEqual(['cp-email:email']);

    // The log says who added the number.
    const changed = (await eventsOf(world.id)).filter((e) => e.kind === 'contact_phone_changed');
    expect(changed.map((e) => e.data)).toEqual([
      expect.objectContaining({ name: 'Kari Kontakt', from: null, to: kariMobile }),
      expect.objectContaining({ name: 'Uten Kontaktinfo', from: null, to: nobodyMobile }),
    ]);
  });

  it('refuses a new link to a person with access but no mobile number once the code is on, until one is added', async () => {
    const persons = codePeople();
    // Granted while the code was off …
    const world = await codeWorld(persons, 'manual', false);
    expect((await world.grant('Kari Kontakt')).statusCode).toBe(200);
    expect((await world.list()).people.find((p) => p.name === 'Kari Kontakt')!.mobileMissing).toBe(false);
    // … then the company turns the code on: the list warns, a new link needs a mobile number.
    await saveSettings(t.db, world.user.companyId, {
      sendLink: 'manual',
      accessFor: 'all_contacts',
      smsSecurityCode: true,
    });
    expect((await world.list()).people.find((p) => p.name === 'Kari Kontakt')).toMatchObject({
      state: 'active',
      mobileMissing: true,
    });
    const refused = await world.newLink('Kari Kontakt');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('mobile_required');
    expect((await world.newLink('Kari Kontakt', { phone: LANDLINE })).statusCode).toBe(400);
    const sent = await world.newLink('Kari Kontakt', { phone: '41234567' });
    expect(sent.statusCode).toBe(200);
    expect(
      (sent.json() as { people: ListedPerson[] }).people.find((p) => p.name === 'Kari Kontakt'),
    ).toMatchObject({ state: 'active', phone: '+4741234567', mobileMissing: false });
  });

  it('asks nothing of the kind while the code is off', async () => {
    const persons = codePeople();
    const world = await codeWorld(persons, 'manual', false);
    expect((await world.list()).people.every((p) => !p.mobileMissing)).toBe(true);
    expect((await world.grant('Siv Annen')).statusCode).toBe(200);
  });
});
