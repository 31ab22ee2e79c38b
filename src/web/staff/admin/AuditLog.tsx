import type { ReactNode } from 'react';
import { newsKinds, type NewsKind } from '../../../common/rules/case-events.ts';
import {
  accessForLabels,
  colorKeys,
  colorLabels,
  communicationMethodLabels,
  newsKindTexts,
  sendLinkLabel,
  triggerLabel,
  triggers,
  type ColorKey,
  type Trigger,
} from '../../../common/rules/customer-page-settings.ts';
import type { CustomerPageAuditEntry } from '../../../common/contracts/customer-page-settings.ts';
import type { PortalType } from '../../../common/rules/enums.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { ShowOlder } from '../components.tsx';
import { useOlderPages } from '../paging.ts';

export const AUDIT_QUERY = ['customer-page-audit'] as const;

/** One save: the changes one person made at one moment. */
interface Save {
  key: string;
  at: string;
  actor: string | null;
  changes: CustomerPageAuditEntry[];
}

/** Endringslogg: every change of the customer-page settings, newest first — who, when, what, old → new. */
export function AuditLog({ portalType }: { portalType: PortalType }) {
  const { t } = useLanguage();
  const audit = useOlderPages<CustomerPageAuditEntry>(AUDIT_QUERY, (paging) =>
    api.customerPageConfig.audit(paging),
  );
  if (audit.isError) return <p role="alert">{t('customerPageAdmin.audit.loadError')}</p>;
  if (!audit.first) return <p role="status">{t('common.loading')}</p>;
  if (audit.items.length === 0) return <p>{t('customerPageAdmin.audit.empty')}</p>;

  // A save split over two pages joins up again once the older page is shown.
  const saves: Save[] = [];
  for (const entry of audit.items) {
    const key = `${entry.at}|${entry.actor.id}`;
    const last = saves.at(-1);
    if (last?.key === key) last.changes.push(entry);
    else saves.push({ key, at: entry.at, actor: entry.actor.name, changes: [entry] });
  }
  return (
    <>
      <ol className="audit-list">
        {saves.map((save) => (
          <li key={save.key}>
            <p className="audit-head">
              <time dateTime={save.at}>{formatDateTime(save.at)}</time>{' '}
              {t('customerPageAdmin.audit.by', {
                name: save.actor ?? t('customerPageAdmin.audit.unknownActor'),
              })}
            </p>
            <ul className="audit-changes">
              {save.changes.map((change) => (
                <li key={change.id}>
                  <AuditChange entry={change} portalType={portalType} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <ShowOlder list={audit} />
    </>
  );
}

function AuditChange({ entry, portalType }: { entry: CustomerPageAuditEntry; portalType: PortalType }) {
  const { t, language } = useLanguage();
  const label = settingLabel(entry.setting);
  if (entry.setting === 'newsFilter') {
    const before = new Set(asKinds(entry.oldValue));
    const after = new Set(asKinds(entry.newValue));
    const names = (kinds: NewsKind[]) => kinds.map((kind) => newsKindTexts[kind][language].label).join(', ');
    const added = newsKinds.filter((kind) => after.has(kind) && !before.has(kind));
    const removed = newsKinds.filter((kind) => before.has(kind) && !after.has(kind));
    return (
      <>
        <strong>{label}</strong>:{' '}
        {[
          added.length ? t('customerPageAdmin.audit.added', { kinds: names(added) }) : '',
          removed.length ? t('customerPageAdmin.audit.removed', { kinds: names(removed) }) : '',
        ]
          .filter(Boolean)
          .join('. ')}
      </>
    );
  }
  return (
    <>
      <strong>{label}</strong>: {valueOf(entry.setting, entry.oldValue)} <span aria-hidden="true">→</span>
      <span className="visually-hidden">{language === 'nb' ? ' til ' : ' to '}</span>{' '}
      {valueOf(entry.setting, entry.newValue)}
    </>
  );

  function settingLabel(setting: string): string {
    if (setting.startsWith('colors.')) {
      const key = setting.slice('colors.'.length) as ColorKey;
      return colorKeys.includes(key) ? colorLabels[language][key] : setting;
    }
    const known = `customerPageAdmin.labels.${setting}` as MessageKey;
    const text = t(known);
    return text === known ? setting : text;
  }

  function valueOf(setting: string, value: unknown): ReactNode {
    if (setting.startsWith('colors.') && typeof value === 'string') {
      return (
        <span className="audit-color">
          <span className="audit-swatch" style={{ background: value }} aria-hidden="true" />
          {value}
        </span>
      );
    }
    if (setting === 'logo' || setting === 'companyLogo') {
      return value ? t('customerPageAdmin.audit.newLogo') : t('customerPageAdmin.audit.noLogo');
    }
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (setting === 'sendLink' && typeof value === 'string') {
      return sendLinkLabel(value as Parameters<typeof sendLinkLabel>[0], language, portalType);
    }
    if (typeof value === 'string' && triggers.includes(value as Trigger) && setting.startsWith('show')) {
      return triggerLabel(value as Trigger, language, portalType);
    }
    if (setting === 'accessFor' && typeof value === 'string' && value in accessForLabels[language]) {
      return accessForLabels[language][value as keyof (typeof accessForLabels)['nb']];
    }
    if (
      setting === 'communicationMethod' &&
      typeof value === 'string' &&
      value in communicationMethodLabels[language]
    ) {
      return communicationMethodLabels[language][value as keyof (typeof communicationMethodLabels)['nb']];
    }
    if (setting === 'visibleDaysAfterClose' && typeof value === 'number') {
      return t('customerPageAdmin.audit.days', { count: value });
    }
    if (typeof value === 'string')
      return value.trim() === ''
        ? t('customerPageAdmin.audit.empty_text')
        : language === 'nb'
          ? `«${value}»`
          : `“${value}”`;
    if (value === null || value === undefined) return t('customerPageAdmin.audit.noLogo');
    return JSON.stringify(value);
  }
}

function asKinds(value: unknown): NewsKind[] {
  return Array.isArray(value)
    ? value.filter((kind): kind is NewsKind => newsKinds.includes(kind as NewsKind))
    : [];
}
