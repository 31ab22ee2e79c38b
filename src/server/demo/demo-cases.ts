import type { Actor } from '../security/actor.ts';
import { recordCall } from '../calls/calls.ts';
import { changeCaseStatus, createCase, decideClaim, updateCase } from '../cases/cases.ts';
import type { Db } from '../db/database.ts';
import {
  assignMainInspection,
  createTask,
  progressMainInspection,
  progressTaskById,
  updateTask,
} from '../tasks/tasks.ts';
import { postCustomerMessage } from '../messages/customer-messages.ts';
import { markAllMessagesRead, postStaffMessage } from '../messages/staff-messages.ts';
import { findDemoCustomerGrant, keepDemoMessagesInMailbox, setClosedAt, shiftCaseTimes } from './queries.ts';
import { setDocumentsShared, uploadCaseDocument } from '../documents/documents.ts';
import type { UploadPart } from '../documents/intake.ts';
import { streamOf, type FileStorage } from '../storage/file-storage.ts';
import { demoPdf } from './demo-pdf.ts';
import { addDays, osloDate } from '../../common/rules/oslo-date.ts';
import {
  approveInvoice,
  receiveInvoice,
  replaceBudget,
  requestQuote,
  setReminder,
} from '../economy/economy.ts';

/** Names of the demo partners' offices and persons, as created by the demo seed. */
export interface DemoDirectory {
  office: (name: string) => string;
  person: (name: string) => string;
  user: (email: string) => string;
  storage: FileStorage;
}

async function* iterate<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

type Step =
  | { do: 'assign'; office: string; inspector?: string }
  | { do: 'inspection'; step: 'start' | 'finish' }
  | { do: 'decide'; decision: 'accepted' | 'rejected' | 'needs_more_information' }
  | {
      do: 'task';
      name: string;
      description?: string;
      office?: string;
      responsible?: string;
      startsInDays?: number;
      lengthDays?: number;
      meetingInDays?: number;
      progress?: 'start' | 'finish';
    }
  /** A call with the case's customer: outgoing (by Ada Admin) unless `incoming`. */
  | { do: 'call'; reached: boolean; seconds: number; incoming?: boolean }
  | { do: 'people'; externalHandler?: string; projectManager?: string; projectManagement?: string }
  | { do: 'hold' | 'close' | 'cancel' | 'reopen'; text?: string }
  | { do: 'reminder'; inDays: number; text: string }
  | { do: 'quote'; office: string; inDays: number; description: string }
  | { do: 'invoice'; office: string; nok: number; dueInDays: number; description: string; approved?: boolean }
  | { do: 'budget'; lines: Array<[description: string, nok: number]> }
  /** A message on the Communication tab: from the customer (needs their access) or from staff. */
  | { do: 'message'; from: 'customer' | 'staff'; text: string; hoursAgo: number; read?: boolean }
  | {
      do: 'document';
      kind: 'inspection_report' | 'customer_settlement_report' | 'other';
      fileName: string;
      title: string;
      lines: string[];
      /** Uploaded on behalf of this partner office (unseen until staff open it). */
      partnerOffice?: string;
      /** Shared with the customer by hand (Documents tab of the customer page). */
      shared?: boolean;
    };

interface DemoCase {
  claimNumber: string;
  street: string;
  postalCode: string;
  city: string;
  description: string;
  customer: { name: string; email?: string; phone?: string };
  contact?: { name: string; email?: string; phone?: string };
  /** E-mail of the case handler when it is not the demo admin. */
  handler?: string;
  /** How long ago the case was opened; all its times are moved back by this much. */
  ageDays: number;
  /** For a closed case: how long ago it was closed. */
  closedDaysAgo?: number;
  steps: Step[];
}

/** About fifteen cases over every state a claim goes through. */
export const demoCases: DemoCase[] = [
  {
    claimNumber: 'SK-2026-1001',
    street: 'Tollbugata 22',
    postalCode: '0152',
    city: 'Oslo',
    description: 'Vannlekkasje fra oppvaskmaskin, skade på kjøkkengulv.',
    customer: { name: 'Ola Nordmann', email: 'ola.nordmann@example.no', phone: '+4791234567' },
    ageDays: 0,
    steps: [],
  },
  {
    claimNumber: 'SK-2026-1002',
    handler: 'saksbehandler@demo.kundeside.no',
    street: 'Storgata 5',
    postalCode: '3015',
    city: 'Drammen',
    description: 'Fuktskade i kjeller etter kraftig regn.',
    customer: { name: 'Kari Hansen', email: 'kari.hansen@example.no', phone: '+4792345678' },
    contact: { name: 'Per Hansen', phone: '+4793456789' },
    ageDays: 2,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Kari Inspektør' },
      { do: 'call', reached: true, seconds: 240 },
      { do: 'reminder', inDays: 0, text: 'Ring kunden og avtal befaring.' },
    ],
  },
  {
    claimNumber: 'SK-2026-1003',
    street: 'Kongens gate 14',
    postalCode: '7011',
    city: 'Trondheim',
    description: 'Brann i komfyr, sotskader i stue og kjøkken.',
    customer: { name: 'Ingrid Berg', email: 'ingrid.berg@example.no', phone: '+4794567890' },
    ageDays: 4,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Per Takstmann' },
      { do: 'inspection', step: 'start' },
      { do: 'call', reached: false, seconds: 0, incoming: true },
    ],
  },
  {
    claimNumber: 'SK-2026-1004',
    street: 'Bryggen 3',
    postalCode: '5003',
    city: 'Bergen',
    description: 'Stormskade på tak, løse takstein.',
    customer: { name: 'Lars Vik', email: 'lars.vik@example.no', phone: '+4795678901' },
    ageDays: 8,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Bergen', inspector: 'Siri Vik' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'needs_more_information' },
      {
        do: 'document',
        kind: 'inspection_report',
        fileName: 'Besiktigelsesrapport Bryggen 3.pdf',
        title: 'Besiktigelsesrapport',
        lines: [
          'Bryggen 3, 5003 Bergen',
          'Stormskade på tak. 14 takstein løse, undertak intakt.',
          'Anbefaling: omlegging av takstein på nordsiden.',
        ],
        partnerOffice: 'Nordisk Takst Bergen',
      },
    ],
  },
  {
    claimNumber: 'SK-2026-1005',
    street: 'Markveien 40',
    postalCode: '0554',
    city: 'Oslo',
    description: 'Rørbrudd på bad, vann gjennom etasjeskiller.',
    customer: { name: 'Nora Lie', email: 'nora.lie@example.no', phone: '+4796789012' },
    contact: { name: 'Jonas Lie', email: 'jonas.lie@example.no' },
    ageDays: 12,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Kari Inspektør' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'accepted' },
      { do: 'people', projectManager: 'Lise Prosjektleder', projectManagement: 'Fjordbygg Drammen' },
      {
        do: 'task',
        name: 'Riving av baderom',
        description: 'Fliser, membran og sluk fjernes. Uttørking starter.',
        office: 'Fjordbygg Drammen',
        responsible: 'Ole Tømrer',
        startsInDays: 3,
        lengthDays: 4,
        meetingInDays: 3,
      },
      {
        do: 'task',
        name: 'Nytt baderom',
        description: 'Ny membran, fliser og sanitærutstyr.',
        office: 'Fjordbygg Drammen',
        responsible: 'Ole Tømrer',
        startsInDays: 10,
        lengthDays: 10,
      },
      { do: 'reminder', inDays: 1, text: 'Følg opp tilbud på nytt bad.' },
      { do: 'quote', office: 'Fjordbygg Drammen', inDays: 1, description: 'Tilbud på nytt baderom' },
      {
        do: 'message',
        from: 'customer',
        text: 'Hei! Kan vi bruke toalettet i 1. etasje mens badet rives? Vi har to små barn.',
        hoursAgo: 50,
        read: true,
      },
      {
        do: 'message',
        from: 'staff',
        text:
          'Hei Nora, ja, toalettet i 1. etasje kan brukes hele tiden. Ole Tømrer fra Fjordbygg kommer på første ' +
          'dag av rivingen. Se gjerne https://www.dsb.no/ for råd om vannskader.',
        hoursAgo: 47,
      },
      {
        do: 'message',
        from: 'customer',
        text: 'Takk! Det drypper fortsatt litt fra taket i gangen. Skal vi gjøre noe før dere kommer?',
        hoursAgo: 3,
      },
      { do: 'invoice', office: 'Nordisk Takst Oslo', nok: 4500, dueInDays: 1, description: 'Takstrapport' },
      {
        do: 'budget',
        lines: [
          ['Riving og uttørking', 38000],
          ['Nytt baderom', 145000],
          ['Takst', 4500],
        ],
      },
      {
        do: 'document',
        kind: 'inspection_report',
        fileName: 'Besiktigelsesrapport Markveien 40.pdf',
        title: 'Besiktigelsesrapport',
        lines: [
          'Markveien 40, 0554 Oslo',
          'Rørbrudd bak vegg på bad. Fukt i etasjeskiller.',
          'Anbefaling: riving av bad og uttørking.',
        ],
      },
      {
        do: 'document',
        kind: 'other',
        fileName: 'Fremdriftsplan baderom.pdf',
        title: 'Fremdriftsplan for nytt baderom',
        lines: [
          'Markveien 40, 0554 Oslo',
          'Uke 1: riving og uttørking. Uke 2–3: nytt baderom.',
          'Kontakt Fjordbygg Drammen ved spørsmål om arbeidet.',
        ],
        shared: true,
      },
    ],
  },
  {
    claimNumber: 'SK-2026-1006',
    street: 'Elvegata 9',
    postalCode: '3045',
    city: 'Drammen',
    description: 'Vannskade fra varmtvannsbereder i vaskerom.',
    customer: { name: 'Espen Dahl', email: 'espen.dahl@example.no', phone: '+4797890123' },
    ageDays: 20,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Per Takstmann' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'accepted' },
      {
        do: 'task',
        name: 'Uttørking',
        office: 'Fjordbygg Drammen',
        responsible: 'Ole Tømrer',
        startsInDays: -5,
        lengthDays: 7,
        progress: 'start',
      },
      {
        do: 'task',
        name: 'Nytt gulv i vaskerom',
        office: 'Fjordbygg Drammen',
        responsible: 'Lise Prosjektleder',
        startsInDays: 3,
        lengthDays: 3,
        meetingInDays: 1,
      },
      { do: 'call', reached: true, seconds: 95 },
      { do: 'reminder', inDays: 5, text: 'Sjekk fuktmåling etter uttørking.' },
      { do: 'quote', office: 'Fjordbygg Drammen', inDays: 0, description: 'Tilbud på nytt gulv' },
      {
        do: 'invoice',
        office: 'Fjordbygg Drammen',
        nok: 23750,
        dueInDays: 10,
        description: 'Uttørking, første uke',
      },
      {
        do: 'budget',
        lines: [
          ['Uttørking', 30000],
          ['Nytt gulv i vaskerom', 42000],
        ],
      },
      {
        do: 'document',
        kind: 'other',
        fileName: 'Fuktmåling uke 1.pdf',
        title: 'Fuktmåling',
        lines: ['Elvegata 9, 3045 Drammen', 'Måling 1: 24 %   Måling 2: 19 %'],
        partnerOffice: 'Fjordbygg Drammen',
      },
    ],
  },
  {
    claimNumber: 'SK-2026-1007',
    street: 'Sjøgata 1',
    postalCode: '8006',
    city: 'Bodø',
    description: 'Skade på terrasse etter frost.',
    customer: { name: 'Hilde Moen', email: 'hilde.moen@example.no', phone: '+4798901234' },
    ageDays: 15,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Bergen' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'rejected' },
    ],
  },
  {
    claimNumber: 'SK-2026-1008',
    street: 'Parkveien 7',
    postalCode: '4006',
    city: 'Stavanger',
    description: 'Innbrudd, knust vindu og dør.',
    customer: { name: 'Anders Strand', phone: '+4799012345' },
    ageDays: 10,
    steps: [{ do: 'assign', office: 'Nordisk Takst Oslo' }, { do: 'hold' }],
  },
  {
    claimNumber: 'SK-2026-1009',
    street: 'Torggata 11',
    postalCode: '0181',
    city: 'Oslo',
    description: 'Lekkasje fra tak over soverom, utbedret.',
    customer: { name: 'Marte Aas', email: 'marte.aas@example.no', phone: '+4790123456' },
    ageDays: 40,
    closedDaysAgo: 5,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Kari Inspektør' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'accepted' },
      {
        do: 'task',
        name: 'Tetting av tak',
        office: 'Fjordbygg Drammen',
        responsible: 'Ole Tømrer',
        startsInDays: -20,
        lengthDays: 2,
        progress: 'finish',
      },
      { do: 'close', text: 'Ferdig utbedret, kunden fornøyd.' },
      {
        do: 'invoice',
        office: 'Fjordbygg Drammen',
        nok: 18900,
        dueInDays: -10,
        description: 'Tetting av tak',
        approved: true,
      },
      {
        do: 'document',
        kind: 'customer_settlement_report',
        fileName: 'Kundeoppgjør Torggata 11.pdf',
        title: 'Kundeoppgjør',
        lines: ['Torggata 11, 0181 Oslo', 'Utbetalt: kr 18 900', 'Egenandel: kr 4 000'],
      },
    ],
  },
  {
    claimNumber: 'SK-2026-1010',
    street: 'Havnegata 2',
    postalCode: '9008',
    city: 'Tromsø',
    description: 'Vannskade i gang, utbedret i vår.',
    customer: { name: 'Sigrid Nilsen', email: 'sigrid.nilsen@example.no' },
    ageDays: 150,
    closedDaysAgo: 120,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Bergen', inspector: 'Siri Vik' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'accepted' },
      { do: 'close', text: 'Oppgjør utbetalt.' },
    ],
  },
  {
    claimNumber: 'SK-2026-1011',
    street: 'Fjordveien 21',
    postalCode: '1363',
    city: 'Høvik',
    description: 'Ny fuktskade etter tidligere utbedring.',
    customer: { name: 'Tor Eriksen', email: 'tor.eriksen@example.no', phone: '+4791122334' },
    ageDays: 60,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Per Takstmann' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'accepted' },
      { do: 'close', text: 'Utbedret.' },
      { do: 'reopen', text: 'Kunden melder ny fukt i samme vegg.' },
      { do: 'call', reached: true, seconds: 410 },
      { do: 'reminder', inDays: -2, text: 'Send ny befaring til kunden.' },
    ],
  },
  {
    claimNumber: 'SK-2026-1012',
    street: 'Skolegata 3',
    postalCode: '2317',
    city: 'Hamar',
    description: 'Meldt ved en feil, dobbel registrering.',
    customer: { name: 'Eva Lund', phone: '+4792233445' },
    ageDays: 6,
    steps: [{ do: 'cancel' }],
  },
  {
    claimNumber: 'SK-2026-1013',
    street: 'Nedre Slottsgate 8',
    postalCode: '0157',
    city: 'Oslo',
    description: 'Lynnedslag, skade på elektrisk anlegg.',
    customer: { name: 'Magnus Holm', email: 'magnus.holm@example.no', phone: '+4793344556' },
    contact: { name: 'Elektriker Knut', phone: '+4794455667' },
    ageDays: 30,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Oslo', inspector: 'Kari Inspektør' },
      { do: 'inspection', step: 'start' },
      { do: 'inspection', step: 'finish' },
      { do: 'decide', decision: 'accepted' },
      {
        do: 'task',
        name: 'Utskifting av sikringsskap',
        office: 'Fjordbygg Drammen',
        responsible: 'Ole Tømrer',
        startsInDays: -15,
        lengthDays: 2,
        progress: 'finish',
      },
      {
        do: 'task',
        name: 'Kontroll av anlegg',
        office: 'Fjordbygg Drammen',
        responsible: 'Lise Prosjektleder',
        startsInDays: -10,
        lengthDays: 1,
        progress: 'finish',
      },
      { do: 'quote', office: 'Fjordbygg Drammen', inDays: 7, description: 'Tilbud på overspenningsvern' },
      {
        do: 'invoice',
        office: 'Fjordbygg Drammen',
        nok: 61200,
        dueInDays: 0,
        description: 'Nytt sikringsskap',
      },
      {
        do: 'budget',
        lines: [
          ['Sikringsskap', 55000],
          ['Kontroll', 6200],
        ],
      },
    ],
  },
  {
    claimNumber: 'SK-2026-1014',
    handler: 'saksbehandler@demo.kundeside.no',
    street: 'Løkkeveien 12',
    postalCode: '4008',
    city: 'Stavanger',
    description: 'Tett avløp har gitt vann på badegulv.',
    customer: { name: 'Ida Solberg', email: 'ida.solberg@example.no', phone: '+4795566778' },
    contact: { name: 'Marius Solberg', email: 'marius.solberg@example.no', phone: '+4796677889' },
    ageDays: 1,
    steps: [{ do: 'call', reached: true, seconds: 180 }],
  },
  {
    claimNumber: 'SK-2026-1015',
    handler: 'saksbehandler@demo.kundeside.no',
    street: 'Strandkaien 4',
    postalCode: '5013',
    city: 'Bergen',
    description: 'Stormskade på fasade og vinduer.',
    customer: { name: 'Knut Haugen', email: 'knut.haugen@example.no', phone: '+4797788990' },
    ageDays: 3,
    steps: [
      { do: 'assign', office: 'Nordisk Takst Bergen', inspector: 'Siri Vik' },
      { do: 'people', externalHandler: 'Per Takstmann' },
    ],
  },
];

const HOUR = 3_600_000;
const DAY = 86_400_000;
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Creates the demo cases through the same service functions staff use (so every event is real),
 * then moves each case's times back by its age so the demo reads like a working portfolio.
 */
export async function seedDemoCases(
  db: Db,
  actor: Actor,
  dir: DemoDirectory,
  now = new Date(),
): Promise<string[]> {
  const ids: string[] = [];
  for (const demo of demoCases) {
    const { id } = await createCase(db, actor, {
      claimNumber: demo.claimNumber,
      address: { street: demo.street, postalCode: demo.postalCode, city: demo.city },
      description: demo.description,
      customer: demo.customer,
      contacts: demo.contact ? [{ ...demo.contact, role: 'contact_person' }] : [],
      ...(demo.handler && { caseHandlerId: dir.user(demo.handler) }),
    });
    // Steps happen "as of" the case's age: schedules are relative to today, so they stay upcoming.
    for (const step of demo.steps) await runStep(db, actor, dir, id, demo, step, now, demo.ageDays);
    await keepDemoMessagesInMailbox(db, id);
    if (demo.ageDays > 0) await shiftCaseTimes(db, id, demo.ageDays * DAY);
    if (demo.closedDaysAgo !== undefined)
      await setClosedAt(db, id, new Date(now.getTime() - demo.closedDaysAgo * DAY));
    ids.push(id);
  }
  return ids;
}

async function runStep(
  db: Db,
  actor: Actor,
  dir: DemoDirectory,
  caseId: string,
  demo: DemoCase,
  step: Step,
  now: Date,
  ageDays: number,
) {
  switch (step.do) {
    case 'assign':
      await assignMainInspection(db, actor, caseId, {
        officeId: dir.office(step.office),
        ...(step.inspector && { inspectorId: dir.person(step.inspector) }),
      });
      return;
    case 'inspection':
      await progressMainInspection(db, actor, caseId, step.step);
      return;
    case 'decide':
      await decideClaim(db, actor, caseId, { decision: step.decision });
      return;
    case 'call':
      await recordCall(db, actor, caseId, {
        direction: step.incoming ? 'incoming' : 'outgoing',
        ...(!step.incoming && { callerName: 'Ada Admin' }),
        partyName: demo.customer.name,
        number: demo.customer.phone ?? '+4791234567',
        reached: step.reached,
        durationSeconds: step.seconds,
      });
      return;
    case 'people':
      await updateCase(db, actor, caseId, {
        ...(step.externalHandler && { externalCaseHandlerId: dir.person(step.externalHandler) }),
        ...(step.projectManager && { projectManagerId: dir.person(step.projectManager) }),
        ...(step.projectManagement && { projectManagementOfficeId: dir.office(step.projectManagement) }),
      });
      return;
    case 'task': {
      const { id } = await createTask(db, actor, caseId, {
        name: step.name,
        ...(step.description && { description: step.description }),
      });
      const starts =
        step.startsInDays !== undefined ? new Date(now.getTime() + step.startsInDays * DAY) : null;
      await updateTask(db, actor, id, {
        ...(step.office && { officeId: dir.office(step.office) }),
        ...(step.responsible && { responsibleId: dir.person(step.responsible) }),
        ...(starts && { startsOn: isoDate(starts) }),
        ...(starts &&
          step.lengthDays && { endsOn: isoDate(new Date(starts.getTime() + step.lengthDays * DAY)) }),
        ...(step.meetingInDays !== undefined && {
          meetingAt: new Date(
            Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + step.meetingInDays, 8, 0),
          ).toISOString(),
        }),
      });
      if (step.progress) await progressTaskById(db, actor, id, 'start');
      if (step.progress === 'finish') await progressTaskById(db, actor, id, 'finish');
      return;
    }
    case 'close':
      await changeCaseStatus(db, actor, caseId, 'close', { comment: step.text });
      return;
    case 'reopen':
      await changeCaseStatus(db, actor, caseId, 'reopen', { reason: step.text });
      return;
    case 'reminder':
      await setReminder(db, actor, caseId, { dueOn: addDays(osloDate(now), step.inDays), text: step.text });
      return;
    case 'quote':
      await requestQuote(db, actor, caseId, {
        officeId: dir.office(step.office),
        description: step.description,
        deadlineOn: addDays(osloDate(now), step.inDays),
      });
      return;
    case 'invoice': {
      const invoice = await receiveInvoice(db, actor, caseId, {
        officeId: dir.office(step.office),
        description: step.description,
        amountOre: step.nok * 100,
        dueOn: addDays(osloDate(now), step.dueInDays),
      });
      if (step.approved) await approveInvoice(db, actor, invoice.id);
      return;
    }
    case 'budget':
      await replaceBudget(db, actor, caseId, {
        lines: step.lines.map(([description, nok]) => ({ description, amountOre: nok * 100 })),
      });
      return;
    case 'document': {
      const parts: UploadPart[] = [
        { type: 'field', fieldname: 'kind', value: step.kind, valueTruncated: false },
        ...(step.partnerOffice
          ? [
              {
                type: 'field' as const,
                fieldname: 'partnerOfficeId',
                value: dir.office(step.partnerOffice),
                valueTruncated: false,
              },
            ]
          : []),
        {
          type: 'file',
          fieldname: 'file',
          filename: step.fileName,
          file: streamOf(demoPdf(step.title, step.lines)),
        },
      ];
      const uploaded = await uploadCaseDocument({ db, storage: dir.storage }, actor, caseId, iterate(parts));
      if (step.shared) await setDocumentsShared(db, actor, caseId, { documentIds: [uploaded.id] }, true);
      return;
    }
    case 'message':
      // Written so that moving the case back by its age leaves the message `hoursAgo` old.
      await demoMessage(
        db,
        actor,
        dir,
        caseId,
        step,
        new Date(now.getTime() + ageDays * DAY - step.hoursAgo * HOUR),
      );
      return;
    case 'hold':
    case 'cancel':
      await changeCaseStatus(db, actor, caseId, step.do);
      return;
  }
}

/** A message through the real services, as the customer (their grant) or the demo admin. */
async function demoMessage(
  db: Db,
  actor: Actor,
  dir: DemoDirectory,
  caseId: string,
  step: Extract<Step, { do: 'message' }>,
  now: Date,
) {
  const deps = { db, storage: dir.storage };
  const input = { kind: 'json' as const, body: { body: step.text } };
  if (step.from === 'staff') {
    await postStaffMessage(deps, actor, caseId, input, now);
    return;
  }
  const sender = await findDemoCustomerGrant(db, caseId);
  if (!sender) throw new Error(`demo: the customer of case ${caseId} has no access to write from`);
  await postCustomerMessage(deps, { company_id: actor.companyId, case_id: caseId }, sender, input, now);
  if (step.read) await markAllMessagesRead(deps, actor, caseId, now);
}
