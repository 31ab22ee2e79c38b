import { describe, expect, it } from 'vitest';
import { defaultCustomerPageSettings } from '../../../common/rules/customer-page-settings.ts';
import type { CustomerPageConfigView } from '../../../common/contracts/customer-page-settings.ts';
import { ApiError } from '../api.ts';
import { bodyOf, fieldErrorsOf, formOf, isDirty, previewSettingsOf } from './settings-form.ts';

const view: CustomerPageConfigView = {
  ...defaultCustomerPageSettings,
  logo: {
    useCompanyLogo: true,
    hasCustomLogo: false,
    hasCompanyLogo: false,
    logoUrl: null,
    logoUrl2x: null,
    custom: null,
    company: null,
  },
  portalType: 'insurance',
  updatedAt: null,
  quietHoursFrom: 21,
  quietHoursTo: 8,
};

describe('the configuration form', () => {
  it('sends every setting, numbers as numbers and colours in lower case', () => {
    const form = { ...formOf(view), visibleDaysAfterClose: '45' };
    form.colors = { ...form.colors, menuText: '#ABCDEF' };
    const body = bodyOf(form);
    expect(Object.keys(body).sort()).toEqual(
      [...Object.keys(defaultCustomerPageSettings), 'quietHoursFrom', 'quietHoursTo'].sort(),
    );
    expect(body.visibleDaysAfterClose).toBe(45);
    expect((body.colors as Record<string, string>).menuText).toBe('#abcdef');
    expect(isDirty(form, view)).toBe(true);
    expect(isDirty(formOf(view), view)).toBe(false);
  });

  it('sends what is not a number as typed, so the server names the field', () => {
    expect(bodyOf({ ...formOf(view), visibleDaysAfterClose: 'tretti' }).visibleDaysAfterClose).toBe('tretti');
  });

  it('previews the saved value of a colour or day count that is not valid yet', () => {
    const form = {
      ...formOf(view),
      visibleDaysAfterClose: '-3',
      showCaseHandler: false,
      showCaseHandlerPhone: true,
    };
    form.colors = { ...form.colors, headingText: '#12', menuBackground: '#7A1F5C' };
    const preview = previewSettingsOf(form, defaultCustomerPageSettings);
    expect(preview.visibleDaysAfterClose).toBe(30);
    expect(preview.colors.headingText).toBe(defaultCustomerPageSettings.colors.headingText);
    expect(preview.colors.menuBackground).toBe('#7a1f5c');
    expect(preview.showCaseHandlerPhone).toBe(false);
  });

  it('puts the server’s field errors beside their fields', () => {
    const error = new ApiError(400, 'validation_failed', 'The request is not valid', [
      { path: 'body.visibleDaysAfterClose', message: 'must be 0 or more' },
      { path: 'body.colors.menuText', message: 'must be a colour written #rrggbb' },
      { path: 'body.newsFilter.2', message: '"x" is not a news kind' },
      { path: 'body.extra', message: 'Unrecognized key' },
    ]);
    expect(fieldErrorsOf(error, (field) => field.message)).toEqual({
      visibleDaysAfterClose: 'must be 0 or more',
      'colors.menuText': 'must be a colour written #rrggbb',
      newsFilter: '"x" is not a news kind',
      form: 'Unrecognized key',
    });
    expect(fieldErrorsOf(new Error('network'), (field) => field.message)).toEqual({});
  });
});
