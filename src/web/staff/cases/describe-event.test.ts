import { describe, expect, it } from 'vitest';
import { caseEventKinds, type CaseEventData } from '../../../common/rules/case-events.ts';
import { customerNewsItem } from '../../../common/rules/customer-news.ts';
import { loadLanguage, translate, type MessageKey } from '../../i18n/i18n.ts';
import { describeEvent } from './describe-event.ts';

// English is loaded on demand in the app (i18n.ts); these tests read it directly.
await loadLanguage('en');

const nb = (key: MessageKey, values?: Record<string, string | number>) => translate('nb', key, values);
const en = (key: MessageKey, values?: Record<string, string | number>) => translate('en', key, values);
const ref = (name: string) => ({ id: 'x', name });

// One example of every kind the server writes; the type makes a new kind without an example fail.
const examples: { [K in keyof CaseEventData]: CaseEventData[K] } = {
  case_created: { claimNumber: 'SK-1' },
  case_updated: { fields: ['description', 'qualityControl'] },
  contact_added: { contactId: 'c', role: 'contact_person', name: 'Ola' },
  contact_phone_changed: { contactId: 'c', name: 'Ola', from: null, to: '+4791234567' },
  case_put_on_hold: {},
  case_resumed: {},
  case_closed: { internalComment: 'Ferdig' },
  case_cancelled: {},
  case_reopened: { internalReason: null, companyName: 'Demo' },
  claim_decision: { internalDecision: 'accepted' },
  case_handler_changed: { from: ref('Ada'), to: ref('Jørn') },
  external_case_handler_changed: { from: null, to: ref('Kari') },
  technical_advisor_changed: { from: ref('Ada'), to: null },
  project_manager_assigned: { person: ref('Per') },
  project_management_assigned: { office: ref('Fjordbygg Drammen') },
  main_inspection_assigned: { taskId: 't', office: ref('Nordisk Takst Oslo') },
  inspector_assigned: { taskId: 't', inspector: ref('Kari Inspektør') },
  main_inspection_started: { taskId: 't' },
  main_inspection_finished: { taskId: 't' },
  task_added: { taskId: 't', name: 'Riv bad' },
  task_started: { taskId: 't', name: 'Riv bad' },
  task_finished: { taskId: 't', name: 'Riv bad' },
  task_office_assigned: { taskId: 't', name: 'Riv bad', office: ref('Fjordbygg Drammen') },
  repair_responsible_chosen: { taskId: 't', name: 'Riv bad', person: null },
  meeting_time_changed: { taskId: 't', name: 'Riv bad', meetingAt: '2026-12-01T08:00:00.000Z' },
  repair_schedule_changed: { taskId: 't', name: 'Riv bad', startsOn: '2026-12-01', endsOn: null },
  call_recorded: {
    callId: 'c',
    direction: 'outgoing',
    callerName: 'Ola',
    partyName: 'Nora Lie',
    number: '+4796789012',
    reached: true,
    durationSeconds: 200,
  },
  document_uploaded: { documentId: 'd', fileName: 'rapport.pdf', kind: 'report' },
  document_shared: { documentId: 'd', fileName: 'rapport.pdf' },
  document_unshared: { documentId: 'd', fileName: 'rapport.pdf' },
  document_deleted: { documentId: 'd', fileName: 'rapport.pdf', kind: 'other', wasShared: true },
  message_to_customer: { messageId: 'm', files: 2 },
  message_from_customer: { messageId: 'm', name: 'Kari Nordmann', files: 0 },
  customer_messages_read: { count: 3 },
  reminder_set: { reminderId: 'r', dueOn: '2026-12-24', internalText: 'Ring kunden' },
  reminder_done: { reminderId: 'r' },
  quote_request_created: { quoteRequestId: 'q', deadlineOn: '2026-12-10' },
  quote_request_answered: { quoteRequestId: 'q' },
  invoice_received: { invoiceId: 'i', amountOre: 1250000, dueOn: '2026-12-15' },
  invoice_approved: { invoiceId: 'i' },
  budget_changed: { totalOre: 9900 },
  settlement_saved: { settlementId: 's', version: 1, payoutOre: 1_234_50, lines: 2 },
  settlement_approved: {
    settlementId: 's',
    version: 2,
    payoutOre: 1_234_50,
    deductibleOre: 4_000_00,
    supersededId: 'r',
  },
  settlement_version_created: { settlementId: 's', version: 2, fromVersion: 1 },
  customer_access_granted: { accessId: 'a', contactId: 'c', name: 'Kari Nordmann', manual: true },
  customer_access_removed: { accessId: 'a', contactId: 'c', name: 'Kari Nordmann' },
  person_erased: { contactId: 'c' },
  customer_link_setting_changed: { from: null, to: 'manual', effective: 'manual' },
  customer_link_queued: {
    messageId: 'm',
    accessId: 'a',
    name: 'Kari',
    channel: 'sms',
    recipient: '+4791234567',
  },
  customer_link_sent: {
    messageId: 'm',
    accessId: 'a',
    name: 'Kari',
    channel: 'email',
    recipient: 'k@x.no',
    attempts: 1,
  },
  customer_link_failed: {
    messageId: 'm',
    accessId: 'a',
    name: 'Kari',
    channel: 'email',
    recipient: 'k@x.no',
    reason: 'SMTP 550',
  },
};

const describeKind = (kind: string, t = nb) =>
  describeEvent({ kind, data: (examples as Record<string, Record<string, unknown>>)[kind] ?? {} }, t).replace(
    /\s/g,
    ' ',
  );

describe('describeEvent', () => {
  it('turns every event kind into a sentence of its own in both languages, never the kind name', () => {
    for (const kind of caseEventKinds) {
      for (const t of [nb, en]) {
        const sentence = describeKind(kind, t);
        expect(sentence, kind).not.toBe(kind);
        expect(sentence, kind).not.toMatch(/\{\{|events\./);
      }
    }
  });

  it('names the people, offices, times and amounts involved', () => {
    expect(describeKind('case_created')).toBe('Saken ble opprettet med skadenummer SK-1');
    expect(describeKind('case_handler_changed')).toBe('Saksbehandler endret fra Ada til Jørn');
    expect(describeKind('external_case_handler_changed', en)).toBe('External case handler: Kari');
    expect(describeKind('technical_advisor_changed')).toBe('Teknisk rådgiver fjernet');
    expect(describeKind('main_inspection_assigned')).toBe(
      'Hovedbesiktigelsen ble tildelt Nordisk Takst Oslo',
    );
    expect(describeKind('meeting_time_changed')).toBe('Møtetidspunkt for «Riv bad»: 01.12.2026, 09:00');
    expect(describeKind('repair_schedule_changed', en)).toBe('Schedule for “Riv bad”: 01.12.2026 – not set');
    expect(describeKind('call_recorded')).toBe('Ola ringte Nora Lie (967 89 012), samtalen varte 3 min 20 s');
    expect(describeKind('invoice_received')).toBe('Faktura mottatt: 12 500,00 kr, forfall 15.12.2026');
    expect(describeKind('case_closed', en)).toBe('The case was closed. Internal comment: “Ferdig”');
    expect(describeKind('case_updated')).toBe('Saken ble endret: beskrivelse, kvalitetskontroll');
    expect(describeKind('message_from_customer')).toBe('Kari Nordmann sendte en melding');
    expect(describeKind('message_to_customer', en)).toBe('Message sent to the customer with attachments (2)');
    expect(describeKind('customer_messages_read')).toBe('Meldinger fra kunden markert som lest (3)');
    expect(describeKind('document_deleted')).toBe('«rapport.pdf» ble slettet');
  });

  it('tells an automatic share and a withheld report from sharing by hand (issue 16)', () => {
    const describeData = (kind: string, data: Record<string, unknown>, t = nb) =>
      describeEvent({ kind, data: { documentId: 'd', fileName: 'rapport.pdf', ...data } }, t);
    expect(describeData('document_shared', { automatic: true, milestone: 'main_inspection_assigned' })).toBe(
      'Dokumentet «rapport.pdf» ble delt automatisk med kunden ved tildeling av hovedbesiktigelsen',
    );
    expect(describeData('document_shared', { automatic: true, milestone: 'positive_decision' }, en)).toBe(
      'The document “rapport.pdf” was shared automatically with the customer at a positive claim decision',
    );
    expect(describeData('document_shared', {})).toBe('Dokumentet «rapport.pdf» ble delt med kunden');
    expect(describeData('document_unshared', { withheld: true })).toBe(
      'Delingen av «rapport.pdf» med kunden ble fjernet, og dokumentet deles ikke automatisk igjen',
    );
    expect(describeData('document_unshared', { withheld: true, wasShared: false }, en)).toBe(
      '“rapport.pdf” is withheld and not shared automatically with the customer',
    );
    expect(describeData('document_unshared', {})).toBe('Delingen av «rapport.pdf» med kunden ble fjernet');
  });

  it('calls the claim decision a job approval in a contractor portal', () => {
    const event = { kind: 'claim_decision', data: { internalDecision: 'accepted' } };
    expect(describeEvent(event, nb)).toBe('Erstatningsbeslutning: Godtatt');
    expect(describeEvent(event, nb, { contractor: true })).toBe('Oppdraget: Godkjent');
  });

  it("tells a call in the customer's news words, both ways, reached or not, and as stored before directions", () => {
    const calls = [
      { direction: 'outgoing', callerName: 'Ada Admin', partyName: 'Nora Lie', reached: true },
      { direction: 'outgoing', callerName: 'Ada Admin', partyName: null, reached: false },
      { direction: 'incoming', callerName: 'Nora Lie', partyName: 'Nora Lie', reached: true },
      { direction: 'incoming', callerName: 'Nora Lie', partyName: 'Nora Lie', reached: false },
      { callerName: 'Ada Admin', reached: true }, // written before issue 16
    ].map((call) => ({ callId: 'c', number: '+4796789012', durationSeconds: 45, ...call }));
    const expected = {
      nb: [
        'Ada Admin ringte Nora Lie (967 89 012), samtalen varte 45 s',
        'Ada Admin ringte 967 89 012 uten å få svar',
        'Nora Lie (967 89 012) ringte oss, samtalen varte 45 s',
        'Nora Lie (967 89 012) ringte oss uten å få svar',
        'Ada Admin ringte 967 89 012, samtalen varte 45 s',
      ],
      en: [
        'Ada Admin called Nora Lie (967 89 012); the call lasted 45 s',
        'Ada Admin called 967 89 012 without getting an answer',
        'Nora Lie (967 89 012) called us; the call lasted 45 s',
        'Nora Lie (967 89 012) called us without getting an answer',
        'Ada Admin called 967 89 012; the call lasted 45 s',
      ],
    };
    for (const [language, t] of [
      ['nb', nb],
      ['en', en],
    ] as const) {
      const staff = calls.map((data) => describeEvent({ kind: 'call_recorded', data }, t));
      const customer = calls.map(
        (data) =>
          customerNewsItem(
            { id: 'e', kind: 'call_recorded', occurredAt: '', data },
            ['call_history'],
            language,
          )?.text,
      );
      expect(staff).toEqual(expected[language]);
      expect(customer).toEqual(expected[language]);
    }
  });

  it('falls back to the kind name for a kind it does not know', () => {
    expect(describeEvent({ kind: 'something_new', data: {} }, nb)).toBe('something_new');
  });
});
