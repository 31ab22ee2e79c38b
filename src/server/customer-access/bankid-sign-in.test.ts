import { describe, expect, it } from 'vitest';
import { identityOf } from './bankid-sign-in.ts';

describe('the identity read from verified BankID claims', () => {
  it('takes name and birth date, and nothing of the national identity number', () => {
    const identity = identityOf({
      sub: 'abc',
      name: ' Kari Nordmann ',
      birthdate: '1980-02-01',
      nin: '01028012345',
      'https://idura.app/ssn': '01028012345',
    });
    expect(identity).toEqual({ name: 'Kari Nordmann', birthDate: '1980-02-01' });
    expect(JSON.stringify(identity)).not.toContain('01028012345');
  });

  it('joins given and family name when there is no name, and drops a birth date not written YYYY-MM-DD', () => {
    expect(identityOf({ given_name: 'Ola', family_name: 'Nordmann', birthdate: '01.02.1980' })).toEqual({
      name: 'Ola Nordmann',
      birthDate: null,
    });
  });

  it('refuses a token that names nobody', () => {
    expect(identityOf({ sub: 'abc', birthdate: '1980-02-01' })).toBeNull();
    expect(identityOf({ name: 42 })).toBeNull();
  });
});
