import { describe, expect, it } from 'vitest';
import { defaultCustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { diffSettings } from './customer-page-config.ts';
import { readStoredSettings } from './settings.ts';

describe('diffSettings', () => {
  it('names each changed setting once, each colour on its own, in the order of the settings', () => {
    const next = {
      ...defaultCustomerPageSettings,
      useCompanyLogo: false,
      smsSecurityCode: true,
      newsFilter: [],
      colors: { ...defaultCustomerPageSettings.colors, menuText: '#000000', pageBackground: '#fefefe' },
    };
    expect(diffSettings(defaultCustomerPageSettings, next)).toEqual([
      { setting: 'smsSecurityCode', oldValue: false, newValue: true },
      { setting: 'newsFilter', oldValue: defaultCustomerPageSettings.newsFilter, newValue: [] },
      { setting: 'colors.pageBackground', oldValue: '#ffffff', newValue: '#fefefe' },
      { setting: 'colors.menuText', oldValue: '#ffffff', newValue: '#000000' },
      { setting: 'useCompanyLogo', oldValue: true, newValue: false },
    ]);
    expect(diffSettings(next, structuredClone(next))).toEqual([]);
  });
});

describe('readStoredSettings', () => {
  it('completes settings saved before a setting existed with its default', () => {
    const { showPlanOnDashboard: _new, ...old } = { ...defaultCustomerPageSettings, smsSecurityCode: true };
    const { headingText: _newColour, ...oldColours } = defaultCustomerPageSettings.colors;
    const settings = readStoredSettings(JSON.stringify({ ...old, colors: oldColours, retiredSetting: 1 }));
    expect(settings).toEqual({ ...defaultCustomerPageSettings, smsSecurityCode: true });
  });

  it('fails loudly (not as a 400, not with defaults) on stored settings that no longer pass', () => {
    const broken = JSON.stringify({ ...defaultCustomerPageSettings, showBudget: 'sometimes' });
    expect(() => readStoredSettings(broken)).toThrow(/stored customer-page settings are invalid/);
    try {
      readStoredSettings(broken);
    } catch (error) {
      expect((error as Error).name).toBe('Error');
    }
  });
});
