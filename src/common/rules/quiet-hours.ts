/**
 * Quiet hours for customer notices (issue 19, item 5): a company's window of whole Europe/Oslo wall
 * hours in which e-mails and SMS to customers wait in the outbox until the window ends. Pure: no
 * clock is read here; callers pass the instant.
 */

/** A whole hour of the Oslo wall clock, 0–23. */
export type QuietHour = number;

/** The quiet hours of a company; both null: none. `from` is the first quiet hour, `to` the first loud one. */
export interface QuietHours {
  quietHoursFrom: QuietHour | null;
  quietHoursTo: QuietHour | null;
}

/** The product default of a new company: 21:00 to 08:00 Oslo time. */
export const defaultQuietHours: QuietHours = { quietHoursFrom: 21, quietHoursTo: 8 };

/** No quiet hours (the test factory and the demo company: their notices go out at once). */
export const noQuietHours: QuietHours = { quietHoursFrom: null, quietHoursTo: null };

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

interface WallHour {
  year: number;
  month: number;
  day: number;
  hour: number;
}

/** The Oslo wall clock's date and hour at an instant. */
function osloWallHour(instant: Date): WallHour {
  const parts = osloParts.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour') };
}

/**
 * The instant of an Oslo wall hour on a date. Oslo is UTC+1 in winter and UTC+2 in summer, so both
 * offsets are tried and the one whose instant reads back as that hour is taken (the earlier one in
 * the doubled hour of an autumn switch); an hour the spring switch skips becomes the instant the clock
 * jumps over it.
 */
export function osloInstant(year: number, month: number, day: number, hour: number): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  for (const offset of [2, 1]) {
    const candidate = new Date(wall - offset * 3_600_000);
    const back = osloWallHour(candidate);
    if (back.year === year && back.month === month && back.day === day && back.hour === hour)
      return candidate;
  }
  return new Date(wall - 3_600_000);
}

/** Whether a window is set: both hours given and different (equal hours are refused by the settings). */
export function hasQuietHours(hours: QuietHours): hours is { quietHoursFrom: number; quietHoursTo: number } {
  return (
    hours.quietHoursFrom !== null &&
    hours.quietHoursTo !== null &&
    hours.quietHoursFrom !== hours.quietHoursTo
  );
}

/**
 * When the quiet hours around `now` end, or null when `now` is outside them (or there are none). The
 * window runs from `from`:00 up to, not including, `to`:00 Oslo time; it crosses midnight when `from`
 * is later than `to` (21 → 8), else it lies inside one day (12 → 14).
 */
export function quietHoursEnd(hours: QuietHours, now: Date): Date | null {
  if (!hasQuietHours(hours)) return null;
  const { quietHoursFrom: from, quietHoursTo: to } = hours;
  const wall = osloWallHour(now);
  const crossesMidnight = from > to;
  const quiet = crossesMidnight ? wall.hour >= from || wall.hour < to : wall.hour >= from && wall.hour < to;
  if (!quiet) return null;
  // The end is today at `to`, or tomorrow when the window crosses midnight and we are before it.
  const endDay = new Date(
    Date.UTC(wall.year, wall.month - 1, wall.day + (crossesMidnight && wall.hour >= from ? 1 : 0)),
  );
  return osloInstant(endDay.getUTCFullYear(), endDay.getUTCMonth() + 1, endDay.getUTCDate(), to);
}
