/**
 * Dates, times, amounts and phone numbers as Norwegians read them (nb-NO), in Europe/Oslo whatever the
 * browser's own time zone is. Only Intl: both bundles use this, and the customer page carries no
 * phone-number library (see formatNorwegianPhone).
 */

const TIME_ZONE = 'Europe/Oslo';
const LOCALE = 'nb-NO';

const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  dateStyle: 'short',
  timeStyle: 'short',
});
const dayFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const calendarDateFormat = new Intl.DateTimeFormat(LOCALE, {
  timeZone: 'UTC',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const currencyFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'NOK' });

/** An instant (ISO 8601) as "27.11.2026, 14:30" in Oslo time. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** The Oslo date of an instant (ISO 8601) as "27.11.2026". */
export function formatDay(iso: string): string {
  return dayFormat.format(new Date(iso));
}

/** A calendar date 'YYYY-MM-DD' as "27.11.2026". */
export function formatDate(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(day.getTime()) ? date : calendarDateFormat.format(day);
}

/** An amount in øre as "1 234,50 kr". */
export function formatAmount(ore: number): string {
  return currencyFormat.format(ore / 100);
}

/** A file size as "12 kB" or "3,4 MB". */
export function formatBytes(bytes: number): string {
  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(value);
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${number(bytes / 1000, 0)} kB`;
  return `${number(bytes / 1_000_000, 1)} MB`;
}

/** A stored E.164 number as people read it ("967 89 012"): common/rules/phone-format.ts. */
export { formatPhoneNumber as formatNorwegianPhone } from '../../common/rules/phone-format.ts';
