import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type { InvoiceView, QuoteRequestView } from '../../../common/contracts/economy-api.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Field, Notice, SelectField, ShowOlder, TextAreaField } from '../components.tsx';
import { ConfirmDialog, Dialog } from '../dialog.tsx';
import { formatAmount, formatDate, formatDateTime, formatDay, parseKroner } from '../format.ts';
import { officeOptions, usePartners } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { useEconomyChange, useInvoices, useQuoteRequests, type EconomyFocus } from './economy-data.ts';

type T = (key: MessageKey, values?: Record<string, string | number>) => string;
type Office = InvoiceView['office'];

/** "Fjordbygg Drammen (Fjordbygg AS)", or "Outside the system" without a partner office. */
function partnerText(t: T, office: Office): string {
  if (!office) return t('invoices.outsidePartner');
  return office.partnerName ? `${office.name} (${office.partnerName})` : office.name;
}

/** Focus after a dialog has closed and given the focus back (dialog.tsx does so in one frame). */
function focusLater(target: RefObject<HTMLElement | null>) {
  requestAnimationFrame(() => requestAnimationFrame(() => target.current?.focus()));
}

/**
 * The case's invoices and quote requests (the guide's "Faktura" tab): invoices awaiting approval and
 * approved ones (who and when), approved at level 4 through a confirmation naming partner and amount;
 * quote requests to partner offices, answered or not; both registered here. `focus` (a link from the
 * invoice banner or the dashboard, `key` new per visit) moves the focus to the invoices or the quote
 * requests once they have loaded.
 */
export function InvoicesTab({
  kase,
  focus,
}: {
  kase: CaseView;
  focus?: { key: string; on: EconomyFocus } | null;
}) {
  const { t } = useLanguage();
  const invoicesHeading = useRef<HTMLHeadingElement>(null);
  const quotesHeading = useRef<HTMLHeadingElement>(null);
  const invoices = useInvoices(kase.id);
  const requests = useQuoteRequests(kase.id);
  const target = focus?.on === 'quote-requests' ? requests : invoices;
  const loaded = Boolean(target.first) || target.isError;
  const focusKey = focus?.key;
  const focusOn = focus?.on;
  useEffect(() => {
    if (!focusKey || !loaded) return;
    const heading = (focusOn === 'quote-requests' ? quotesHeading : invoicesHeading).current;
    heading?.focus({ preventScroll: true });
    heading?.scrollIntoView({ block: 'start' });
  }, [focusKey, focusOn, loaded]);
  return (
    <>
      <div className="panel-title">
        <h3>{t('tabs.invoices')}</h3>
        <LogButton caseId={kase.id} topic="economy" title={t('invoices.logTitle')} />
      </div>
      <Invoices kase={kase} invoices={invoices} heading={invoicesHeading} />
      <QuoteRequests kase={kase} requests={requests} heading={quotesHeading} />
    </>
  );
}

function Invoices({
  kase,
  invoices,
  heading,
}: {
  kase: CaseView;
  invoices: ReturnType<typeof useInvoices>;
  heading: RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useLanguage();
  const [registering, setRegistering] = useState(false);
  const [confirming, setConfirming] = useState<InvoiceView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const canApprove = kase.allowedActions.approveInvoices === 'allowed';
  const approve = useEconomyChange(kase.id, (invoice: InvoiceView) => api.invoices.approve(invoice.id));
  const describe = (invoice: InvoiceView) => ({
    partner: partnerText(t, invoice.office),
    amount: formatAmount(invoice.amountOre),
  });
  return (
    <section className="tab-section economy-section" aria-labelledby="invoices-title">
      <h4 id="invoices-title" ref={heading} tabIndex={-1} className="economy-heading">
        {t('invoices.invoicesTitle')}
      </h4>
      {!canApprove && <p className="muted">{t('invoices.needsLevel')}</p>}
      {invoices.isError ? (
        <Notice kind="error">{errorText(invoices.error, t('common.errorGeneric'))}</Notice>
      ) : !invoices.first ? (
        <p role="status">{t('common.loading')}</p>
      ) : invoices.items.length === 0 ? (
        <p className="muted">{t('invoices.invoicesEmpty')}</p>
      ) : (
        <ul className="economy-list">
          {invoices.items.map((invoice) => (
            <li key={invoice.id} className="economy-item">
              <div className="economy-item-head">
                <strong>{partnerText(t, invoice.office)}</strong>
                <strong className="amount">{formatAmount(invoice.amountOre)}</strong>
              </div>
              <p className="pre-line">{invoice.description}</p>
              <p className="economy-meta">
                <span>{t('invoices.receivedOn', { date: formatDay(invoice.createdAt) })}</span>
                <span>{t('invoices.dueOn', { date: formatDate(invoice.dueOn) })}</span>
              </p>
              <div className="economy-state">
                {invoice.status === 'awaiting_approval' ? (
                  <>
                    <span className="badge badge-awaiting">{t('invoices.awaiting')}</span>
                    {canApprove && (
                      <button
                        type="button"
                        className="button-primary button-small"
                        aria-label={t('invoices.approveLabel', describe(invoice))}
                        onClick={() => {
                          approve.reset();
                          setDone(null);
                          setConfirming(invoice);
                        }}
                      >
                        {t('invoices.approve')}
                      </button>
                    )}
                  </>
                ) : (
                  <span className="badge badge-approved">
                    {invoice.approvedBy
                      ? t('invoices.approvedBy', {
                          name: invoice.approvedBy,
                          date: formatDateTime(invoice.approvedAt ?? invoice.createdAt),
                        })
                      : t('invoices.approvedOn', {
                          date: formatDateTime(invoice.approvedAt ?? invoice.createdAt),
                        })}
                  </span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ShowOlder list={invoices} showCount={false} label={t('paging.showMore')} />
      {done && <Notice kind="success">{done}</Notice>}
      <button
        type="button"
        className="button-quiet"
        onClick={() => {
          setDone(null);
          setRegistering(true);
        }}
      >
        {t('invoices.newInvoice')}
      </button>
      {registering && (
        <InvoiceDialog
          kase={kase}
          onClose={() => setRegistering(false)}
          onSaved={() => {
            setRegistering(false);
            setDone(t('invoices.invoiceSaved'));
          }}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t('invoices.approveTitle')}
          message={
            <>
              <p>{t('invoices.approveQuestion', describe(confirming))}</p>
              <p className="muted">{t('invoices.approveNote')}</p>
            </>
          }
          confirmLabel={t('invoices.approveConfirm')}
          busy={approve.isPending}
          error={
            approve.isError && (
              <Notice kind="error">{errorText(approve.error, t('common.errorGeneric'))}</Notice>
            )
          }
          onConfirm={() =>
            !approve.isPending &&
            approve.mutate(confirming, {
              onSuccess: () => {
                setDone(t('invoices.approvedSaved', describe(confirming)));
                setConfirming(null);
                // The approve button is gone with the approval: the focus goes to the invoices.
                focusLater(heading);
              },
            })
          }
          onClose={() => setConfirming(null)}
        />
      )}
    </section>
  );
}

/** Registers an invoice: partner office (or none), description, amount in kroner, due date. */
function InvoiceDialog({
  kase,
  onClose,
  onSaved,
}: {
  kase: CaseView;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useLanguage();
  const partners = usePartners();
  const [officeId, setOfficeId] = useState('');
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [badAmount, setBadAmount] = useState(false);
  const save = useEconomyChange(kase.id, (amountOre: number) =>
    api.invoices.create(kase.id, {
      ...(officeId && { officeId }),
      description,
      amountOre,
      dueOn,
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    const amountOre = parseKroner(amount);
    setBadAmount(amountOre === null || amountOre === 0);
    if (amountOre === null || amountOre === 0 || save.isPending) return;
    save.mutate(amountOre, { onSuccess: onSaved });
  }
  return (
    <Dialog title={t('invoices.newInvoice')} onClose={onClose}>
      <form onSubmit={submit}>
        <SelectField
          label={t('invoices.partner')}
          value={officeId}
          onChange={setOfficeId}
          options={[{ value: '', label: t('invoices.noPartner') }, ...officeOptions(partners.data)]}
        />
        <TextAreaField
          label={t('invoices.description')}
          value={description}
          required
          maxLength={2000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
        <Field
          label={t('invoices.amount')}
          value={amount}
          required
          inputMode="decimal"
          autoComplete="off"
          placeholder={t('invoices.amountHint')}
          error={badAmount ? t('invoices.invalidAmount') : undefined}
          onChange={(e) => setAmount(e.target.value)}
        />
        <Field
          label={t('invoices.dueDate')}
          type="date"
          value={dueOn}
          required
          onChange={(e) => setDueOn(e.target.value)}
        />
        {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {t('invoices.register')}
          </button>
          <button type="button" className="button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function QuoteRequests({
  kase,
  requests,
  heading,
}: {
  kase: CaseView;
  requests: ReturnType<typeof useQuoteRequests>;
  heading: RefObject<HTMLHeadingElement | null>;
}) {
  const { t } = useLanguage();
  const [registering, setRegistering] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  // What each pending quote came to, as typed (kroner); optional, read by cost control.
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [amountError, setAmountError] = useState<string | null>(null);
  const answer = useEconomyChange(kase.id, (request: QuoteRequestView) => {
    const typed = (amounts[request.id] ?? '').trim();
    return api.quoteRequests.markAnswered(request.id, typed ? parseKroner(typed) : null);
  });
  return (
    <section className="tab-section economy-section" aria-labelledby="quotes-title">
      <h4 id="quotes-title" ref={heading} tabIndex={-1} className="economy-heading">
        {t('invoices.quotesTitle')}
      </h4>
      {requests.isError ? (
        <Notice kind="error">{errorText(requests.error, t('common.errorGeneric'))}</Notice>
      ) : !requests.first ? (
        <p role="status">{t('common.loading')}</p>
      ) : requests.items.length === 0 ? (
        <p className="muted">{t('invoices.quotesEmpty')}</p>
      ) : (
        <ul className="economy-list">
          {requests.items.map((request) => (
            <li key={request.id} className="economy-item">
              <div className="economy-item-head">
                <strong>{partnerText(t, request.office)}</strong>
              </div>
              <p className="pre-line">{request.description}</p>
              <p className="economy-meta">
                <span>{t('invoices.sentOn', { date: formatDay(request.createdAt) })}</span>
                <span>{t('invoices.deadlineOn', { date: formatDate(request.deadlineOn) })}</span>
              </p>
              <div className="economy-state">
                {request.status === 'pending' ? (
                  <>
                    <span className="badge badge-awaiting">{t('invoices.pending')}</span>
                    <label className="quote-amount">
                      <span>{t('invoices.quoteAmount')}</span>
                      <input
                        inputMode="decimal"
                        autoComplete="off"
                        aria-label={t('invoices.quoteAmountLabel', { text: request.description })}
                        value={amounts[request.id] ?? ''}
                        onChange={(event) => setAmounts({ ...amounts, [request.id]: event.target.value })}
                      />
                    </label>
                    <button
                      type="button"
                      className="button-quiet button-small"
                      aria-label={t('invoices.markAnsweredLabel', { text: request.description })}
                      onClick={() => {
                        const typed = (amounts[request.id] ?? '').trim();
                        if (typed && parseKroner(typed) === null) {
                          setAmountError(t('invoices.quoteAmountInvalid'));
                          return;
                        }
                        setAmountError(null);
                        if (!answer.isPending)
                          answer.mutate(request, {
                            onSuccess: () => {
                              setDone(t('invoices.answeredSaved'));
                              // The button is gone with the answer: the focus goes to the list's heading.
                              focusLater(heading);
                            },
                          });
                      }}
                    >
                      {t('invoices.markAnswered')}
                    </button>
                  </>
                ) : (
                  <span className="badge badge-approved">
                    {t('invoices.answeredOn', {
                      date: formatDateTime(request.answeredAt ?? request.createdAt),
                    })}
                  </span>
                )}
                {request.status === 'answered' && request.amountOre !== null && (
                  <span>{t('invoices.quotedAmount', { amount: formatAmount(request.amountOre) })}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ShowOlder list={requests} showCount={false} label={t('paging.showMore')} />
      {amountError && <Notice kind="error">{amountError}</Notice>}
      {answer.isError && <Notice kind="error">{errorText(answer.error, t('common.errorGeneric'))}</Notice>}
      {done && <Notice kind="success">{done}</Notice>}
      <button
        type="button"
        className="button-quiet"
        onClick={() => {
          setDone(null);
          answer.reset();
          setRegistering(true);
        }}
      >
        {t('invoices.newQuote')}
      </button>
      {registering && (
        <QuoteRequestDialog
          kase={kase}
          onClose={() => setRegistering(false)}
          onSaved={() => {
            setRegistering(false);
            setDone(t('invoices.quoteSaved'));
          }}
        />
      )}
    </section>
  );
}

/** Registers a quote request: partner office (or none), what is asked, the answer deadline. */
function QuoteRequestDialog({
  kase,
  onClose,
  onSaved,
}: {
  kase: CaseView;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useLanguage();
  const partners = usePartners();
  const [officeId, setOfficeId] = useState('');
  const [description, setDescription] = useState('');
  const [deadlineOn, setDeadlineOn] = useState('');
  const save = useEconomyChange(kase.id, () =>
    api.quoteRequests.create(kase.id, { ...(officeId && { officeId }), description, deadlineOn }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!save.isPending) save.mutate(undefined, { onSuccess: onSaved });
  }
  return (
    <Dialog title={t('invoices.newQuote')} onClose={onClose}>
      <form onSubmit={submit}>
        <SelectField
          label={t('invoices.partner')}
          value={officeId}
          onChange={setOfficeId}
          options={[{ value: '', label: t('invoices.noPartner') }, ...officeOptions(partners.data)]}
        />
        <TextAreaField
          label={t('invoices.asked')}
          value={description}
          required
          maxLength={5000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
        <Field
          label={t('invoices.deadline')}
          type="date"
          value={deadlineOn}
          required
          onChange={(e) => setDeadlineOn(e.target.value)}
        />
        {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={save.isPending}>
            {t('invoices.register')}
          </button>
          <button type="button" className="button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
