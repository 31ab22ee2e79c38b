import { describe, expect, it } from 'vitest';
import { defaultCustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { browserHeaders, shared, signedInUser } from '../../../test/support/factory.ts';
import { useTestApp } from '../../../test/support/test-app.ts';

// Issue 16: a refused request says why in stable codes a client can translate — each field with its
// issue code (and the limit or format), a conflict with its reason — beside the English message.

const t = useTestApp();
const unique = () => Math.random().toString(36).slice(2, 10);

const caseBody = (overrides: Record<string, unknown> = {}) => ({
  claimNumber: `SK-${unique()}`,
  address: { street: 'Tollbugata 22', postalCode: '0152', city: 'Oslo' },
  customer: { name: 'Ola Nordmann', email: 'ola@example.test' },
  ...overrides,
});

const send = (method: 'POST' | 'PUT', url: string, cookie: string, payload: object) =>
  t.app.inject({ method, url, headers: browserHeaders(cookie), payload });

describe('error answers carry codes a client translates', () => {
  const handler = shared(() => signedInUser(t.app, t.db, { level: 6 }));

  it('names each refused field of a new case with its issue code, limit and format', async () => {
    const user = await handler();
    const response = await send(
      'POST',
      '/api/cases',
      user.cookie,
      caseBody({
        claimNumber: '',
        address: { street: 'Tollbugata 22', postalCode: '01', city: 'Oslo' },
        customer: { name: 'Ola Nordmann', email: 'not an address', phone: '12' },
        description: 'x'.repeat(5001),
        colour: 'red',
      }),
    );
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('validation_failed');
    // The English text stays for API users; the codes are added beside it.
    expect(error.message).toContain('body.claimNumber');
    const byPath = Object.fromEntries(
      (error.fields as Array<{ path: string }>).map((field) => [field.path, field]),
    );
    expect(byPath['body.claimNumber']).toEqual({
      path: 'body.claimNumber',
      message: 'is required',
      code: 'required',
    });
    expect(byPath['body.address.postalCode']).toMatchObject({
      code: 'invalid_format',
      format: 'postal_code',
    });
    expect(byPath['body.customer.email']).toMatchObject({ code: 'invalid_format', format: 'email' });
    expect(byPath['body.customer.phone']).toMatchObject({ code: 'invalid_format', format: 'phone' });
    expect(byPath['body.description']).toMatchObject({ code: 'too_big', maximum: 5000, origin: 'string' });
    // An unknown field is named on the body, as always, with its name in `values`.
    expect(byPath['body']).toMatchObject({ code: 'unknown_field', values: ['colour'] });
  });

  it('tells a missing field from a wrong one, and gives a number its minimum', async () => {
    const user = await handler();
    const { address: _address, ...withoutAddress } = caseBody();
    const missing = await send('POST', '/api/cases', user.cookie, withoutAddress);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toEqual([
      { path: 'body.address', message: expect.any(String), code: 'required' },
    ]);

    const settings = await send('PUT', '/api/admin/customer-page', user.cookie, {
      ...defaultCustomerPageSettings,
      visibleDaysAfterClose: -1,
    });
    expect(settings.statusCode).toBe(400);
    expect(settings.json().error.fields).toEqual([
      {
        path: 'body.visibleDaysAfterClose',
        message: 'must be 0 or more',
        code: 'too_small',
        minimum: 0,
        origin: 'number',
      },
    ]);
  });

  it('gives a repeated claim number the reason claim_number_taken with the number', async () => {
    const user = await handler();
    const claimNumber = `SK-${unique()}`;
    expect((await send('POST', '/api/cases', user.cookie, caseBody({ claimNumber }))).statusCode).toBe(201);
    const repeat = await send('POST', '/api/cases', user.cookie, caseBody({ claimNumber }));
    expect(repeat.statusCode).toBe(409);
    expect(repeat.json()).toEqual({
      error: {
        code: 'conflict',
        message: `A case with claim number ${claimNumber} already exists.`,
        reason: 'claim_number_taken',
        params: { claimNumber },
      },
    });
  });

  it('names an id that is not in the company as an unknown reference', async () => {
    const user = await handler();
    const stranger = await signedInUser(t.app, t.db, { level: 1 });
    const response = await send('POST', '/api/cases', user.cookie, caseBody({ caseHandlerId: stranger.id }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toEqual([
      { path: 'body.caseHandlerId', message: expect.any(String), code: 'unknown_reference' },
    ]);
  });
});
