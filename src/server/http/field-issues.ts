import {
  formatOfMessage,
  type FieldFormat,
  type FieldIssueCode,
  type FieldIssueOrigin,
} from '../../common/rules/api-errors.ts';
import { AppError, type FieldIssue } from '../errors.ts';

// Field issues with a stable code (issue 16): zod's issues, and the ones services build by hand,
// become `{path, message, code, …}` so a client can say in its reader's language what is wrong with
// a field. The English `message` stays for API users who read it.

/** A zod issue as zod and fastify-type-provider-zod give it (only what is read here). */
export interface ZodIssueLike {
  code?: string;
  message?: string;
  minimum?: unknown;
  maximum?: unknown;
  origin?: unknown;
  format?: unknown;
  values?: unknown;
  keys?: unknown;
}

/** zod's string formats under our names, for the formats a schema checks with zod's own check. */
const zodFormats: Partial<Record<string, FieldFormat>> = {
  email: 'email',
  datetime: 'date_time',
  date: 'date',
};

/**
 * The issue of one refused field. `missing` tells a value that was not given (or null) apart from one
 * of the wrong type; when unknown, zod's own text ("… received undefined") decides.
 */
export function fieldIssueOf(path: string, issue: ZodIssueLike, missing?: boolean): FieldIssue {
  const message = issue.message ?? 'is not valid';
  const base = { path, message };
  const origin = originOf(issue.origin);
  // A format a schema names by its text (a regex, a refinement, "a whole number of days").
  const named = issue.code === 'too_small' || issue.code === 'too_big' ? undefined : formatOfMessage(message);
  if (named && !missing) return { ...base, code: 'invalid_format', format: named };
  switch (issue.code) {
    case 'invalid_type': {
      const absent = missing ?? /received (undefined|null)$/.test(message);
      return { ...base, code: absent ? 'required' : 'invalid_type' };
    }
    case 'too_small': {
      const minimum = Number(issue.minimum);
      // An empty text or list where one is needed is "required", not "at least 1".
      if (minimum === 1 && (origin === 'string' || origin === 'array')) return { ...base, code: 'required' };
      return { ...base, code: 'too_small', minimum, ...(origin && { origin }) };
    }
    case 'too_big':
      return { ...base, code: 'too_big', maximum: Number(issue.maximum), ...(origin && { origin }) };
    case 'invalid_format': {
      const format = zodFormats[String(issue.format)];
      return { ...base, code: 'invalid_format', ...(format && { format }) };
    }
    case 'invalid_value': {
      if (missing ?? message === 'is required') return { ...base, code: 'required' };
      const values = Array.isArray(issue.values) ? issue.values.map(String) : [];
      return { ...base, code: 'invalid_value', ...(values.length > 0 && values.length <= 10 && { values }) };
    }
    case 'unrecognized_keys': {
      // One issue on the object, as always; the names it does not take go in `values`.
      const keys = Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      return { ...base, code: 'unknown_field', ...(keys.length > 0 && { values: keys }) };
    }
    default:
      return withCode(base);
  }
}

/**
 * The zod issues of a refused input, each under `prefix` (`body`, `querystring` …); `input` is what
 * was sent, to tell a missing field from a wrong one.
 */
export function fieldIssuesOf(
  issues: ReadonlyArray<ZodIssueLike & { path: ReadonlyArray<PropertyKey> }>,
  prefix: string,
  input?: unknown,
): FieldIssue[] {
  return issues.map((issue) => {
    const parts = issue.path.map(String);
    const path = [prefix, ...parts].filter(Boolean).join('.');
    const missing = input === undefined ? undefined : valueAt(input, parts) == null;
    return fieldIssueOf(path, issue, missing);
  });
}

/** A field issue built by hand, its code given or read from its text when it is one we know. */
export function withCode(issue: FieldIssue): FieldIssue {
  if (issue.code) return issue;
  const format = formatOfMessage(issue.message);
  const code: FieldIssueCode = format
    ? 'invalid_format'
    : /^(is required|is empty)$/.test(issue.message)
      ? 'required'
      : issue.message.startsWith('is not a known field')
        ? 'unknown_field'
        : /^is not an? \w+ of your /.test(issue.message)
          ? 'unknown_reference'
          : 'invalid';
  return { ...issue, code, ...(format && { format }) };
}

/** 400 `validation_failed` naming the fields (each with its code). */
export function validationError(fields: FieldIssue[]): AppError {
  const summary = fields.map((f) => `${f.path || 'body'} ${f.message}`).join('; ');
  return new AppError('validation_failed', `The request is not valid: ${summary}`, {
    fields: fields.map(withCode),
  });
}

function originOf(origin: unknown): FieldIssueOrigin | undefined {
  if (origin === 'string' || origin === 'array') return origin;
  if (origin === 'number' || origin === 'int' || origin === 'bigint') return 'number';
  if (origin === 'set') return 'array';
  return undefined;
}

function valueAt(root: unknown, parts: string[]): unknown {
  let node = root;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
