import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createCaseSchema } from '../../common/contracts/case-schemas.ts';
import { customerPageSettingsSchema } from '../../common/contracts/customer-page-settings.ts';
import { createUserSchema } from '../../common/contracts/schemas.ts';
import { fieldFormats } from '../../common/rules/api-errors.ts';
import { defaultCustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { fieldIssuesOf, validationError, withCode } from './field-issues.ts';

/** The field issues of an input the schema refuses, by path. */
function issuesOf(schema: z.ZodType, input: Record<string, unknown>) {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('the input was accepted');
  return Object.fromEntries(fieldIssuesOf(parsed.error.issues, 'body', input).map((f) => [f.path, f]));
}

const goodCase = {
  claimNumber: 'SK-1',
  address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
  customer: { name: 'Ola Nordmann' },
};

describe('field issues', () => {
  it('give the schemas’ formats by name, from the texts the schemas use', () => {
    const issues = issuesOf(createCaseSchema, {
      ...goodCase,
      address: { street: 'Gate\n1', postalCode: 'abcd', city: 'Oslo' },
      customer: { name: 'Ola', email: 'nope', phone: 'x' },
    });
    expect(issues['body.address.street']).toMatchObject({ code: 'invalid_format', format: 'single_line' });
    expect(issues['body.address.postalCode']).toMatchObject({
      code: 'invalid_format',
      format: 'postal_code',
    });
    expect(issues['body.customer.email']).toMatchObject({ code: 'invalid_format', format: 'email' });
    expect(issues['body.customer.phone']).toMatchObject({ code: 'invalid_format', format: 'phone' });

    const user = issuesOf(createUserSchema, {
      name: 'Kari',
      email: 'k@example.test',
      level: 9,
      password: 'short',
    });
    expect(user['body.level']).toMatchObject({ code: 'invalid_format', format: 'level' });
    expect(user['body.password']).toMatchObject({ code: 'too_small', minimum: 10, origin: 'string' });

    const settings = issuesOf(customerPageSettingsSchema, {
      ...defaultCustomerPageSettings,
      visibleDaysAfterClose: 1.5,
      colors: { ...defaultCustomerPageSettings.colors, menuText: 'red' },
    });
    expect(settings['body.visibleDaysAfterClose']).toMatchObject({
      code: 'invalid_format',
      format: 'whole_days',
    });
    expect(settings['body.colors.menuText']).toMatchObject({ code: 'invalid_format', format: 'color' });
  });

  it('call a missing or empty value required, and name the unknown fields', () => {
    const { claimNumber: _claim, ...rest } = goodCase;
    const missing = issuesOf(createCaseSchema, {
      ...rest,
      address: { ...goodCase.address, city: '' },
      a: 1,
      b: 2,
    });
    expect(missing['body.claimNumber']).toMatchObject({ code: 'required' });
    expect(missing['body.address.city']).toMatchObject({ code: 'required' });
    expect(missing['body']).toMatchObject({ code: 'unknown_field', values: ['a', 'b'] });
    const { showNews: _news, ...noNews } = defaultCustomerPageSettings;
    expect(issuesOf(customerPageSettingsSchema, noNews)['body.showNews']).toMatchObject({ code: 'required' });
    // A value of the wrong type is not "required".
    const wrongType = issuesOf(createCaseSchema, { ...goodCase, claimNumber: 42 });
    expect(wrongType['body.claimNumber']).toMatchObject({ code: 'invalid_type' });
  });

  it('give every hand-made issue a code, from its text when it is one we know', () => {
    expect(withCode({ path: 'body.file', message: 'is required' }).code).toBe('required');
    expect(withCode({ path: 'body.x', message: 'is not a known field' }).code).toBe('unknown_field');
    expect(withCode({ path: 'body.phone', message: fieldFormats.phone })).toMatchObject({
      code: 'invalid_format',
      format: 'phone',
    });
    expect(withCode({ path: 'body.x', message: 'is odd' }).code).toBe('invalid');
    const error = validationError([{ path: 'body.kind', message: 'is odd' }]);
    expect(error.details?.fields).toEqual([{ path: 'body.kind', message: 'is odd', code: 'invalid' }]);
  });
});
