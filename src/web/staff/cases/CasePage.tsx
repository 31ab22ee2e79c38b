import { useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { ApiError, api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';
import { PhoneLink } from '../phone.tsx';
import { Tabs, tabPanelProps } from '../tabs.tsx';
import { useCaseChange, useCase } from './case-data.ts';
import { BudgetTab } from './BudgetTab.tsx';
import { CaseActions } from './CaseActions.tsx';
import { CaseInfoTab } from './CaseInfoTab.tsx';
import { CaseLog } from './CaseLog.tsx';
import { COMMUNICATION_ID, CommunicationPanel } from './CommunicationPanel.tsx';
import { FOCUS_COMMUNICATION, useCaseLive } from './communication-data.ts';
import { CasePeople } from './CasePeople.tsx';
import { ClaimDecision } from './ClaimDecision.tsx';
import { CustomerAccessPanel } from './CustomerAccessPanel.tsx';
import { DocumentsTab } from './DocumentsTab.tsx';
import { economyFocusOf, FOCUS_INVOICES, INVOICES_TAB } from './economy-data.ts';
import { InvoicesTab } from './InvoicesTab.tsx';
import { lazyComponent, LoadBoundary } from '../lazy.tsx';
import { MainInspection } from './MainInspection.tsx';
import { NextStepLine } from './NextStepLine.tsx';
import { ProjectPlanTab } from './ProjectPlanTab.tsx';
import { Reminders } from './Reminders.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const tabIds = [
  'info',
  'plan',
  'documents',
  'budget',
  'cost-control',
  INVOICES_TAB,
  'settlement',
  'log',
] as const;
type TabId = (typeof tabIds)[number];

// Cost control and the customer settlement (issue 20) are chunks of their own, loaded when first shown.
const CostControlTab = lazyComponent(() => import('./CostControlTab.tsx').then((m) => m.CostControlTab));
const SettlementTab = lazyComponent(() => import('./SettlementTab.tsx').then((m) => m.SettlementTab));

/** The case page: banners, address and customer, case actions, decision, people, inspection, tabs. */
export function CasePage() {
  const { t } = useLanguage();
  const { id = '' } = useParams();
  const kase = useCase(id);
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: TabId = tabIds.find((candidate) => candidate === requested) ?? 'info';
  const location = useLocation();
  // Live signals of this case (a customer's message, a sharing change) while the page is open.
  useCaseLive(id);
  // The unread banner and the notifications lead to the communication: it takes the focus.
  const focusCommunication =
    (location.state as { focus?: string } | null)?.focus === FOCUS_COMMUNICATION.focus;
  // The invoice banner and the dashboard's invoice and quote rows lead to that tab: it takes the focus.
  const economyFocus = economyFocusOf(location.state);

  if (kase.isError) {
    const missing = kase.error instanceof ApiError && kase.error.status === 404;
    return (
      <section>
        <h1>{missing ? t('casePage.notFound') : t('common.errorGeneric')}</h1>
        <Link to="/cases">{t('casePage.back')}</Link>
      </section>
    );
  }
  if (!kase.data) return <p role="status">{t('common.loading')}</p>;
  const c = kase.data;
  const labels: Record<TabId, string> = {
    info: t('tabs.caseInfo'),
    plan: t('tabs.projectPlan'),
    documents: t('tabs.documents'),
    budget: t('tabs.budget'),
    'cost-control': t('tabs.costControl'),
    invoices: t('tabs.invoices'),
    settlement: t('tabs.settlement'),
    log: t('tabs.log'),
  };

  return (
    <article className="case-page">
      <p className="back-link">
        <Link to="/cases">{t('casePage.back')}</Link>
      </p>
      <Banners kase={c} />
      <header className="case-header">
        <h1>
          {c.address.street}, {c.address.postalCode} {c.address.city}
        </h1>
        <dl className="case-summary">
          <div>
            <dt>{t('casePage.status')}</dt>
            <dd>
              <StatusBadge status={c.status} />
            </dd>
          </div>
          <div>
            <dt>{t('casePage.claimNumber')}</dt>
            <dd>{c.claimNumber}</dd>
          </div>
          <div>
            <dt>{t('casePage.customer')}</dt>
            <dd>{c.customer?.name ?? ''}</dd>
          </div>
          {c.customer?.phone && (
            <div>
              <dt>{t('casePage.phone')}</dt>
              <dd>
                <PhoneLink number={c.customer.phone} />
              </dd>
            </div>
          )}
          <NextStepLine kase={c} />
        </dl>
        <QualityControl kase={c} />
      </header>
      <div className="case-grid">
        <div className="case-column">
          <CaseActions kase={c} />
          <ClaimDecision kase={c} />
        </div>
        <div className="case-column">
          <CasePeople kase={c} />
          <CustomerAccessPanel kase={c} />
        </div>
        <div className="case-column">
          <MainInspection kase={c} />
          <Reminders kase={c} />
        </div>
      </div>
      <CommunicationPanel kase={c} focusKey={focusCommunication ? location.key : null} />
      <div className="case-tabs">
        <Tabs
          idPrefix="case"
          label={t('tabs.label')}
          tabs={tabIds.map((tabId) => ({ id: tabId, label: labels[tabId] }))}
          selected={tab}
          onSelect={(next) => setParams({ tab: next }, { replace: true })}
        />
        <div {...tabPanelProps('case', tab)}>
          {tab === 'info' && <CaseInfoTab kase={c} />}
          {tab === 'plan' && <ProjectPlanTab kase={c} />}
          {tab === 'documents' && <DocumentsTab kase={c} />}
          {tab === 'budget' && <BudgetTab kase={c} />}
          {tab === INVOICES_TAB && (
            <InvoicesTab kase={c} focus={economyFocus && { key: location.key, on: economyFocus }} />
          )}
          {(tab === 'cost-control' || tab === 'settlement') && (
            <LoadBoundary loading={t('common.loading')} resetKey={tab}>
              {tab === 'cost-control' ? <CostControlTab kase={c} /> : <SettlementTab kase={c} />}
            </LoadBoundary>
          )}
          {tab === 'log' && (
            <>
              <h3>{t('log.title')}</h3>
              <CaseLog caseId={c.id} />
            </>
          )}
        </div>
      </div>
    </article>
  );
}

/** Yellow banners saying what needs doing: invoices to approve, unread customer messages. */
function Banners({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const location = useLocation();
  const { invoicesAwaitingApproval, unreadCustomerMessages } = kase.banners;
  if (!invoicesAwaitingApproval && !unreadCustomerMessages) return null;
  return (
    <ul className="banners">
      {invoicesAwaitingApproval > 0 && (
        <li className="banner">
          <Link to={{ search: `?tab=${INVOICES_TAB}` }} state={FOCUS_INVOICES} className="banner-link">
            {t('casePage.bannerInvoices', { count: invoicesAwaitingApproval })}
          </Link>
        </li>
      )}
      {unreadCustomerMessages > 0 && (
        <li className="banner">
          <Link
            to={{ search: location.search, hash: COMMUNICATION_ID }}
            state={FOCUS_COMMUNICATION}
            className="banner-link"
          >
            {t('casePage.bannerMessages', { count: unreadCustomerMessages })}
          </Link>
        </li>
      )}
    </ul>
  );
}

/** The quality-control switch of a case, saved at once. */
function QualityControl({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const save = useCaseChange(kase.id, (on: boolean) => api.cases.update(kase.id, { qualityControl: on }));
  // The click shows at once (set in the same event, not after the mutation's state arrives) and
  // falls back to the server's value when saving fails.
  const [wanted, setWanted] = useState<boolean | null>(null);
  const checked = wanted ?? kase.qualityControl;
  return (
    <div className="quality-control">
      <div className="check-field">
        <input
          id="quality-control"
          type="checkbox"
          checked={checked}
          onChange={(event) => {
            if (save.isPending) return;
            const on = event.target.checked;
            setWanted(on);
            save.mutate(on, { onSettled: () => setWanted(null) });
          }}
        />
        <label htmlFor="quality-control">{t('casePage.qualityControl')}</label>
      </div>
      {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
    </div>
  );
}
