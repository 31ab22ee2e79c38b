import { describe, expect, it } from 'vitest';
import {
  errorReasons,
  fieldFormats,
  fieldIssueCodes,
  type FieldFormat,
  type FieldIssueOrigin,
} from '../../common/rules/api-errors.ts';
import { errorCatalogue, type ErrorCode } from '../../server/errors.ts';
import { ApiError, type ApiFieldIssue } from '../shared/api-client.ts';
import { errorCodeText, fieldIssueText } from '../shared/api-error-text.ts';
import { apiErrorText } from '../staff/error-text.tsx';
import { customerEn } from './customer-en.ts';
import { translateCustomer } from './customer-i18n.ts';
import { customerNb } from './customer-nb.ts';
import { en } from './en.ts';
import { keysOf, loadLanguage, translate, type Language } from './i18n.ts';
import { pluralOf } from './lookup.ts';
import { nb } from './nb.ts';

// English is loaded on demand in the app (i18n.ts); these tests read it directly.
await loadLanguage('en');

// Issue 16: every code of the error catalogue, every field issue, format and conflict reason has a
// text in Norwegian and English, in the staff app and on the customer page; a missing one fails here
// and is named.

const languages: Language[] = ['nb', 'en'];
const SENTINEL = '<no text>';
const staffT =
  (language: Language) => (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) =>
    translate(language, key, values);
const customerT =
  (language: Language) =>
  (key: Parameters<typeof translateCustomer>[1], values?: Record<string, string | number>) =>
    translateCustomer(language, key, values);
const bundles = [
  { name: 'staff app', t: staffT },
  { name: 'customer page', t: customerT },
];

/** Every field issue the API can send: each code, with each origin and a singular and plural limit. */
function everyFieldIssue(): ApiFieldIssue[] {
  const origins: FieldIssueOrigin[] = ['string', 'number', 'array'];
  return fieldIssueCodes.flatMap((code): ApiFieldIssue[] => {
    const base = { path: 'body.claimNumber', message: 'English', code };
    if (code === 'too_small' || code === 'too_big') {
      const limited = (origin: FieldIssueOrigin, n: number): ApiFieldIssue =>
        code === 'too_small' ? { ...base, origin, minimum: n } : { ...base, origin, maximum: n };
      return [base, ...origins.flatMap((origin) => [1, 2, 5000].map((n) => limited(origin, n)))];
    }
    if (code === 'invalid_format') {
      return [base, ...(Object.keys(fieldFormats) as FieldFormat[]).map((format) => ({ ...base, format }))];
    }
    return [base];
  });
}

/** A text made of a key that was not found reads as the key (or holds an unfilled placeholder). */
const untranslated = (text: string) => /common\.|errors\.|\{\{/.test(text) || text === SENTINEL;

describe('API errors in the reader’s language', () => {
  for (const bundle of bundles) {
    it(`have a Norwegian and an English text for every code of the error catalogue (${bundle.name})`, () => {
      const missing: string[] = [];
      for (const language of languages) {
        for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
          const error = new ApiError(errorCatalogue[code].status, code, errorCatalogue[code].message);
          const text = errorCodeText(bundle.t(language), error, SENTINEL);
          if (untranslated(text)) missing.push(`${language}: ${code}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it(`have a Norwegian and an English text for every field issue and format (${bundle.name})`, () => {
      const missing: string[] = [];
      for (const language of languages) {
        for (const issue of everyFieldIssue()) {
          const text = fieldIssueText(bundle.t(language), issue);
          if (untranslated(text) || text === issue.message)
            missing.push(`${language}: ${JSON.stringify(issue)}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it('have a Norwegian and an English text for every conflict reason (staff app)', () => {
    const missing: string[] = [];
    for (const language of languages) {
      for (const reason of errorReasons) {
        const error = new ApiError(409, 'conflict', 'English', [], null, reason, { claimNumber: 'SK-1' });
        const text = apiErrorText(staffT(language), error, SENTINEL);
        if (untranslated(text) || text === translate(language, 'common.apiErrors.conflict')) {
          missing.push(`${language}: ${reason}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('differ between the languages', () => {
    const same = [
      ...(Object.keys(errorCatalogue) as ErrorCode[]).filter((code) => {
        const error = new ApiError(errorCatalogue[code].status, code, 'English');
        return errorCodeText(staffT('nb'), error, SENTINEL) === errorCodeText(staffT('en'), error, SENTINEL);
      }),
      ...everyFieldIssue()
        .filter((issue) => fieldIssueText(staffT('nb'), issue) === fieldIssueText(staffT('en'), issue))
        .map((issue) => JSON.stringify(issue)),
    ];
    expect(same).toEqual([]);
  });

  it('show a server error and a field error in Norwegian, never the English message', () => {
    const t = staffT('nb');
    const taken = new ApiError(
      409,
      'conflict',
      'A case with claim number SK-7 already exists.',
      [],
      null,
      'claim_number_taken',
      {
        claimNumber: 'SK-7',
      },
    );
    expect(apiErrorText(t, taken, SENTINEL)).toBe('Det finnes allerede en sak med skadenummer SK-7.');
    const invalid = new ApiError(400, 'validation_failed', 'The request is not valid', [
      {
        path: 'body.visibleDaysAfterClose',
        message: 'must be 0 or more',
        code: 'too_small',
        minimum: 0,
        origin: 'number',
      },
      {
        path: 'body.contacts.1.email',
        message: 'must be an e-mail address',
        code: 'invalid_format',
        format: 'email',
      },
      { path: 'body.password', message: 'too short', code: 'too_small', minimum: 10, origin: 'string' },
    ]);
    expect(apiErrorText(t, invalid, SENTINEL)).toBe(
      'Dager synlig etter avslutning: må være 0 eller mer; Kontakt 2 – E-postadresse: må være en e-postadresse; ' +
        'Passord: må ha minst 10 tegn',
    );
    expect(apiErrorText(staffT('en'), invalid, SENTINEL)).toContain(
      'Password: must have at least 10 characters',
    );
    // A code this client does not know, and an error that is not the API's, read as the fallback.
    expect(apiErrorText(t, new ApiError(418, 'teapot', 'I am a teapot'), SENTINEL)).toBe(SENTINEL);
    expect(apiErrorText(t, new TypeError('Failed to fetch'), SENTINEL)).toBe(SENTINEL);
  });
});

describe('plurals', () => {
  it('choose the form by count in Norwegian and English', () => {
    expect(translate('nb', 'cases.count', { count: 1 })).toBe('1 sak');
    expect(translate('nb', 'cases.count', { count: 2 })).toBe('2 saker');
    expect(translate('nb', 'cases.count', { count: 0 })).toBe('0 saker');
    expect(translate('en', 'cases.count', { count: 1 })).toBe('1 case');
    expect(translate('en', 'cases.count', { count: 0 })).toBe('0 cases');
    expect(translate('nb', 'customerPageAdmin.audit.days', { count: 1 })).toBe('1 dag');
    expect(translate('nb', 'customerPageAdmin.audit.days', { count: 30 })).toBe('30 dager');
    expect(translate('en', 'customerPageAdmin.audit.days', { count: 1 })).toBe('1 day');
    expect(translateCustomer('en', 'customer.code.wrong', { count: 1 })).toBe(
      'The code is wrong. 1 try left.',
    );
    expect(translateCustomer('en', 'customer.code.wrong', { count: 3 })).toBe(
      'The code is wrong. 3 tries left.',
    );
    expect(translateCustomer('nb', 'customer.code.resendIn', { count: 1 })).toBe(
      'Du kan be om en ny kode om 1 sekund.',
    );
  });

  it('have every form each language needs for every plural key', () => {
    const trees = [
      { name: 'staff', nb, en },
      { name: 'customer', nb: customerNb, en: customerEn },
    ];
    const suffix = /_(zero|one|two|few|many|other)$/;
    const missing: string[] = [];
    for (const tree of trees) {
      const bases = new Set(
        [...keysOf(tree.nb), ...keysOf(tree.en)]
          .filter((key) => suffix.test(key))
          .map((k) => k.replace(suffix, '')),
      );
      for (const language of languages) {
        const keys = new Set(keysOf(tree[language]));
        const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
        for (const base of bases) {
          for (const category of needed) {
            if (!keys.has(`${base}_${category}`))
              missing.push(`${tree.name} ${language}: ${base}_${category}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(pluralOf('nb', 1)).toBe('one');
    expect(pluralOf('en', 2)).toBe('other');
  });
});
