import { z } from 'zod';

// The date strings of the API, documented with their OpenAPI `format` so a generated client can type
// them (a Date, a LocalDate). The format is metadata only: what is accepted and sent is unchanged.

/** An ISO 8601 timestamp the server writes (`2026-12-06T19:47:25.000Z`), documented as `format: date-time`. */
export const isoDateTime = z.string().meta({ format: 'date-time' });

/** A calendar date `YYYY-MM-DD` the server writes (Europe/Oslo where it matters), documented as `format: date`. */
export const isoDate = z.string().meta({ format: 'date' });
