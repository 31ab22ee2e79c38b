import { describe, expect, it } from 'vitest';
import { addDays, dashboardColumn, osloDate } from './oslo-date.ts';

const at = (iso: string) => osloDate(new Date(iso));

describe('osloDate: the calendar date in Europe/Oslo', () => {
  it('turns at 23:00Z in winter (CET, UTC+1)', () => {
    expect(at('2026-11-27T22:59:59.999Z')).toBe('2026-11-27');
    expect(at('2026-11-27T23:00:00.000Z')).toBe('2026-11-28');
    expect(at('2026-01-01T22:59:59Z')).toBe('2026-01-01');
    expect(at('2026-12-31T23:00:00Z')).toBe('2027-01-01');
  });

  it('turns at 22:00Z in summer (CEST, UTC+2)', () => {
    expect(at('2026-07-15T21:59:59.999Z')).toBe('2026-07-15');
    expect(at('2026-07-15T22:00:00.000Z')).toBe('2026-07-16');
  });

  it('is right across the spring change (2026-03-29: 02:00 CET → 03:00 CEST at 01:00Z)', () => {
    // The evening before the change is still winter time.
    expect(at('2026-03-28T22:59:59Z')).toBe('2026-03-28');
    expect(at('2026-03-28T23:00:00Z')).toBe('2026-03-29');
    // Around the change itself the date stays the 29th.
    expect(at('2026-03-29T00:59:59Z')).toBe('2026-03-29');
    expect(at('2026-03-29T01:00:00Z')).toBe('2026-03-29');
    // The evening of the change day is summer time: the day ends at 22:00Z (a 23-hour day).
    expect(at('2026-03-29T21:59:59Z')).toBe('2026-03-29');
    expect(at('2026-03-29T22:00:00Z')).toBe('2026-03-30');
  });

  it('is right across the autumn change (2026-10-25: 03:00 CEST → 02:00 CET at 01:00Z)', () => {
    // The evening before the change is still summer time.
    expect(at('2026-10-24T21:59:59Z')).toBe('2026-10-24');
    expect(at('2026-10-24T22:00:00Z')).toBe('2026-10-25');
    expect(at('2026-10-25T00:59:59Z')).toBe('2026-10-25');
    expect(at('2026-10-25T01:00:00Z')).toBe('2026-10-25');
    // The evening of the change day is winter time: the day ends at 23:00Z (a 25-hour day).
    expect(at('2026-10-25T22:00:00Z')).toBe('2026-10-25');
    expect(at('2026-10-25T22:59:59Z')).toBe('2026-10-25');
    expect(at('2026-10-25T23:00:00Z')).toBe('2026-10-26');
  });

  it('gives a zero-padded YYYY-MM-DD', () => {
    expect(at('2026-02-03T12:00:00Z')).toMatch(/^2026-02-03$/);
  });
});

describe('addDays', () => {
  it('moves across month, year and leap-day boundaries', () => {
    expect(addDays('2026-11-27', 1)).toBe('2026-11-28');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-27', 0)).toBe('2026-11-27');
  });

  it('counts calendar days, not 24-hour spans, across the DST changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
  });

  it('refuses something that is not a date', () => {
    expect(() => addDays('27.11.2026', 1)).toThrow(RangeError);
  });
});

describe('dashboardColumn (spec §11)', () => {
  const today = '2026-11-27';

  it('puts due today, overdue and undated items in Today', () => {
    expect(dashboardColumn('2026-11-27', today)).toBe('today');
    expect(dashboardColumn('2026-11-20', today)).toBe('today');
    expect(dashboardColumn('2025-12-31', today)).toBe('today');
    expect(dashboardColumn(null, today)).toBe('today');
  });

  it('puts due tomorrow in Tomorrow and anything after in Later', () => {
    expect(dashboardColumn('2026-11-28', today)).toBe('tomorrow');
    expect(dashboardColumn('2026-11-29', today)).toBe('later');
    expect(dashboardColumn('2027-01-01', today)).toBe('later');
  });

  it('follows the Oslo date of the moment, not the UTC date', () => {
    // 22:59 UTC on a winter day is still the 27th in Oslo; one minute later it is the 28th.
    const before = osloDate(new Date('2026-11-27T22:59:00Z'));
    const after = osloDate(new Date('2026-11-27T23:00:00Z'));
    expect(dashboardColumn('2026-11-28', before)).toBe('tomorrow');
    expect(dashboardColumn('2026-11-28', after)).toBe('today');
    expect(dashboardColumn('2026-11-29', before)).toBe('later');
    expect(dashboardColumn('2026-11-29', after)).toBe('tomorrow');
  });

  it('crosses the month and year ends', () => {
    expect(dashboardColumn('2027-01-01', '2026-12-31')).toBe('tomorrow');
    expect(dashboardColumn('2026-12-01', '2026-11-30')).toBe('tomorrow');
  });
});
