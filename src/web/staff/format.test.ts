import { describe, expect, it } from 'vitest';
import {
  formatAmount,
  formatDate,
  formatDateTime,
  formatBytes,
  formatDuration,
  isoToOsloLocal,
  kronerInput,
  osloLocalToIso,
  parseKroner,
} from './format.ts';
import { formatPhone } from './phone.tsx';

describe('nb-NO formatting in Oslo time', () => {
  it('formats dates, times and amounts the Norwegian way', () => {
    expect(formatDate('2026-11-27')).toBe('27.11.2026');
    expect(formatDateTime('2026-11-27T13:30:00.000Z')).toBe('27.11.2026, 14:30');
    expect(formatAmount(123450).replace(/\s/g, ' ')).toBe('1 234,50 kr');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(120)).toBe('2 min');
  });

  it('reads a datetime-local value as Oslo time in winter and summer', () => {
    expect(osloLocalToIso('2026-01-15T09:00')).toBe('2026-01-15T08:00:00.000Z');
    expect(osloLocalToIso('2026-07-15T09:00')).toBe('2026-07-15T07:00:00.000Z');
    expect(osloLocalToIso('nonsense')).toBeNull();
  });

  // The repeated hour when summer time ends is ambiguous on a wall clock; any other instant round-trips.
  it('round-trips an instant through the input value', () => {
    for (const iso of ['2026-03-29T10:15:00.000Z', '2026-10-25T02:00:00.000Z', '2026-12-31T23:00:00.000Z']) {
      expect(osloLocalToIso(isoToOsloLocal(iso))).toBe(iso);
    }
  });
});

describe('amounts typed in kroner', () => {
  it('reads Norwegian notation into øre and refuses anything else', () => {
    expect(parseKroner('12 500,50')).toBe(1250050);
    expect(parseKroner('12500.5')).toBe(1250050);
    expect(parseKroner('300')).toBe(30000);
    expect(parseKroner('300 kr')).toBe(30000);
    for (const bad of ['', '-5', '1,234', 'abc', '1.2.3']) expect(parseKroner(bad), bad).toBeNull();
  });

  it('writes øre back as an editable value and sizes as kB/MB', () => {
    expect(kronerInput(1250050)).toBe('12500,50');
    expect(kronerInput(30000)).toBe('300');
    expect(kronerInput(5)).toBe('0,05');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_345)).toBe('12 kB');
    expect(formatBytes(3_400_000)).toBe('3,4 MB');
  });
});

describe('phone numbers', () => {
  it('shows Norwegian numbers nationally and others with their country code', () => {
    expect(formatPhone('+4791234567')).toBe('912 34 567');
    expect(formatPhone('+4722000100')).toBe('22 00 01 00');
    expect(formatPhone('+46701234567')).toBe('+46 701234567');
    expect(formatPhone('not a number')).toBe('not a number');
  });
});
