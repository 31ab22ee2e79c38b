import { describe, expect, it } from 'vitest';
import { newsKinds } from './case-events.ts';
import {
  defaultCustomerPageSettings,
  newsKindTexts,
  sendLinkLabel,
  settingNames,
  triggerLabel,
} from './customer-page-settings.ts';

describe('customer-page settings defaults', () => {
  it('has the defaults the guide shows (BankID off) and 24 setting names', () => {
    expect(defaultCustomerPageSettings).toMatchObject({
      smsSecurityCode: false,
      bankIdSignIn: false,
      accessFor: 'customer',
      sendLink: 'case_created',
      visibleDaysAfterClose: 30,
      showBudget: 'never',
      showProjectPlan: 'case_created',
      showCommunication: 'case_created',
      communicationMethod: 'both_ways',
      showDocuments: 'case_created',
      showInspectionReport: 'main_inspection_assigned',
      showSettlementReport: 'never',
      useCompanyLogo: true,
      // Issue 19: decision outcomes stay internal unless the company chooses to show them.
      showDecisionOutcome: false,
    });
    expect(settingNames).toHaveLength(24);
  });
});

describe('texts for the admin page', () => {
  it('has a Norwegian and an English label and explanation for each of the 19 news kinds', () => {
    expect(Object.keys(newsKindTexts)).toEqual([...newsKinds]);
    for (const kind of newsKinds) {
      for (const language of ['nb', 'en'] as const) {
        expect(newsKindTexts[kind][language].label.length).toBeGreaterThan(3);
        expect(newsKindTexts[kind][language].help.length).toBeGreaterThan(10);
      }
    }
    expect(newsKindTexts.case_reopened.nb.label).toBe('Sak gjenåpnet');
  });

  it('words the decision milestone as the approved job in a contractor portal', () => {
    expect(triggerLabel('positive_decision', 'nb', 'insurance')).toBe('Ved positiv erstatningsbeslutning');
    expect(triggerLabel('positive_decision', 'nb', 'contractor')).toBe('Ved godkjent oppdrag');
    expect(sendLinkLabel('positive_decision', 'en', 'contractor')).toBe('When the job is approved');
    expect(sendLinkLabel('manual', 'nb', 'insurance')).toBe('Kun manuelt');
  });
});
