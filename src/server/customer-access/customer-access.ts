import type {
  CaseSendLinkView,
  CustomerAccessListView,
  CustomerAccessPersonView,
  CustomerIdentificationView,
} from '../../common/contracts/customer-access-api.ts';
import type { CustomerPageSettings, SendLink } from '../../common/rules/customer-page-settings.ts';
import { phoneKind } from '../../common/rules/phone.ts';
import { reachability, sendLinkDue } from '../../common/rules/visibility.ts';
import { authorize, type Actor } from '../security/actor.ts';
import { caseCommand, type CaseChangeStep, type CaseCommandContext } from '../case-commands/case-command.ts';
import { appendCaseEvent, type EventActor } from '../case-events/case-events.ts';
import { loadCase } from '../cases/access.ts';
import { casePolicy } from '../cases/policy.ts';
import { findCase, listContactsOfCase, updateCaseRow, updateContactPhone } from '../cases/queries.ts';
import { findCompany } from '../companies/queries.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CaseContactsTable, CasesTable, CustomerAccessTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';
import { enqueueMessage, outboxOf } from '../outbox/outbox.ts';
import { newId } from '../security/tokens.ts';
import { channelsOf, eligibleFor, visibilityStateOf } from './access-rules.ts';
import { mintLinkToken } from './link-tokens.ts';
import { linkEmail, linkLength, linkSms } from './messages.ts';
import { reissueAccessLink } from './reissue-link.ts';
import {
  deleteSessionsOfAccess,
  failQueuedLinks,
  findAccessOfContact,
  insertAccessIfAbsent,
  killLiveCodes,
  listAccessOfCase,
  listMessagesOfCase,
  markAccessRemoved,
  reactivateAccess,
} from './queries.ts';

/**
 * Who has access to a case's customer page, and when the link goes out (spec §5, §9, §12; issue 5).
 *
 * - One grant per person per case, each with its own link token (256 random bits; only its SHA-256
 *   is stored). Removing keeps the row as `removed`; granting again issues a new token.
 * - Who gets access automatically follows `accessFor`; when follows the effective `sendLink` (the
 *   case's override, else the company's). {@link onMilestoneReached} runs inside the transaction of
 *   the change that reaches a milestone, grants everyone who should have access and has no grant yet
 *   (a removed grant stays removed), and queues their links in the outbox — so nobody is sent a link
 *   twice, and a link is sent only if the change is committed.
 * - A person with neither e-mail nor phone cannot be sent a link: listed as `unreachable`.
 * - With the SMS security code on, a person without a mobile number (none, or a landline) could open
 *   the link but never get the code: no grant is made for them automatically, staff cannot grant or
 *   send a link before adding one (409 `mobile_required`), and the list marks them `mobileMissing`.
 * - Every grant, removal, queued link and setting change is an event in the case log.
 */

const effectiveSendLink = (row: CasesTable, settings: CustomerPageSettings): SendLink =>
  row.send_link ?? settings.sendLink;

/**
 * With the SMS security code on: the person has no number an SMS reaches (none, or a landline).
 * With BankID on the code is only its fallback, so no number is needed.
 */
const mobileMissing = (settings: CustomerPageSettings, contact: Pick<CaseContactsTable, 'phone'>): boolean =>
  settings.smsSecurityCode &&
  !settings.bankIdSignIn &&
  (contact.phone === null || phoneKind(contact.phone) !== 'mobile');

/**
 * Grants access and queues the link to everyone who should have it, when the case's link is due.
 * Call it in the transaction of every change that can make the link due (case created, main
 * inspection first assigned, claim first accepted, case reopened, per-case setting changed).
 */
export async function onMilestoneReached(
  trx: Db,
  caseId: string,
  stamp: EventActor,
  now = new Date(),
): Promise<void> {
  const row = await findCase(trx, caseId);
  if (!row) return;
  const settings = await loadCustomerPageSettings(trx, row.company_id);
  const due = await dueLinkRecipients(trx, row, settings, now);
  if (!due.length) return;
  const company = await findCompany(trx, row.company_id);
  for (const contact of due) {
    const { token, tokenHash } = mintLinkToken();
    const access = accessRow(row, contact, stamp, tokenHash, now);
    if (!(await insertAccessIfAbsent(trx, access))) continue;
    await recordGrant(trx, row, contact, access, token, stamp, {
      manual: false,
      companyName: company?.name ?? '',
      settings,
      now,
    });
  }
}

/**
 * The people who get access and a link automatically when a case is in the state of `row`: none
 * unless its link is due and customers can open it; else everyone `accessFor` names who has no grant
 * yet (a removed grant stays removed) and can be reached — with the SMS code on, by a mobile number.
 * {@link onMilestoneReached} grants them; the milestone preview lists them before the step is taken.
 */
export async function dueLinkRecipients(
  db: Db,
  row: CasesTable,
  settings: CustomerPageSettings,
  now: Date,
): Promise<CaseContactsTable[]> {
  const state = visibilityStateOf(row);
  if (!sendLinkDue(effectiveSendLink(row, settings), state)) return [];
  if (!reachability(settings, state, now).reachable) return [];
  const [contacts, grants] = await Promise.all([
    listContactsOfCase(db, row.id),
    listAccessOfCase(db, row.id),
  ]);
  const granted = new Set(grants.map((grant) => grant.contact_id));
  return contacts.filter(
    (contact) =>
      !granted.has(contact.id) &&
      eligibleFor(settings.accessFor, contact.role) &&
      // No link that leads to a dead end: the list shows them as missing a mobile number instead.
      channelsOf(contact).length > 0 &&
      !mobileMissing(settings, contact),
  );
}

/**
 * The on-change step of customer access (registered in app.ts): after a change that can make the
 * case's link due — the case created, the main inspection first assigned, the claim first accepted,
 * the case reopened, its own link setting changed — grants and queues links in the same transaction.
 */
export const sendLinksWhenDue: CaseChangeStep = async ({ trx, before, after, stamp, now }) => {
  const reopened =
    before !== null &&
    before.status !== after.status &&
    after.status === 'open' &&
    (before.status === 'closed' || before.status === 'cancelled');
  const moved =
    before === null ||
    reopened ||
    before.main_inspection_assigned_at !== after.main_inspection_assigned_at ||
    before.positive_decision_at !== after.positive_decision_at ||
    before.send_link !== after.send_link;
  if (moved) await onMilestoneReached(trx, after.id, stamp, now);
};

function accessRow(
  row: CasesTable,
  contact: CaseContactsTable,
  stamp: EventActor,
  tokenHash: string,
  now: Date,
): CustomerAccessTable {
  return {
    id: newId(),
    company_id: row.company_id,
    case_id: row.id,
    contact_id: contact.id,
    token_hash: tokenHash,
    link_version: 1,
    state: 'active',
    granted_by_kind: stamp.kind === 'api_key' ? 'api_key' : stamp.kind === 'user' ? 'user' : 'system',
    granted_by_id: stamp.id,
    granted_by_name: stamp.name,
    granted_at: nowIso(now),
    removed_at: null,
    last_used_at: null,
    wrong_codes: 0,
    code_locked_at: null,
    identified_by: null,
    identified_name: null,
    identified_birth_date: null,
    identified_at: null,
  };
}

/** The grant's event, and its link queued by every channel of the person (once per link version). */
async function recordGrant(
  trx: Db,
  row: CasesTable,
  contact: CaseContactsTable,
  access: Pick<CustomerAccessTable, 'id' | 'link_version'>,
  token: string,
  stamp: EventActor,
  options: { manual: boolean; companyName: string; settings: CustomerPageSettings; now: Date },
): Promise<void> {
  const { manual, now } = options;
  await appendCaseEvent(
    trx,
    { companyId: row.company_id, caseId: row.id },
    stamp,
    'customer_access_granted',
    { accessId: access.id, contactId: contact.id, name: contact.name, manual },
    now,
  );
  await queueLink(trx, row, contact, access, token, stamp, options);
}

/** The link of a grant's link version queued by every channel of the person, each with its event. */
async function queueLink(
  trx: Db,
  row: CasesTable,
  contact: CaseContactsTable,
  access: Pick<CustomerAccessTable, 'id' | 'link_version'>,
  token: string,
  stamp: EventActor,
  options: { companyName: string; settings: CustomerPageSettings; now: Date },
): Promise<void> {
  const target = { companyId: row.company_id, caseId: row.id };
  const { companyName, settings, now } = options;
  const base = outboxOf(trx).publicBaseUrl;
  for (const channel of channelsOf(contact)) {
    const recipient = channel === 'email' ? (contact.email ?? '') : (contact.phone ?? '');
    const email = channel === 'email' ? linkEmail(companyName, contact.name, settings) : null;
    const messageId = await enqueueMessage(
      trx,
      {
        companyId: row.company_id,
        caseId: row.id,
        accessId: access.id,
        kind: 'customer_link',
        channel,
        recipient,
        senderName: companyName,
        subject: email?.subject ?? null,
        bodyText: email?.text ?? linkSms(companyName, base ? linkLength(base) : 70),
        bodyHtml: email?.html ?? null,
        secret: token,
        idempotencyKey: `link:${access.id}:${access.link_version}:${channel}`,
      },
      now,
    );
    if (messageId) {
      await appendCaseEvent(
        trx,
        target,
        stamp,
        'customer_link_queued',
        { messageId, accessId: access.id, name: contact.name, channel, recipient },
        now,
      );
    }
  }
}

/** GET /api/cases/:id/customer-access: every person of the case with their access and messages. */
export async function listCustomerAccess(
  db: Db,
  actor: Actor,
  caseId: string,
  now = new Date(),
): Promise<CustomerAccessListView> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return presentAccessList(db, row, now);
}

async function presentAccessList(db: Db, row: CasesTable, now: Date): Promise<CustomerAccessListView> {
  const [settings, contacts, grants, messages] = await Promise.all([
    loadCustomerPageSettings(db, row.company_id),
    listContactsOfCase(db, row.id),
    listAccessOfCase(db, row.id),
    listMessagesOfCase(db, row.id),
  ]);
  const grantOf = new Map(grants.map((grant) => [grant.contact_id, grant]));
  const people = contacts.map((contact): CustomerAccessPersonView => {
    const grant = grantOf.get(contact.id);
    const channels = channelsOf(contact);
    return {
      contactId: contact.id,
      name: contact.name,
      role: contact.role,
      email: contact.email,
      phone: contact.phone,
      eligible: eligibleFor(settings.accessFor, contact.role),
      state: grant ? grant.state : channels.length ? 'not_granted' : 'unreachable',
      channels,
      accessId: grant?.id ?? null,
      grantedAt: grant?.granted_at ?? null,
      grantedBy: grant ? { kind: grant.granted_by_kind, name: grant.granted_by_name } : null,
      removedAt: grant?.removed_at ?? null,
      lastUsedAt: grant?.last_used_at ?? null,
      codeLockedAt: grant?.state === 'active' ? grant.code_locked_at : null,
      mobileMissing: mobileMissing(settings, contact),
      phoneKind: contact.phone ? phoneKind(contact.phone) : null,
      identification: grant ? identificationOf(grant) : null,
      messages: messages
        .filter((message) => grant && message.access_id === grant.id)
        .map((message) => ({
          id: message.id,
          kind: message.kind,
          channel: message.channel,
          recipient: message.recipient,
          state: message.state,
          attempts: message.attempts,
          lastError: message.last_error,
          deliveredVia: message.delivered_via,
          createdAt: message.created_at,
          sentAt: message.sent_at,
          providerStatus: message.provider_status,
          providerStatusAt: message.provider_status_at,
          providerError: message.provider_error,
        })),
    };
  });
  const state = visibilityStateOf(row);
  return {
    activeCount: grants.filter((grant) => grant.state === 'active').length,
    accessFor: settings.accessFor,
    smsSecurityCode: settings.smsSecurityCode,
    bankIdSignIn: settings.bankIdSignIn,
    sendLink: presentSendLink(row, settings),
    caseReachable: reachability(settings, state, now).reachable,
    people,
  };
}

/** Who opened the page last and how: the grant's latest identification, else the link's last use. */
function identificationOf(grant: CustomerAccessTable): CustomerIdentificationView | null {
  if (grant.identified_at && (grant.identified_by === 'bankid' || grant.identified_by === 'sms_code')) {
    return {
      method: grant.identified_by,
      name: grant.identified_name,
      birthDate: grant.identified_birth_date,
      at:
        grant.last_used_at && grant.last_used_at > grant.identified_at
          ? grant.last_used_at
          : grant.identified_at,
    };
  }
  return grant.last_used_at ? { method: 'link', name: null, birthDate: null, at: grant.last_used_at } : null;
}

function presentSendLink(row: CasesTable, settings: CustomerPageSettings): CaseSendLinkView {
  const effective = effectiveSendLink(row, settings);
  return {
    effective,
    caseOverride: row.send_link,
    companyDefault: settings.sendLink,
    due: sendLinkDue(effective, visibilityStateOf(row)),
  };
}

/**
 * With the SMS security code on, the person must have a mobile number before a link goes out: the
 * one given (saved on the person, with its event) or the one on record; a landline given is a 400,
 * none at all a 409 `mobile_required`. Returns the person as they are now.
 */
async function requireMobileFor(
  ctx: Pick<CaseCommandContext, 'trx' | 'row' | 'event'>,
  settings: CustomerPageSettings,
  contact: CaseContactsTable,
  phone: string | undefined,
): Promise<CaseContactsTable> {
  if (phone !== undefined && phone !== contact.phone) {
    if (phoneKind(phone) !== 'mobile') {
      throw new AppError('validation_failed', 'The phone number is a landline: it cannot receive an SMS.', {
        fields: [{ path: 'body.phone', message: 'is a landline number: it cannot receive an SMS' }],
      });
    }
    await updateContactPhone(ctx.trx, ctx.row.id, contact.id, phone);
    await ctx.event('contact_phone_changed', {
      contactId: contact.id,
      name: contact.name,
      from: contact.phone,
      to: phone,
    });
    contact = { ...contact, phone };
  }
  if (mobileMissing(settings, contact)) {
    throw new AppError(
      'mobile_required',
      contact.phone
        ? `The customer page requires the SMS security code, and ${contact.name}'s phone is a landline: add a mobile number first.`
        : `The customer page requires the SMS security code, and ${contact.name} has no mobile number: add one first.`,
    );
  }
  return contact;
}

/**
 * POST /api/cases/:id/customer-access {contactId, phone?}: grants access by hand and sends the link
 * at once (a removed grant gets a new link; the old one and its sessions stay dead). 409 when the
 * person already has access, cannot be reached, or the case cannot be opened by customers now; 409
 * `mobile_required` with the SMS code on and no mobile number (`phone` adds one) — each read on the
 * locked case, so of two simultaneous grants one passes and one link goes out.
 */
export async function grantCustomerAccess(
  db: Db,
  actor: Actor,
  caseId: string,
  input: { contactId: string; phone?: string | undefined },
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<CustomerAccessListView> {
  const { contactId } = input;
  const row = await caseCommand(
    db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row, stamp, now, event }) => {
      const listed = (await listContactsOfCase(trx, row.id)).find((c) => c.id === contactId);
      if (!listed) throw notFound('This person is not on the case.');
      const settings = await loadCustomerPageSettings(trx, row.company_id);
      const contact = await requireMobileFor({ trx, row, event }, settings, listed, input.phone);
      if (!channelsOf(contact).length) {
        throw new AppError('conflict', `${contact.name} has neither an e-mail address nor a phone number.`);
      }
      const reach = reachability(settings, visibilityStateOf(row), now);
      if (!reach.reachable) {
        throw new AppError(
          'conflict',
          reach.reason === 'cancelled'
            ? 'The case is cancelled; customers cannot open it.'
            : 'The case was closed longer ago than its days visible; customers cannot open it.',
        );
      }
      const existing = await findAccessOfContact(trx, row.id, contact.id);
      if (existing?.state === 'active') throw new AppError('conflict', `${contact.name} already has access.`);
      const { token, tokenHash } = mintLinkToken();
      const fresh = accessRow(row, contact, stamp, tokenHash, now);
      // The removed grant's sessions were kept to tell their browsers why (customer-sessions.ts);
      // none of them may come back to life with the grant.
      if (existing) await deleteSessionsOfAccess(trx, existing.id);
      const access = existing
        ? await reactivateAccess(trx, existing.id, {
            token_hash: fresh.token_hash,
            granted_by_kind: fresh.granted_by_kind,
            granted_by_id: fresh.granted_by_id,
            granted_by_name: fresh.granted_by_name,
            granted_at: fresh.granted_at,
          })
        : (await insertAccessIfAbsent(trx, fresh))
          ? fresh
          : undefined;
      if (!access) throw new AppError('conflict', `${contact.name} already has access.`);
      const company = await findCompany(trx, row.company_id);
      await recordGrant(trx, row, contact, access, token, stamp, {
        manual: true,
        companyName: company?.name ?? '',
        settings,
        now,
      });
      return row;
    },
    now,
  );
  return presentAccessList(db, row, now ?? new Date());
}

/**
 * DELETE /api/cases/:id/customer-access/:contactId: the link and every session of it stop working
 * at once; links not yet sent are not sent. Removing a removed grant changes nothing (no event).
 * The sessions stay stored (refused by the grant's state, purged when idle) so that an open page and
 * its reloads say "access removed" with the company's contact text, not "link not valid".
 */
export async function removeCustomerAccess(
  db: Db,
  actor: Actor,
  caseId: string,
  contactId: string,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<CustomerAccessListView> {
  const row = await caseCommand(
    db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row, now, event }) => {
      const access = await findAccessOfContact(trx, row.id, contactId);
      if (!access) throw notFound('This person has no access to remove.');
      if (!(await markAccessRemoved(trx, access.id, nowIso(now)))) return row;
      const contact = (await listContactsOfCase(trx, row.id)).find((c) => c.id === contactId);
      await killLiveCodes(trx, access.id);
      await failQueuedLinks(trx, access.id, 'Not sent: access was removed before the message went out.');
      await event('customer_access_removed', { accessId: access.id, contactId, name: contact?.name ?? '' });
      return row;
    },
    now,
  );
  return presentAccessList(db, row, now ?? new Date());
}

/**
 * POST /api/cases/:id/customer-access/:contactId/new-link: sends the person a new link at once (the
 * links sent before stop working) and lifts a lock left by too many wrong SMS codes
 * ({@link reissueAccessLink}). 404 without a grant, 409 when it was removed (grant access instead),
 * the person cannot be reached, or the case cannot be opened by customers now; 409 `mobile_required`
 * as a grant (`phone` adds the mobile number first).
 */
export async function sendNewCustomerLink(
  db: Db,
  actor: Actor,
  caseId: string,
  contactId: string,
  phone?: string,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<CustomerAccessListView> {
  const row = await caseCommand(
    db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row, stamp, now, event }) => {
      const access = await findAccessOfContact(trx, row.id, contactId);
      const listed = (await listContactsOfCase(trx, row.id)).find((c) => c.id === contactId);
      if (!access || !listed) throw notFound('This person has no access to the customer page.');
      if (access.state !== 'active') {
        throw new AppError('conflict', `${listed.name} has no access any more; grant access instead.`);
      }
      const settings = await loadCustomerPageSettings(trx, row.company_id);
      const contact = await requireMobileFor({ trx, row, event }, settings, listed, phone);
      if (!channelsOf(contact).length) {
        throw new AppError('conflict', `${contact.name} has neither an e-mail address nor a phone number.`);
      }
      if (!reachability(settings, visibilityStateOf(row), now).reachable) {
        throw new AppError('conflict', 'The case cannot be opened by customers now.');
      }
      const issued = await reissueAccessLink(trx, access.id);
      if (!issued) throw new AppError('conflict', `${contact.name} has no access any more.`);
      await failQueuedLinks(trx, access.id, 'Not sent: a new link replaced it.');
      const company = await findCompany(trx, row.company_id);
      await queueLink(
        trx,
        row,
        contact,
        { id: access.id, link_version: issued.linkVersion },
        issued.token,
        stamp,
        { companyName: company?.name ?? '', settings, now },
      );
      return row;
    },
    now,
  );
  return presentAccessList(db, row, now ?? new Date());
}

/** GET /api/cases/:id/customer-page-link. */
export async function getCaseSendLink(db: Db, actor: Actor, caseId: string): Promise<CaseSendLinkView> {
  authorize(actor, casePolicy.read);
  const row = await loadCase(db, actor, caseId);
  return presentSendLink(row, await loadCustomerPageSettings(db, row.company_id));
}

/**
 * PUT /api/cases/:id/customer-page-link {sendLink}: the case's own "send link" setting (null: the
 * company's again); the same value again changes nothing. When the milestone of the new value is
 * already reached, the links go out now (the on-change step {@link sendLinksWhenDue} sees the change).
 */
export async function setCaseSendLink(
  db: Db,
  actor: Actor,
  caseId: string,
  sendLink: SendLink | null,
  /** Given only by tests; otherwise taken once the case is locked. */
  now?: Date,
): Promise<CaseSendLinkView> {
  await caseCommand(
    db,
    actor,
    caseId,
    casePolicy.work,
    async ({ trx, row, now, event }) => {
      if (row.send_link === sendLink) return;
      const settings = await loadCustomerPageSettings(trx, row.company_id);
      await updateCaseRow(trx, row.id, { send_link: sendLink, updated_at: nowIso(now) });
      await event('customer_link_setting_changed', {
        from: row.send_link,
        to: sendLink,
        effective: sendLink ?? settings.sendLink,
      });
    },
    now,
  );
  return getCaseSendLink(db, actor, caseId);
}
