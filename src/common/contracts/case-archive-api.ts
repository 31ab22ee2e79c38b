import { z } from 'zod';
import { languages } from '../rules/languages.ts';
import { isoDate } from './date-formats.ts';

// The case archive for the customer (issue 19, item 3): whether the session's case has an archive to
// download (once it is closed) and until which day the page — and so the download — stays open.

/** `available` once the case is closed; `lastDay` the page's last open day (Europe/Oslo). */
export const caseArchiveView = z.object({
  state: z.enum(['not_closed', 'available']),
  lastDay: isoDate.nullable(),
});
export type CaseArchiveView = z.infer<typeof caseArchiveView>;

/** The archive's language (its file names and texts): the page's language. */
export const caseArchiveQuery = z.strictObject({ lang: z.enum(languages).default('nb') });
