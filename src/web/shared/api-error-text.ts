import type { CustomerMessageKey } from '../i18n/customer-i18n.ts';
import { ApiError, type ApiFieldIssue } from './api-client.ts';

// An API error in the reader's language, for both bundles (issue 16): the error code and each field
// issue code have a text in every language (common.apiErrors, common.fieldIssues, common.fieldFormats
// in customer-nb.ts / customer-en.ts); the server's English `message` is never shown.

/** A translation function for the common strings; the staff app's `t` and the customer page's fit. */
export type CommonTranslate = (key: CustomerMessageKey, values?: Record<string, string | number>) => string;

/** The text of a key made from a code, or null when there is none (a missing key reads as the key). */
export function knownText(
  translate: (key: never, values?: Record<string, string | number>) => string,
  key: string,
  values?: Record<string, string | number>,
): string | null {
  const text = (translate as (key: string, values?: Record<string, string | number>) => string)(key, values);
  return text === key ? null : text;
}

/** What is wrong with one field, e.g. "må ha minst 10 tegn" (without the field's name). */
export function fieldIssueText(t: CommonTranslate, field: ApiFieldIssue): string {
  switch (field.code) {
    case 'too_small':
    case 'too_big': {
      const limit = field.code === 'too_small' ? field.minimum : field.maximum;
      if (limit === undefined || !field.origin) return t(`common.fieldIssues.${field.code}.any`);
      return t(`common.fieldIssues.${field.code}.${field.origin}`, { count: limit });
    }
    case 'invalid_format':
      return field.format ? t(`common.fieldFormats.${field.format}`) : t('common.fieldIssues.invalid_format');
    case undefined:
      return t('common.fieldIssues.invalid');
    default:
      return t(`common.fieldIssues.${field.code}`);
  }
}

/** The text of an error's code, or `fallback` for an error that is not the API's or a code unknown here. */
export function errorCodeText(t: CommonTranslate, error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  return knownText(t, `common.apiErrors.${error.code}`) ?? fallback;
}
