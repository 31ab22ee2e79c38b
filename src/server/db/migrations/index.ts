import type { Migration } from 'kysely';
import * as foundation from './2026-11-27T0600-foundation.ts';
import * as cases from './2026-11-27T0700-cases.ts';
import * as customerPage from './2026-11-27T0800-customer-page.ts';
import * as customerAccess from './2026-11-27T0900-customer-access.ts';
import * as communication from './2026-11-27T1000-communication.ts';
import * as caseList from './2026-11-28T1200-case-list.ts';
import * as dashboardEntries from './2026-11-28T1300-dashboard-entries.ts';
import * as customerPageModels from './2026-12-03T1900-customer-page-models.ts';
import * as codeLock from './2026-12-03T2000-code-lock.ts';
import * as callDirection from './2026-12-06T1000-call-direction.ts';
import * as reportSharing from './2026-12-06T1100-report-sharing.ts';
import * as customerPageFormat from './2026-12-07T0900-customer-page-format.ts';
import * as invoiceApprover from './2026-12-07T1200-invoice-approver.ts';
import * as staffSso from './2026-12-08T0900-staff-sso.ts';
import * as customerBankId from './2026-12-08T1000-customer-bankid.ts';
import * as webhooks from './2026-12-08T1100-webhooks.ts';
import * as smsDeliveryReports from './2026-12-08T1200-sms-delivery-reports.ts';
import * as satisfaction from './2026-12-08T1300-satisfaction.ts';
import * as quietHours from './2026-12-09T0900-quiet-hours.ts';
import * as caseArchive from './2026-12-09T1100-case-archive.ts';
import * as dataLifecycle from './2026-12-09T1200-data-lifecycle.ts';
import * as personData from './2026-12-09T1210-person-data.ts';
import * as settlement from './2026-12-09T1300-settlement.ts';

/**
 * Every migration, in order. Names are timestamps so they sort; each has up and down and runs
 * unchanged on SQLite and PostgreSQL. Listed explicitly (no directory scan) so the set is the same
 * under tsx, a bundler or a test runner.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-27T0600-foundation': foundation,
  '2026-11-27T0700-cases': cases,
  '2026-11-27T0800-customer-page': customerPage,
  '2026-11-27T0900-customer-access': customerAccess,
  '2026-11-27T1000-communication': communication,
  '2026-11-28T1200-case-list': caseList,
  '2026-11-28T1300-dashboard-entries': dashboardEntries,
  '2026-12-03T1900-customer-page-models': customerPageModels,
  '2026-12-03T2000-code-lock': codeLock,
  '2026-12-06T1000-call-direction': callDirection,
  '2026-12-06T1100-report-sharing': reportSharing,
  '2026-12-07T0900-customer-page-format': customerPageFormat,
  '2026-12-07T1200-invoice-approver': invoiceApprover,
  '2026-12-08T0900-staff-sso': staffSso,
  '2026-12-08T1000-customer-bankid': customerBankId,
  '2026-12-08T1100-webhooks': webhooks,
  '2026-12-08T1200-sms-delivery-reports': smsDeliveryReports,
  '2026-12-08T1300-satisfaction': satisfaction,
  '2026-12-09T0900-quiet-hours': quietHours,
  '2026-12-09T1100-case-archive': caseArchive,
  '2026-12-09T1200-data-lifecycle': dataLifecycle,
  '2026-12-09T1210-person-data': personData,
  '2026-12-09T1300-settlement': settlement,
};
