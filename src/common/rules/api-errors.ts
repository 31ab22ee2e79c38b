// The stable words of an API error that the web translates (pure, zod-free; both bundles and the
// server use it). The error codes themselves live in the server's catalogue (server/errors.ts); what
// is here refines them: why a field was refused, in what format it was expected, and for some
// conflicts the reason. A client shows these in its reader's language, never the English `message`.

/**
 * Why a field of a 400 `validation_failed` was refused. `too_small` / `too_big` come with `minimum` /
 * `maximum` and the `origin` (a text's characters, a number, a list's items); `invalid_format` with a
 * `format`; `invalid_value` with the allowed `values` when they are few; `unknown_field` on the
 * object with the names it does not take in `values`; `unknown_reference` for an
 * id that is not in the company, `not_in_office` for a person outside the chosen office,
 * `before_start` for an end date before the start date.
 */
export const fieldIssueCodes = [
  'required',
  'too_small',
  'too_big',
  'invalid_format',
  'invalid_value',
  'invalid_type',
  'unknown_field',
  'unknown_reference',
  'not_in_office',
  'before_start',
  'invalid',
] as const;
export type FieldIssueCode = (typeof fieldIssueCodes)[number];

/** What a `too_small` / `too_big` limit counts. */
export type FieldIssueOrigin = 'string' | 'number' | 'array';

/**
 * The formats a field is checked for, each with the English text its schema gives (the schemas use
 * these texts, so the server can name the format of a refused field from the issue).
 */
export const fieldFormats = {
  email: 'must be an e-mail address',
  phone: 'must be a valid phone number, e.g. +4791234567',
  postal_code: 'must be a Norwegian postal code of 4 digits',
  org_number: 'must be a Norwegian organisation number of 9 digits',
  date: 'must be a date YYYY-MM-DD',
  real_date: 'is not a real date',
  date_time: 'must be a date and time with a time zone',
  single_line: 'must not contain line breaks or control characters',
  no_control_characters: 'must not contain control characters',
  level: 'must be 1–6',
  color: 'must be a colour written #rrggbb',
  whole_days: 'must be a whole number of days',
} as const;
export type FieldFormat = keyof typeof fieldFormats;

/** The format named by an issue's English text, if it is one of {@link fieldFormats}. */
export function formatOfMessage(message: string): FieldFormat | undefined {
  return (Object.keys(fieldFormats) as FieldFormat[]).find((format) => fieldFormats[format] === message);
}

/**
 * A refused field as the API sends it: its path, an English text, and the issue code with the limit,
 * format or values it names, which clients translate. One built without a code is sent as `invalid`.
 */
export interface FieldIssue {
  path: string;
  message: string;
  code?: FieldIssueCode;
  minimum?: number;
  maximum?: number;
  origin?: FieldIssueOrigin;
  format?: FieldFormat;
  values?: string[];
}

/**
 * Reasons that refine a `conflict` (409) or an upload's refusal (415, 413): sent as `reason` beside
 * the code, with `params` when the text names something (the claim number, the file, the limit).
 */
export const errorReasons = [
  'claim_number_taken',
  'case_status',
  'reopen_first',
  'no_main_inspection',
  'assign_main_inspection_first',
  'task_status',
  'main_inspection_by_assignment',
  'already_done',
  'own_level',
  'file_type_mismatch',
  'file_too_large',
] as const;
export type ErrorReason = (typeof errorReasons)[number];
