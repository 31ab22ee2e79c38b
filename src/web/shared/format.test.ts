import { describe, expect, it } from 'vitest';
import { formatNorwegianPhone } from './format.ts';

describe('phone numbers without a phone library (customer page)', () => {
  it('writes numbers as the staff app and the server texts do (common/rules/phone-format.ts)', () => {
    expect(formatNorwegianPhone('+4791234567')).toBe('912 34 567');
    expect(formatNorwegianPhone('+4722123456')).toBe('22 12 34 56');
    expect(formatNorwegianPhone('+46701234567')).toBe('+46 701234567');
  });
});
