import { describe, expect, it } from 'vitest';
import { formatPhoneNumber } from './phone-format.ts';

describe('phone numbers as Norwegians write them', () => {
  it('writes mobile and special numbers in threes and twos, other Norwegian numbers in pairs', () => {
    expect(formatPhoneNumber('+4796789012')).toBe('967 89 012');
    expect(formatPhoneNumber('+4741234567')).toBe('412 34 567');
    expect(formatPhoneNumber('+4780012345')).toBe('800 12 345');
    expect(formatPhoneNumber('+4722123456')).toBe('22 12 34 56');
    expect(formatPhoneNumber('+4755123456')).toBe('55 12 34 56');
  });

  it('sets the country code of a foreign number apart and leaves anything else as it is', () => {
    expect(formatPhoneNumber('+46701234567')).toBe('+46 701234567');
    expect(formatPhoneNumber('+14155552671')).toBe('+1 4155552671');
    expect(formatPhoneNumber('+3545511234')).toBe('+354 5511234');
    expect(formatPhoneNumber('+4702000')).toBe('+4702000');
    expect(formatPhoneNumber('not a number')).toBe('not a number');
  });
});
