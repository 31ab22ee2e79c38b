import { describe, expect, it } from 'vitest';
import { defaultCustomerPageSettings, settingNames } from '../rules/customer-page-settings.ts';
import { customerPageSettingsSchema, customerPageSettingsShape } from './customer-page-settings.ts';

const parse = (overrides: Record<string, unknown>) =>
  customerPageSettingsSchema.safeParse({ ...defaultCustomerPageSettings, ...overrides });

const issuesOf = (overrides: Record<string, unknown>) => {
  const result = parse(overrides);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
};

describe('customer-page settings schema', () => {
  it('accepts the defaults as they are', () => {
    expect(customerPageSettingsSchema.parse(defaultCustomerPageSettings)).toEqual(
      defaultCustomerPageSettings,
    );
  });

  it('has one field per setting name, in the same order', () => {
    expect(Object.keys(customerPageSettingsShape)).toEqual(settingNames);
  });

  it('refuses manual for every trigger except sendLink, naming the field', () => {
    expect(parse({ sendLink: 'manual' }).success).toBe(true);
    for (const field of [
      'showBudget',
      'showNews',
      'showProjectPlan',
      'showDocuments',
      'showSettlementReport',
    ]) {
      expect(issuesOf({ [field]: 'manual' })).toEqual([
        { path: field, message: expect.stringContaining("'manual' is only a value of sendLink") },
      ]);
    }
    expect(issuesOf({ sendLink: 'never' })).toEqual([
      { path: 'sendLink', message: expect.stringMatching(/one of/) },
    ]);
  });

  it('refuses an unknown news kind, a repeated one, a bad colour, bad days and unknown fields', () => {
    expect(issuesOf({ newsFilter: ['case_closed', 'weather'] })).toEqual([
      { path: 'newsFilter.1', message: expect.stringContaining('"weather" is not a news kind') },
    ]);
    expect(issuesOf({ newsFilter: ['case_closed', 'case_closed'] })).toEqual([
      { path: 'newsFilter', message: 'must not name a news kind twice' },
    ]);
    for (const color of ['red', '#12345', '#1234567', '#ggg000', '']) {
      expect(issuesOf({ colors: { ...defaultCustomerPageSettings.colors, menuText: color } })).toEqual([
        { path: 'colors.menuText', message: 'must be a colour written #rrggbb' },
      ]);
    }
    for (const days of [-1, 1.5, 3651, '30', null]) {
      expect(issuesOf({ visibleDaysAfterClose: days }).map((i) => i.path)).toEqual(['visibleDaysAfterClose']);
    }
    expect(issuesOf({ showDashboard: 'always' })).toEqual([
      { path: '', message: expect.stringContaining('showDashboard') },
    ]);
    expect(issuesOf({ colors: { ...defaultCustomerPageSettings.colors, linkText: '#000000' } })).toEqual([
      { path: 'colors', message: expect.stringContaining('linkText') },
    ]);
  });

  it('requires every setting', () => {
    const { showNews: _omitted, ...rest } = defaultCustomerPageSettings;
    const result = customerPageSettingsSchema.safeParse(rest);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['showNews'], message: 'is required' }),
    ]);
  });

  it("refuses the handler's phone without the handler's name", () => {
    expect(issuesOf({ showCaseHandler: false, showCaseHandlerPhone: true })).toEqual([
      { path: 'showCaseHandlerPhone', message: expect.stringContaining('showCaseHandler') },
    ]);
    expect(parse({ showCaseHandler: true, showCaseHandlerPhone: true }).success).toBe(true);
    expect(parse({ showCaseHandler: false, showCaseHandlerPhone: false }).success).toBe(true);
  });

  it('stores colours in lower case and the news filter in the guide order', () => {
    const result = customerPageSettingsSchema.parse({
      ...defaultCustomerPageSettings,
      colors: { ...defaultCustomerPageSettings.colors, headingText: '#AB12CD' },
      newsFilter: ['document_unshared', 'call_history'],
      contactForMoreInfo: '  Ring 22 00 00 00 ',
    });
    expect(result.colors.headingText).toBe('#ab12cd');
    expect(result.newsFilter).toEqual(['call_history', 'document_unshared']);
    expect(result.contactForMoreInfo).toBe('Ring 22 00 00 00');
  });
});
