import type { Language } from '../../../common/rules/languages.ts';

// The texts of the retention setting on the Company page, in both languages, beside the page in its
// lazily loaded chunk rather than in i18n/nb.ts and en.ts (the staff app's first load, at its budget).

export interface RetentionTexts {
  title: string;
  years: string;
  hint: string;
  saved: string;
  auditLink: string;
}

/** The retention setting's texts by language. */
export const retentionTexts: Record<Language, RetentionTexts> = {
  nb: {
    title: 'Lagring av personopplysninger',
    years: 'År personopplysninger beholdes etter at en sak er avsluttet',
    hint: 'Mellom 1 og 30 år. Deretter anonymiseres kontakter og meldinger og filene slettes, én gang i døgnet; saksnummer, datoer, status og beløp beholdes. Dette er noe annet enn hvor lenge kundesiden er synlig.',
    saved: 'Lagringstiden er lagret.',
    auditLink: 'Se revisjonsloggen',
  },
  en: {
    title: 'Keeping personal data',
    years: 'Years personal data is kept after a case is closed',
    hint: 'Between 1 and 30 years. After that, contacts and messages are anonymised and files deleted, once a day; case number, dates, status and amounts are kept. This is apart from how long the customer page stays visible.',
    saved: 'The retention period has been saved.',
    auditLink: 'See the audit trail',
  },
};
