import type { Language } from '../../../common/rules/languages.ts';
import type { AuditAction } from '../../../common/rules/audit-actions.ts';

// The audit trail page's own texts in both languages. They live beside the page, in its lazily
// loaded chunk, not in i18n/nb.ts and en.ts: those are in the staff app's first load, which is at its
// 150 KB budget, and these texts (a label for every kind) are read on this page alone. The type makes
// a text missing in either language a compile error, as the i18n test does for the shared files.

/** `user` of `user.created`. */
type GroupOf<A> = A extends `${infer Group}.${string}` ? Group : never;

/** A label for every action kind, grouped as the kinds are named: `user.created` → `action.user.created`. */
type ActionLabels = {
  [G in GroupOf<AuditAction>]: {
    [K in AuditAction as K extends `${G}.${infer Name}` ? Name : never]: string;
  };
};

export interface AuditTrailTexts {
  title: string;
  intro: string;
  filter: string;
  all: string;
  empty: string;
  system: string;
  unknownActor: string;
  subject: string;
  action: ActionLabels;
}

const nb: AuditTrailTexts = {
  title: 'Revisjonslogg',
  intro:
    'Endringer i administrasjonen (brukere, nivåer, API-nøkler, innstillinger, innlogging og webhooks), nedlastinger av dokumenter, utleveringer, slettinger og lagringsjobben. Nyeste først.',
  filter: 'Vis',
  all: 'Alle hendelser',
  empty: 'Ingen hendelser ennå.',
  system: 'Systemet',
  unknownActor: 'Ukjent',
  subject: 'Gjelder',
  action: {
    user: {
      created: 'Bruker opprettet',
      updated: 'Bruker endret',
      level_changed: 'Nivå endret',
      deactivated: 'Bruker deaktivert',
      reactivated: 'Bruker aktivert igjen',
      password_reset: 'Passord tilbakestilt',
    },
    api_key: {
      created: 'API-nøkkel opprettet',
      revoked: 'API-nøkkel trukket tilbake',
    },
    settings: {
      changed: 'Kundesideinnstillinger endret',
    },
    company: {
      changed: 'Selskapet endret',
    },
    sso: {
      changed: 'Innlogging med selskapskonto endret',
    },
    bankid: {
      changed: 'BankID-oppsett endret',
    },
    webhook: {
      created: 'Webhook opprettet',
      changed: 'Webhook endret',
      deleted: 'Webhook slettet',
      secret_rotated: 'Webhook-hemmelighet byttet',
      replayed: 'Webhook sendt på nytt',
    },
    document: {
      downloaded: 'Dokument lastet ned',
    },
    person: {
      exported: 'Personopplysninger utlevert',
      erased: 'Personopplysninger slettet',
    },
    retention: {
      ran: 'Lagringsjobben kjørte',
    },
  },
};

const en: AuditTrailTexts = {
  title: 'Audit trail',
  intro:
    'Changes to the administration (users, levels, API keys, settings, sign-in and webhooks), document downloads, exports, erasures and the retention job. Newest first.',
  filter: 'Show',
  all: 'All events',
  empty: 'No events yet.',
  system: 'The system',
  unknownActor: 'Unknown',
  subject: 'About',
  action: {
    user: {
      created: 'User created',
      updated: 'User changed',
      level_changed: 'Level changed',
      deactivated: 'User deactivated',
      reactivated: 'User reactivated',
      password_reset: 'Password reset',
    },
    api_key: {
      created: 'API key created',
      revoked: 'API key revoked',
    },
    settings: {
      changed: 'Customer-page settings changed',
    },
    company: {
      changed: 'Company changed',
    },
    sso: {
      changed: 'Company sign-in changed',
    },
    bankid: {
      changed: 'BankID set-up changed',
    },
    webhook: {
      created: 'Webhook created',
      changed: 'Webhook changed',
      deleted: 'Webhook deleted',
      secret_rotated: 'Webhook secret rotated',
      replayed: 'Webhook replayed',
    },
    document: {
      downloaded: 'Document downloaded',
    },
    person: {
      exported: 'Personal data exported',
      erased: 'Personal data erased',
    },
    retention: {
      ran: 'Retention job ran',
    },
  },
};

/** The audit trail page's texts by language. */
export const auditTrailTexts: Record<Language, AuditTrailTexts> = { nb, en };

/** The label of an action kind, e.g. `user.created` → "Bruker opprettet". */
export function actionLabel(texts: AuditTrailTexts, action: AuditAction): string {
  const [group, name] = action.split('.') as [keyof ActionLabels, string];
  return (texts.action[group] as Record<string, string>)[name] ?? action;
}
