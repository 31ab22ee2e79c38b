import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { formatNorwegianPhone } from './format.ts';

describe('phone numbers without a phone library (customer page)', () => {
  it("formats Norwegian numbers as libphonenumber's national format does", () => {
    for (const number of ['+4791234567', '+4741234567', '+4722123456', '+4755123456']) {
      expect(formatNorwegianPhone(number)).toBe(parsePhoneNumberFromString(number)?.formatNational());
    }
  });

  it('leaves a foreign number in E.164', () => {
    expect(formatNorwegianPhone('+46701234567')).toBe('+46701234567');
  });
});
