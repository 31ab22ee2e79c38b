/**
 * Dates, times and amounts as Norwegians read them (nb-NO), in Europe/Oslo whatever the browser's
 * own time zone is, so every member of staff sees the same meeting time.
 */

export { formatAmount, formatBytes, formatDate, formatDateTime, formatDay } from '../shared/format.ts';

const TIME_ZONE = 'Europe/Oslo';

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A duration in seconds as "3 min 20 s" (or "45 s"), as the customer's news says it. */
export { formatCallDuration as formatDuration } from '../../common/rules/calls.ts';

/** The wall-clock fields of an instant in Oslo. */
function osloFields(ms: number) {
  const parts = osloParts.formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Oslo's offset from UTC in milliseconds at an instant (1 h in winter, 2 h in summer). */
function osloOffset(ms: number): number {
  const f = osloFields(ms);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The value of a `datetime-local` input ('YYYY-MM-DDTHH:mm', read as Oslo time) as an ISO instant,
 * or null when it is not a valid value.
 */
export function osloLocalToIso(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the wall time read as UTC is at most one hour off near a change; a second pass fixes it.
  let instant = wall - osloOffset(wall);
  instant = wall - osloOffset(instant);
  return new Date(instant).toISOString();
}

/** An ISO instant as the value of a `datetime-local` input in Oslo time. */
export function isoToOsloLocal(iso: string): string {
  const f = osloFields(new Date(iso).getTime());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
}

/** Kroner as typed by a Norwegian ("12 500,50", "12500.5", "300") in øre, or null when not an amount. */
export function parseKroner(input: string): number | null {
  const compact = input
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/kr$/i, '')
    .replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(compact)) return null;
  const [whole = '0', fraction = ''] = compact.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Øre as an editable kroner value ("12500" or "12500,50"). */
export function kronerInput(ore: number): string {
  const whole = Math.floor(ore / 100);
  const rest = ore % 100;
  return rest === 0 ? String(whole) : `${whole},${String(rest).padStart(2, '0')}`;
}
