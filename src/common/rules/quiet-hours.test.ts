import { describe, expect, it } from 'vitest';
import { defaultQuietHours, noQuietHours, osloInstant, quietHoursEnd } from './quiet-hours.ts';

const end = (now: string, hours = defaultQuietHours) =>
  quietHoursEnd(hours, new Date(now))?.toISOString() ?? null;

describe('quietHoursEnd (21 → 8 Oslo, across midnight)', () => {
  it('holds an evening notice in winter until 08:00 CET (07:00Z) the next morning', () => {
    expect(end('2027-01-14T21:30:00Z')).toBe('2027-01-15T07:00:00.000Z'); // 22:30 Oslo
  });
  it('holds after midnight until 08:00 the same day', () => {
    expect(end('2027-01-15T01:00:00Z')).toBe('2027-01-15T07:00:00.000Z'); // 02:00 Oslo
    expect(end('2027-01-15T06:59:59Z')).toBe('2027-01-15T07:00:00.000Z'); // 07:59:59 Oslo
  });
  it('starts at 21:00 sharp and ends at 08:00 sharp', () => {
    expect(end('2027-01-14T19:59:59Z')).toBeNull(); // 20:59:59 Oslo
    expect(end('2027-01-14T20:00:00Z')).toBe('2027-01-15T07:00:00.000Z'); // 21:00 Oslo
    expect(end('2027-01-15T07:00:00Z')).toBeNull(); // 08:00 Oslo
  });
  it('uses summer time in summer (08:00 CEST = 06:00Z)', () => {
    expect(end('2027-07-01T20:30:00Z')).toBe('2027-07-02T06:00:00.000Z'); // 22:30 Oslo
    expect(end('2027-07-02T05:59:00Z')).toBe('2027-07-02T06:00:00.000Z'); // 07:59 Oslo
    expect(end('2027-07-02T06:00:00Z')).toBeNull();
  });
  it('ends at 08:00 summer time on the spring-forward morning (28 March 2027: 06:00Z)', () => {
    expect(end('2027-03-27T21:30:00Z')).toBe('2027-03-28T06:00:00.000Z'); // 22:30 CET the evening before
    expect(end('2027-03-28T00:30:00Z')).toBe('2027-03-28T06:00:00.000Z'); // 01:30 CET
    expect(end('2027-03-28T01:30:00Z')).toBe('2027-03-28T06:00:00.000Z'); // 03:30 CEST
  });
  it('ends at 08:00 winter time on the autumn-back morning (31 October 2027: 07:00Z)', () => {
    expect(end('2027-10-30T20:30:00Z')).toBe('2027-10-31T07:00:00.000Z'); // 22:30 CEST the evening before
    expect(end('2027-10-31T00:30:00Z')).toBe('2027-10-31T07:00:00.000Z'); // 02:30 CEST
    expect(end('2027-10-31T01:30:00Z')).toBe('2027-10-31T07:00:00.000Z'); // 02:30 CET (the hour again)
  });
});

describe('quietHoursEnd (other windows)', () => {
  const noon = { quietHoursFrom: 12, quietHoursTo: 14 };
  it('holds inside a window within one day, and not outside it', () => {
    expect(end('2027-01-14T10:59:00Z', noon)).toBeNull(); // 11:59 Oslo
    expect(end('2027-01-14T11:00:00Z', noon)).toBe('2027-01-14T13:00:00.000Z'); // 12:00 → 14:00 Oslo
    expect(end('2027-01-14T12:59:00Z', noon)).toBe('2027-01-14T13:00:00.000Z');
    expect(end('2027-01-14T13:00:00Z', noon)).toBeNull(); // 14:00 Oslo
    expect(end('2027-01-14T21:30:00Z', noon)).toBeNull(); // 22:30 Oslo: loud for this company
  });
  it('holds nothing without quiet hours or with equal hours', () => {
    expect(end('2027-01-14T21:30:00Z', noQuietHours)).toBeNull();
    expect(end('2027-01-14T21:30:00Z', { quietHoursFrom: 21, quietHoursTo: null })).toBeNull();
    expect(end('2027-01-14T21:30:00Z', { quietHoursFrom: 22, quietHoursTo: 22 })).toBeNull();
  });
  it('ends a window whose end hour the spring switch skips when the clock jumps (03:00 CEST)', () => {
    expect(end('2027-03-27T22:30:00Z', { quietHoursFrom: 22, quietHoursTo: 2 })).toBe(
      '2027-03-28T01:00:00.000Z',
    );
  });
  it('takes the first of the doubled autumn hour', () => {
    expect(osloInstant(2027, 10, 31, 2).toISOString()).toBe('2027-10-31T00:00:00.000Z');
    expect(osloInstant(2027, 10, 31, 3).toISOString()).toBe('2027-10-31T02:00:00.000Z');
    expect(osloInstant(2027, 1, 1, 0).toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });
});
