import { useId, useMemo, useState } from 'react';
import type { CustomerVisibility } from '../../../common/rules/visibility.ts';
import type { Language } from '../../i18n/lookup.ts';
import type { CustomerMessage, CustomerNewsItem, CustomerPageModel, Page } from '../model.ts';
import { BudgetView } from './BudgetView.tsx';
import { CaseArchive, type CaseArchiveSlot } from './CaseArchive.tsx';
import { CaseInfo } from './CaseInfo.tsx';
import { CommunicationView, newerMessageFirst, type SendMessage } from './CommunicationView.tsx';
import { DashboardView, newerNewsFirst } from './DashboardView.tsx';
import { DecisionNotice } from './DecisionNotice.tsx';
import { NextStepCard } from './NextStepCard.tsx';
import { DocumentsView } from './DocumentsView.tsx';
import { PageHeader } from './PageHeader.tsx';
import { usePagedList, type OlderRequest } from './paged-list.ts';
import { ProjectPlanView } from './ProjectPlanView.tsx';
import { SatisfactionQuestion, type SatisfactionSlot } from './SatisfactionQuestion.tsx';
import { textsFor } from './text.ts';
import { themeStyle } from './theme.ts';
import './customer-page.css';

/** The views of the customer page, in menu order; the dashboard is always there. */
export const customerViews = ['dashboard', 'projectPlan', 'communication', 'documents', 'budget'] as const;
export type CustomerView = (typeof customerViews)[number];

/** The views a customer may open: the dashboard and the tabs visibility allows. */
export function visibleViews(visibility: CustomerVisibility): CustomerView[] {
  return customerViews.filter((view) => view === 'dashboard' || visibility.tabs[view]);
}

/** Fetch the older pages of the news feed and of the thread (the API's paging convention). */
export interface CustomerLists {
  news: (request: OlderRequest, language: Language) => Promise<Page<CustomerNewsItem>>;
  messages: (request: OlderRequest) => Promise<Page<CustomerMessage>>;
}

export interface CustomerPageProps {
  model: CustomerPageModel;
  /** From customerVisibility(settings, case state, now): the page shows nothing it does not allow. */
  visibility: CustomerVisibility;
  language: Language;
  /** Shows the language switch in the header. */
  onLanguageChange?: (language: Language) => void;
  /** Shows "Sign out" in the header (the customer page; not the admin preview). */
  onSignOut?: () => void;
  /** Sends a message from the Communication tab (without it the compose box sends nothing). */
  onSendMessage?: SendMessage;
  /** Loads older news and messages ("Show older"); without it (the admin preview) the first page only. */
  lists?: CustomerLists | undefined;
  /**
   * Inside another page (the admin preview): the same look, but no <main> landmark of its own.
   * The real customer page leaves it off.
   */
  embedded?: boolean;
  /** Asks the satisfaction question on a closed case's dashboard (the real page; not the preview). */
  satisfaction?: SatisfactionSlot | undefined;
  /** Offers the case archive on a closed case's dashboard (the real page; not the preview). */
  archive?: CaseArchiveSlot | undefined;
  /** The view to show, when the caller keeps it (the real page keeps it in the address's hash). */
  view?: CustomerView;
  /** Called when the customer picks a view from the menu (with `view`: the caller changes it). */
  onViewChange?: (view: CustomerView) => void;
}

/**
 * The customer page as a customer sees it, phone first: header with the logo and the menu of
 * visible views in the company's colours, the case's address and claim number, the chosen view, and
 * the contact information on every view. A case that is no longer reachable shows the friendly
 * "no longer available" page instead.
 */
export function CustomerPage(props: CustomerPageProps) {
  const { model, visibility, language, embedded } = props;
  const t = textsFor(language);
  const [ownChoice, setOwnChoice] = useState<CustomerView>('dashboard');
  const chosen = props.view ?? ownChoice;
  const choose = (next: CustomerView) => {
    setOwnChoice(next);
    props.onViewChange?.(next);
  };
  const headingId = useId();
  const views = visibleViews(visibility);
  // A view that disappears (the preview switched milestone) falls back to the dashboard.
  const view = views.includes(chosen) ? chosen : 'dashboard';
  const Main = embedded ? 'div' : 'main';
  // Kept here, not in the views: the older entries loaded stay while the customer switches views and
  // while live updates bring new first pages; a new language or filter starts the lists again.
  const { lists } = props;
  const fetchNews = useMemo(
    () => (lists ? (request: OlderRequest) => lists.news(request, language) : undefined),
    [lists, language],
  );
  const news = usePagedList(
    model.news,
    `${language}|${visibility.news}|${visibility.newsKinds.join(',')}`,
    newerNewsFirst,
    fetchNews,
  );
  const { customerCanRead, onlyOwnMessages } = visibility.communication;
  const thread = usePagedList(
    model.messages,
    `${customerCanRead}|${onlyOwnMessages}`,
    newerMessageFirst,
    lists?.messages,
  );

  return (
    <div className={embedded ? 'cp cp-embedded' : 'cp'} lang={language} style={themeStyle(model.colors)}>
      <PageHeader
        company={model.company}
        language={language}
        t={t}
        onLanguageChange={props.onLanguageChange}
        onSignOut={props.onSignOut}
      />
      {visibility.reachable ? (
        <>
          <nav className="cp-menu" aria-label={t('customer.menuLabel')}>
            <ul>
              {views.map((item) => (
                <li key={item}>
                  <button
                    type="button"
                    className="cp-menu-item"
                    aria-current={item === view ? 'page' : undefined}
                    onClick={() => choose(item)}
                  >
                    {t(`customer.views.${item}`)}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <Main className="cp-main">
            <div className="cp-case">
              <h1 className="cp-case-title">{model.case.address.street}</h1>
              <p className="cp-case-meta">
                <span>
                  {model.case.address.postalCode} {model.case.address.city}
                </span>
                <span>
                  {t('customer.claimNumber')}: {model.case.claimNumber}
                </span>
              </p>
            </div>
            <section className="cp-view" aria-labelledby={headingId}>
              <h2 id={headingId} className="cp-view-title">
                {t(`customer.views.${view}`)}
              </h2>
              {view === 'dashboard' && <NextStepCard step={model.nextStep} t={t} />}
              {view === 'dashboard' && model.rejection && (
                <DecisionNotice rejection={model.rejection} t={t} />
              )}
              {view === 'dashboard' && props.satisfaction && (
                <SatisfactionQuestion slot={props.satisfaction} refreshKey={model} t={t} />
              )}
              {view === 'dashboard' && props.archive && (
                <CaseArchive slot={props.archive} refreshKey={model} language={language} t={t} />
              )}
              {view === 'dashboard' && (
                <DashboardView model={model} news={news} visibility={visibility} t={t} />
              )}
              {view === 'projectPlan' && <ProjectPlanView tasks={model.tasks} t={t} />}
              {view === 'communication' && (
                <CommunicationView
                  messages={thread.items}
                  paging={thread}
                  communication={visibility.communication}
                  onSend={props.onSendMessage}
                  t={t}
                />
              )}
              {view === 'documents' && (
                <DocumentsView documents={model.documents} reports={visibility.reports} t={t} />
              )}
              {view === 'budget' && <BudgetView lines={model.budget.lines} t={t} />}
            </section>
            <CaseInfo caseData={model.case} caseInfo={visibility.caseInfo} t={t} />
          </Main>
        </>
      ) : (
        <Main className="cp-main">
          <h1 className="cp-case-title cp-unavailable-title">{t('customer.unavailable.title')}</h1>
          <p>
            {visibility.reason === 'cancelled'
              ? t('customer.unavailable.cancelled')
              : t('customer.unavailable.closed')}
          </p>
          {visibility.caseInfo.contactForMoreInfo ? (
            <section className="cp-section" aria-labelledby={`${headingId}-more`}>
              <h2 id={`${headingId}-more`} className="cp-section-title">
                {t('customer.caseInfo.moreInfo')}
              </h2>
              <p className="cp-pre-line">{visibility.caseInfo.contactForMoreInfo}</p>
            </section>
          ) : (
            <p>{t('customer.unavailable.noContact')}</p>
          )}
        </Main>
      )}
    </div>
  );
}
