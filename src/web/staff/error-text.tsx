import type { MessageKey } from '../i18n/i18n.ts';
import { ApiError, type ApiFieldIssue } from '../shared/api-client.ts';
import { errorCodeText, fieldIssueText, knownText } from '../shared/api-error-text.ts';
import { useLanguage } from '../shared/language.tsx';

// API errors in the staff app, in the reader's language (issue 16): a field error names the field and
// what is wrong with it ("Skadenummer: må fylles ut"), a conflict its reason, any other error its code.

type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The parts of a field path that are not the field: where it was sent. */
const containers = new Set(['body', 'querystring', 'params', 'headers']);

/** A field's name from its path: `body.contacts.0.email` → "Kontakt 1 – E-postadresse". */
export function fieldLabel(t: T, path: string): string {
  const names: string[] = [];
  for (const part of path.split('.')) {
    if (part === '' || (names.length === 0 && containers.has(part))) continue;
    if (/^\d+$/.test(part) && names.length > 0) names[names.length - 1] += ` ${Number(part) + 1}`;
    else names.push(knownText(t, `errors.fields.${part}`) ?? part);
  }
  return names.join(' – ') || t('errors.fields.field');
}

/** One field error: "Skadenummer: må fylles ut"; fields the API does not take by their names. */
export function fieldErrorText(t: T, field: ApiFieldIssue): string {
  const name =
    field.code === 'unknown_field' && field.values?.length
      ? field.values.join(', ')
      : fieldLabel(t, field.path);
  return t('common.fieldError', { field: name, issue: fieldIssueText(t, field) });
}

/**
 * The text of an error: its field errors, else its reason (with the params it names), else its code;
 * `fallback` for anything that is not an API error.
 */
export function apiErrorText(t: T, error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.fields.length > 0)
    return [...new Set(error.fields.map((field) => fieldErrorText(t, field)))].join('; ');
  const reason = error.reason ? knownText(t, `errors.reasons.${error.reason}`, error.params) : null;
  return reason ?? errorCodeText(t, error, fallback);
}

/** {@link apiErrorText} in the current language, as an element. */
export function ErrorText({ error, fallback }: { error: unknown; fallback: string }) {
  const { t } = useLanguage();
  return apiErrorText(t, error, fallback);
}
