import type { CaseEventViewT } from '../../../common/contracts/case-api.ts';
import { callFacts } from '../../../common/rules/calls.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { formatAmount, formatDate, formatDateTime, formatDuration } from '../format.ts';
import { formatPhone } from '../phone.tsx';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const refName = (value: unknown): string | null =>
  value && typeof value === 'object' && 'name' in value && typeof value.name === 'string' ? value.name : null;

const personRoles: Record<string, MessageKey> = {
  case_handler_changed: 'people.caseHandler',
  external_case_handler_changed: 'people.externalCaseHandler',
  technical_advisor_changed: 'people.technicalAdvisor',
};

const decisionKeys = ['accepted', 'rejected', 'needs_more_information'] as const;
const contactRoles = ['customer', 'contact_person', 'other'] as const;
const eventFields = ['description', 'qualityControl'] as const;
const reportMilestones = ['case_created', 'main_inspection_assigned', 'positive_decision'] as const;

/** The address a link went to: a phone number as people read it, an e-mail address as it is. */
const recipientOf = (d: Record<string, unknown>): string =>
  d.channel === 'sms' ? formatPhone(text(d.recipient)) : text(d.recipient);

function oneOf<T extends string>(list: readonly T[], value: unknown): T | null {
  return list.find((item) => item === value) ?? null;
}

/**
 * One event of the case log as a sentence in the reader's language ("The case was put on hold").
 * A kind this version does not know shows as its name, so a newer server never breaks the log.
 */
export function describeEvent(
  event: Pick<CaseEventViewT, 'kind' | 'data'>,
  t: Translate,
  options: { contractor?: boolean } = {},
): string {
  const d = event.data;
  const name = text(d.name);
  switch (event.kind) {
    case 'case_created':
      return t('events.case_created', { claimNumber: text(d.claimNumber) });
    case 'case_updated': {
      const fields = Array.isArray(d.fields) ? d.fields : [];
      const names = fields.map((field) => {
        const known = oneOf(eventFields, field);
        return known ? t(`eventFields.${known}`) : String(field);
      });
      return t('events.case_updated', { fields: names.join(', ') });
    }
    case 'contact_added': {
      const role = oneOf(contactRoles, d.role);
      return t('events.contact_added', {
        name,
        role: role ? t(`contactRole.${role}`).toLowerCase() : text(d.role),
      });
    }
    case 'contact_phone_changed':
      return t('events.contact_phone_changed', { name, phone: formatPhone(text(d.to)) });
    case 'case_put_on_hold':
      return t('events.case_put_on_hold');
    case 'case_resumed':
      return t('events.case_resumed');
    case 'case_closed':
      return d.internalComment
        ? t('events.case_closed_comment', { comment: text(d.internalComment) })
        : t('events.case_closed');
    case 'case_cancelled':
      return t('events.case_cancelled');
    case 'case_reopened':
      return d.internalReason
        ? t('events.case_reopened_reason', { reason: text(d.internalReason) })
        : t('events.case_reopened');
    case 'claim_decision': {
      const decision = oneOf(decisionKeys, d.internalDecision);
      const label = decision
        ? t(options.contractor ? `decisionContractor.${decision}` : `decision.${decision}`)
        : text(d.internalDecision);
      return t(options.contractor ? 'events.claim_decision_contractor' : 'events.claim_decision', {
        decision: label,
      });
    }
    case 'case_handler_changed':
    case 'external_case_handler_changed':
    case 'technical_advisor_changed': {
      const role = t(personRoles[event.kind] as MessageKey);
      const from = refName(d.from);
      const to = refName(d.to);
      if (!to) return t('events.person_removed', { role });
      return from ? t('events.person_changed', { role, from, to }) : t('events.person_set', { role, to });
    }
    case 'project_manager_assigned': {
      const role = t('people.projectManager');
      const to = refName(d.person);
      return to ? t('events.person_set', { role, to }) : t('events.person_removed', { role });
    }
    case 'project_management_assigned': {
      const role = t('people.projectManagement');
      const to = refName(d.office);
      return to ? t('events.person_set', { role, to }) : t('events.person_removed', { role });
    }
    case 'main_inspection_assigned':
      return t('events.main_inspection_assigned', { office: refName(d.office) ?? '' });
    case 'inspector_assigned':
      return t('events.inspector_assigned', { inspector: refName(d.inspector) ?? '' });
    case 'main_inspection_started':
      return t('events.main_inspection_started');
    case 'main_inspection_finished':
      return t('events.main_inspection_finished');
    case 'task_added':
      return t('events.task_added', { name });
    case 'task_started':
      return t('events.task_started', { name });
    case 'task_finished':
      return t('events.task_finished', { name });
    case 'task_office_assigned': {
      const office = refName(d.office);
      return office
        ? t('events.task_office_assigned', { name, office })
        : t('events.task_office_removed', { name });
    }
    case 'repair_responsible_chosen': {
      const person = refName(d.person);
      return person
        ? t('events.repair_responsible_chosen', { name, person })
        : t('events.repair_responsible_removed', { name });
    }
    case 'meeting_time_changed':
      return d.meetingAt
        ? t('events.meeting_time_changed', { name, time: formatDateTime(text(d.meetingAt)) })
        : t('events.meeting_time_removed', { name });
    case 'repair_schedule_changed': {
      const day = (value: unknown) => (typeof value === 'string' ? formatDate(value) : t('events.notSet'));
      return t('events.repair_schedule_changed', { name, startsOn: day(d.startsOn), endsOn: day(d.endsOn) });
    }
    case 'call_recorded': {
      // The customer's news tells the same call in the same words (common/rules/customer-news.ts).
      const call = callFacts({
        direction: d.direction === 'incoming' ? 'incoming' : 'outgoing',
        callerName: text(d.callerName),
        partyName: typeof d.partyName === 'string' ? d.partyName : null,
        number: text(d.number),
        reached: d.reached === true,
        durationSeconds: Number(d.durationSeconds) || 0,
      });
      const number = formatPhone(call.number);
      const party = call.partyName ? t('events.call_party', { name: call.partyName, number }) : number;
      return t(`events.call_${call.direction}_${call.reached ? 'reached' : 'not_reached'}`, {
        caller: call.callerName,
        party,
        duration: formatDuration(call.durationSeconds),
      });
    }
    case 'document_shared': {
      const milestone = d.automatic === true ? oneOf(reportMilestones, d.milestone) : null;
      return milestone
        ? t('events.document_shared_automatic', {
            fileName: text(d.fileName),
            milestone: t(`reportMilestone.${milestone}`),
          })
        : t('events.document_shared', { fileName: text(d.fileName) });
    }
    case 'document_unshared': {
      // Withheld from the report rule: before the customer saw it, or taken away from them.
      const key =
        d.withheld !== true
          ? 'events.document_unshared'
          : d.wasShared === false
            ? 'events.document_withheld'
            : 'events.document_unshared_withheld';
      return t(key, { fileName: text(d.fileName) });
    }
    case 'document_uploaded':
    case 'document_deleted':
      return t(`events.${event.kind}`, { fileName: text(d.fileName) });
    case 'message_to_customer': {
      const files = Number(d.files) || 0;
      return files > 0 ? t('events.message_to_customer_files', { files }) : t('events.message_to_customer');
    }
    case 'message_from_customer': {
      const files = Number(d.files) || 0;
      return files > 0
        ? t('events.message_from_customer_files', { name, files })
        : t('events.message_from_customer', { name });
    }
    case 'customer_messages_read':
      return t('events.customer_messages_read', { count: Number(d.count) || 0 });
    case 'reminder_set':
      return t('events.reminder_set', { date: formatDate(text(d.dueOn)), text: text(d.internalText) });
    case 'reminder_done':
      return t('events.reminder_done');
    case 'quote_request_created':
      return t('events.quote_request_created', { date: formatDate(text(d.deadlineOn)) });
    case 'quote_request_answered':
      return t('events.quote_request_answered');
    case 'invoice_received':
      return t('events.invoice_received', {
        amount: formatAmount(Number(d.amountOre) || 0),
        date: formatDate(text(d.dueOn)),
      });
    case 'invoice_approved':
      return t('events.invoice_approved');
    case 'budget_changed':
      return t('events.budget_changed', { amount: formatAmount(Number(d.totalOre) || 0) });
    case 'settlement_saved':
    case 'settlement_approved':
      return t(`events.${event.kind}`, {
        version: Number(d.version) || 0,
        amount: formatAmount(Number(d.payoutOre) || 0),
      });
    case 'settlement_version_created':
      return t('events.settlement_version_created', {
        version: Number(d.version) || 0,
        from: Number(d.fromVersion) || 0,
      });
    case 'customer_access_granted':
      return t(d.manual ? 'events.customer_access_granted_manual' : 'events.customer_access_granted', {
        name: text(d.name),
      });
    case 'customer_access_removed':
      return t('events.customer_access_removed', { name: text(d.name) });
    case 'person_erased':
      return t('events.person_erased');
    case 'customer_link_setting_changed':
      return t('events.customer_link_setting_changed', {
        setting: t(`events.sendLink_${text(d.effective) as 'manual'}`),
      });
    case 'customer_link_queued':
    case 'customer_link_sent':
      return t(`events.${event.kind}`, {
        name: text(d.name),
        channel: t(d.channel === 'sms' ? 'events.channelSms' : 'events.channelEmail'),
        recipient: recipientOf(d),
      });
    case 'customer_link_failed':
      return t('events.customer_link_failed', {
        name: text(d.name),
        channel: t(d.channel === 'sms' ? 'events.channelSms' : 'events.channelEmail'),
        recipient: recipientOf(d),
        reason: text(d.reason),
      });
    default:
      return event.kind;
  }
}
