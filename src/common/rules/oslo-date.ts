/**
 * Calendar dates in Europe/Oslo, the time zone of every 'YYYY-MM-DD' column (due dates, deadlines,
 * schedules). Pure functions: no clock is read here; callers pass the instant (osloDate remembers its answers
 * by minute, which cannot change within a minute).
 */

/** A calendar date 'YYYY-MM-DD'. */
export type CalendarDate = string;

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in Oslo at an instant (CET in winter, CEST in summer). */
export function osloDate(instant: Date): CalendarDate {
  // Oslo's offset from UTC is whole hours, so every instant of one UTC minute has the same date
  // there: answers are remembered by minute (Intl's formatting was ~2 % of a customer-page read,
  // which asks for now and for the closing time of its case).
  const minute = Math.floor(instant.getTime() / 60_000);
  const known = datesByMinute.get(minute);
  if (known !== undefined) return known;
  const parts = osloParts.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  if (datesByMinute.size >= 4096) datesByMinute.clear();
  datesByMinute.set(minute, date);
  return date;
}
const datesByMinute = new Map<number, CalendarDate>();

/** The date n days after (or, when n is negative, before) a calendar date. */
export function addDays(date: CalendarDate, n: number): CalendarDate {
  const day = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new RangeError(`not a date: ${date}`);
  day.setUTCDate(day.getUTCDate() + n);
  return day.toISOString().slice(0, 10);
}

export const dashboardColumns = ['today', 'tomorrow', 'later'] as const;
export type DashboardColumn = (typeof dashboardColumns)[number];

/**
 * The dashboard column of an item due on `dueOn`, seen on `today` (spec §11 Decision): due today or
 * overdue → Today; no due date (unread customer messages, partner uploads) → Today; due tomorrow →
 * Tomorrow; anything later → Later. Dates compare as text because they are fixed-width ISO dates.
 */
export function dashboardColumn(dueOn: CalendarDate | null, today: CalendarDate): DashboardColumn {
  if (dueOn === null || dueOn <= today) return 'today';
  return dueOn === addDays(today, 1) ? 'tomorrow' : 'later';
}
