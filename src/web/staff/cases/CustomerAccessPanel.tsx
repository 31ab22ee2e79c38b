import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import type {
  CustomerAccessListView,
  CustomerAccessPersonView,
} from '../../../common/contracts/customer-access-api.ts';
import { sendLinkValues, type SendLink } from '../../../common/rules/customer-page-settings.ts';
import { phoneKind, toE164 } from '../../../common/rules/phone.ts';
import { useLanguage } from '../../shared/language.tsx';
import { ApiError } from '../api.ts';
import { errorText, Notice, SaveCancel, SelectField } from '../components.tsx';
import { apiErrorText } from '../error-text.tsx';
import { ConfirmDialog, Dialog } from '../dialog.tsx';
import { formatDateTime } from '../format.ts';
import { formatPhone } from '../phone.tsx';
import { LogButton } from './CaseLog.tsx';
import { CustomerIdentification } from './CustomerIdentification.tsx';
import { useAccessChange, useCustomerAccess, useNewLink, useSendLinkChange } from './customer-access-data.ts';
import { useInlineEditor } from './use-inline-editor.ts';

type T = ReturnType<typeof useLanguage>['t'];

const sendLinkLabel = (t: T, value: SendLink) => t(`events.sendLink_${value}`);

/** "3 personer har tilgang til kundesiden", with the right words for none and one. */
function countText(t: T, count: number): string {
  if (count === 0) return t('customerAccess.count_0');
  if (count === 1) return t('customerAccess.count_1');
  return t('customerAccess.count_n', { count });
}

/** A refused grant or link in the reader's words; a missing mobile number has its own. */
function accessErrorText(t: T, error: unknown): string {
  if (error instanceof ApiError && error.code === 'mobile_required')
    return t('customerAccess.mobileRequiredError');
  return apiErrorText(t, error, t('common.errorGeneric'));
}

/**
 * The people who cannot open the page for want of a mobile number (SMS code on): those with access,
 * and those the company's setting would give it (their link is held back until one is added).
 */
const missingMobile = (data: CustomerAccessListView) =>
  data.people.filter(
    (person) =>
      person.mobileMissing && (person.state === 'active' || (person.state !== 'removed' && person.eligible)),
  );

/**
 * "Kundeside" on the case page (spec §9): the access symbol with the number of people with access,
 * which opens the list where staff grant or remove access, and "Send link til kundesiden" with
 * Edit and Log.
 */
export function CustomerAccessPanel({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const access = useCustomerAccess(kase.id);
  const data = access.data;

  return (
    <section className="panel" aria-labelledby="customer-access-title">
      <div className="panel-title">
        <h2 id="customer-access-title">{t('customerAccess.title')}</h2>
        <AccessSymbol kase={kase} />
      </div>
      {access.isError ? (
        <Notice kind="error">{t('customerAccess.loadError')}</Notice>
      ) : !data ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <>
          <p className="access-summary">{countText(t, data.activeCount)}</p>
          {!data.caseReachable && <p className="notice notice-info">{t('customerAccess.unreachableCase')}</p>}
          <MissingMobileNote data={data} />
          <SendLinkSetting caseId={kase.id} data={data} />
        </>
      )}
    </section>
  );
}

/**
 * The access symbol (spec §9): how many people have access to the customer page; pressing it opens
 * the list where staff grant or remove access. Shown in the "Kundeside" panel and at the top right of
 * the customer communication.
 */
export function AccessSymbol({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const access = useCustomerAccess(kase.id);
  const [listOpen, setListOpen] = useState(false);
  const data = access.data;
  if (!data) return null;
  return (
    <>
      <button
        type="button"
        className="access-symbol"
        aria-label={countText(t, data.activeCount)}
        aria-haspopup="dialog"
        onClick={() => setListOpen(true)}
      >
        <PeopleIcon />
        <span className="access-count">{data.activeCount}</span>
      </button>
      {listOpen && (
        <Dialog title={t('customerAccess.listTitle')} onClose={() => setListOpen(false)} wide>
          <AccessList caseId={kase.id} data={data} />
        </Dialog>
      )}
    </>
  );
}

/** "1 person mangler mobilnummer …" under the count, while someone cannot get the SMS code. */
function MissingMobileNote({ data }: { data: CustomerAccessListView }) {
  const { t } = useLanguage();
  const count = missingMobile(data).length;
  if (count === 0) return null;
  return (
    <p className="access-warning">
      {count === 1
        ? t('customerAccess.mobileMissingCount_1')
        : t('customerAccess.mobileMissingCount_n', { count })}
    </p>
  );
}

/** Two people: the symbol of "who has access". Decorative; the button carries the words. */
function PeopleIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 24 24">
      <circle cx="9" cy="8" r="3.5" fill="currentColor" />
      <path d="M2 20c0-4 3.1-6.5 7-6.5s7 2.5 7 6.5z" fill="currentColor" />
      <circle cx="17" cy="9" r="2.8" fill="currentColor" opacity="0.75" />
      <path
        d="M15.5 13.8c3.6-.5 6.5 1.7 6.5 5.2h-4.6c0-2-.7-3.8-1.9-5.2z"
        fill="currentColor"
        opacity="0.75"
      />
    </svg>
  );
}

/** "Send link til kundesiden": the effective value and its source, Edit (a select and Save) and Log. */
function SendLinkSetting({ caseId, data }: { caseId: string; data: CustomerAccessListView }) {
  const { t } = useLanguage();
  const setting = data.sendLink;
  const editor = useInlineEditor();
  const [value, setValue] = useState('');
  const save = useSendLinkChange(caseId);

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = sendLinkValues.find((candidate) => candidate === value) ?? null;
    save.mutate(next, { onSuccess: editor.close });
  }
  const label = t('customerAccess.sendLink');

  return (
    <div className="send-link">
      <div className="send-link-head">
        <h3 id="send-link-title">{label}</h3>
        {!editor.editing && (
          <span className="row-actions">
            <button
              ref={editor.editButton}
              type="button"
              className="button-quiet button-small"
              aria-label={t('customerAccess.editLabel')}
              onClick={() => {
                setValue(setting.caseOverride ?? '');
                save.reset();
                editor.open();
              }}
            >
              {t('customerAccess.edit')}
            </button>
            <LogButton caseId={caseId} topic="customer_access" title={t('customerAccess.logTitle')} />
          </span>
        )}
      </div>
      {editor.editing ? (
        <form ref={editor.form} className="inline-form" onSubmit={submit} aria-labelledby="send-link-title">
          <SelectField
            label={label}
            hideLabel
            value={value}
            onChange={setValue}
            options={[
              {
                value: '',
                label: t('customerAccess.useCompany', {
                  value: sendLinkLabel(t, setting.companyDefault),
                }),
              },
              ...sendLinkValues.map((option) => ({ value: option, label: sendLinkLabel(t, option) })),
            ]}
          />
          <SaveCancel pending={save.isPending} onCancel={editor.close} />
          {save.isError && <Notice kind="error">{errorText(save.error, t('common.errorGeneric'))}</Notice>}
        </form>
      ) : (
        <>
          <p className="send-link-value">
            <strong>{sendLinkLabel(t, setting.effective)}</strong>{' '}
            <span className="muted">
              ({setting.caseOverride ? t('customerAccess.sendLinkCase') : t('customerAccess.sendLinkCompany')}
              )
            </span>
          </p>
          <p className="muted send-link-note">
            {setting.effective === 'manual'
              ? t('customerAccess.sendLinkManualNote')
              : setting.due
                ? t('customerAccess.sendLinkDue')
                : t('customerAccess.sendLinkNotDue')}
          </p>
        </>
      )}
      {save.isSuccess && !editor.editing && (
        <Notice kind="success">
          {t('customerAccess.saved', { value: sendLinkLabel(t, setting.effective) })}
        </Notice>
      )}
    </div>
  );
}

/** The people of the case with their access, channels, last use and link deliveries; grant and remove. */
function AccessList({ caseId, data }: { caseId: string; data: CustomerAccessListView }) {
  const { t } = useLanguage();
  const change = useAccessChange(caseId);
  const newLink = useNewLink(caseId);
  const [confirming, setConfirming] = useState<CustomerAccessPersonView | null>(null);
  // The person whose mobile number is asked for before a grant or a new link (SMS code on).
  const [asking, setAsking] = useState<{ person: CustomerAccessPersonView; action: MobileAction } | null>(
    null,
  );
  const [done, setDone] = useState<string | null>(null);

  function grant(person: CustomerAccessPersonView, phone?: string) {
    setDone(null);
    change.mutate(
      { contactId: person.contactId, grant: true, ...(phone ? { phone } : {}) },
      {
        onSuccess: () => {
          setAsking(null);
          setDone(t('customerAccess.granted', { name: person.name }));
        },
      },
    );
  }
  function sendNewLink(person: CustomerAccessPersonView, phone?: string) {
    setDone(null);
    change.reset();
    newLink.mutate(
      { contactId: person.contactId, ...(phone ? { phone } : {}) },
      {
        onSuccess: () => {
          setAsking(null);
          setDone(t('customerAccess.newLinkSent', { name: person.name }));
        },
      },
    );
  }
  /** With the SMS code on and no mobile number, the number is asked for first. */
  function start(person: CustomerAccessPersonView, action: MobileAction) {
    if (person.mobileMissing) {
      change.reset();
      newLink.reset();
      setDone(null);
      setAsking({ person, action });
    } else if (action === 'grant') {
      grant(person);
    } else {
      sendNewLink(person);
    }
  }
  const askingError = asking ? (asking.action === 'grant' ? change : newLink) : null;
  function remove(person: CustomerAccessPersonView) {
    setDone(null);
    change.mutate(
      { contactId: person.contactId, grant: false },
      {
        onSuccess: () => {
          setConfirming(null);
          setDone(t('customerAccess.removed', { name: person.name }));
        },
      },
    );
  }

  return (
    <>
      <p className="access-count-line">
        <strong>{countText(t, data.activeCount)}</strong>
      </p>
      <p>
        {t('customerAccess.listIntro', { accessFor: t(`customerAccess.accessFor_${data.accessFor}`) })}
        {data.bankIdSignIn ? (
          <> {t('customerAccess.bankIdOn')}</>
        ) : (
          data.smsSecurityCode && <> {t('customerAccess.smsOn')}</>
        )}
      </p>
      {!data.caseReachable && <p className="notice notice-info">{t('customerAccess.unreachableCase')}</p>}
      {done && <Notice kind="success">{done}</Notice>}
      {change.isError && !confirming && !asking && (
        <Notice kind="error">{accessErrorText(t, change.error)}</Notice>
      )}
      {newLink.isError && !asking && <Notice kind="error">{accessErrorText(t, newLink.error)}</Notice>}
      {data.people.length === 0 ? (
        <p>{t('customerAccess.noPeople')}</p>
      ) : (
        <ul className="access-list">
          {data.people.map((person) => (
            <PersonAccess
              key={person.contactId}
              person={person}
              busy={change.isPending || newLink.isPending}
              onGrant={() => start(person, 'grant')}
              onNewLink={() => start(person, 'newLink')}
              onRemove={() => {
                change.reset();
                newLink.reset();
                setConfirming(person);
              }}
            />
          ))}
        </ul>
      )}
      {asking && (
        <MobileDialog
          person={asking.person}
          action={asking.action}
          busy={change.isPending || newLink.isPending}
          onSave={(phone) =>
            asking.action === 'grant' ? grant(asking.person, phone) : sendNewLink(asking.person, phone)
          }
          onClose={() => setAsking(null)}
          error={
            askingError?.isError ? (
              <Notice kind="error">{accessErrorText(t, askingError.error)}</Notice>
            ) : undefined
          }
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t('customerAccess.removeTitle')}
          message={<p>{t('customerAccess.removeMessage', { name: confirming.name })}</p>}
          confirmLabel={t('customerAccess.removeConfirm')}
          busy={change.isPending}
          onConfirm={() => remove(confirming)}
          onClose={() => setConfirming(null)}
          error={
            change.isError ? (
              <Notice kind="error">{errorText(change.error, t('common.errorGeneric'))}</Notice>
            ) : undefined
          }
        />
      )}
    </>
  );
}

type MobileAction = 'grant' | 'newLink';

/**
 * The grant (or new link) of a person without a mobile number while the SMS code is on: says why the
 * link would lead nowhere, and takes the number first — refusing a landline before it is sent, as the
 * server would. The number is saved on the person with the grant, in one change.
 */
function MobileDialog({
  person,
  action,
  busy,
  error,
  onSave,
  onClose,
}: {
  person: CustomerAccessPersonView;
  action: MobileAction;
  busy: boolean;
  error: ReactNode;
  onSave: (phone: string) => void;
  onClose: () => void;
}) {
  const { t } = useLanguage();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState('');

  function check(value: string): string {
    if (value.trim() === '') return t('customerAccess.mobileEmpty');
    const kind = phoneKind(value);
    if (kind === 'invalid') return t('customerAccess.mobileInvalid');
    if (kind === 'landline') {
      return t('customerAccess.mobileIsLandline', { number: formatPhone(toE164(value) ?? value) });
    }
    return '';
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = check(number);
    setProblem(found);
    const e164 = toE164(number);
    if (found || !e164) {
      input.current?.focus();
      return;
    }
    onSave(e164);
  }

  const hasLandline = person.phone !== null && person.phoneKind === 'landline';
  const errorId = `${id}-error`;
  return (
    <Dialog title={t('customerAccess.mobileTitle')} onClose={onClose}>
      <p>
        {hasLandline && person.phone
          ? t('customerAccess.mobileIntroLandline', { name: person.name, number: formatPhone(person.phone) })
          : t('customerAccess.mobileIntro', { name: person.name })}
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-mobile`}>{t('customerAccess.mobileLabel')}</label>
          <input
            ref={input}
            id={`${id}-mobile`}
            type="tel"
            inputMode="tel"
            autoComplete="off"
            value={number}
            onChange={(event) => {
              const value = event.target.value;
              setNumber(value);
              // A whole landline number is said at once; anything else waits for the submit.
              setProblem(phoneKind(value) === 'landline' ? check(value) : '');
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-hint ${errorId}` : `${id}-hint`}
          />
          <p id={`${id}-hint`} className="field-hint">
            {t('customerAccess.mobileHint')}
          </p>
          {problem && (
            <p id={errorId} className="field-error">
              {problem}
            </p>
          )}
        </div>
        {error}
        <div className="button-row">
          <button type="submit" className="button-primary" aria-disabled={busy || undefined}>
            {action === 'grant' ? t('customerAccess.mobileSaveGrant') : t('customerAccess.mobileSaveNewLink')}
          </button>
          <button type="button" className="button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Delivery = CustomerAccessPersonView['messages'][number];

/**
 * A message's state as staff read it. An SMS the provider took shows what its delivery report said:
 * sent to the provider (no report yet), delivered to the phone, or not delivered with the reason.
 */
function deliveryText(t: T, message: Delivery): { text: string; tone: string } {
  if (message.state === 'sent' && message.deliveredVia === 'sms-webhook') {
    if (message.providerStatus === 'failed') {
      const reason = message.providerError ?? t('customerAccess.providerNoReason');
      return { text: t('customerAccess.provider_failed', { reason }), tone: 'failed' };
    }
    return { text: t(`customerAccess.provider_${message.providerStatus ?? 'sent'}`), tone: 'sent' };
  }
  if (message.state === 'failed') {
    return { text: t('customerAccess.failedReason', { reason: message.lastError ?? '' }), tone: 'failed' };
  }
  if (message.state === 'queued' && message.lastError) {
    return { text: t('customerAccess.retrying', { reason: message.lastError }), tone: 'queued' };
  }
  return { text: t(`customerAccess.delivery_${message.state}`), tone: message.state };
}

function PersonAccess({
  person,
  busy,
  onGrant,
  onNewLink,
  onRemove,
}: {
  person: CustomerAccessPersonView;
  busy: boolean;
  onGrant: () => void;
  onNewLink: () => void;
  onRemove: () => void;
}) {
  const { t } = useLanguage();
  const headingId = `access-person-${person.contactId}`;
  const links = person.messages.filter((message) => message.kind === 'customer_link');
  // The newest link message of each channel: what the person last got.
  const latest = ['email', 'sms'].flatMap((channel) => {
    const message = links.find((candidate) => candidate.channel === channel);
    return message ? [message] : [];
  });
  // And the newest SMS security code, whose delivery the person needs to get in.
  const code = person.messages.find((message) => message.kind === 'sms_code');
  if (code) latest.push(code);
  const granter = person.grantedBy;
  // Without e-mail or phone, a mobile number added with the grant makes the person reachable.
  const canAct = person.state !== 'unreachable' || person.mobileMissing;
  const active = person.state === 'active';
  const mobileMissing = person.mobileMissing && person.state !== 'removed';

  return (
    <li className="access-person">
      <div className="access-person-head">
        <h3 id={headingId}>
          {person.name} <span className="muted">({t(`contactRole.${person.role}`)})</span>
        </h3>
        <span className="access-badges">
          <span className={`badge badge-access-${person.state}`}>
            {t(`customerAccess.state_${person.state}`)}
          </span>
          {mobileMissing && (
            <span className="badge badge-access-unreachable">{t('customerAccess.mobileMissing')}</span>
          )}
        </span>
      </div>
      {person.state === 'unreachable' && !mobileMissing && (
        <p className="access-warning">{t('customerAccess.unreachableHelp')}</p>
      )}
      {mobileMissing && (
        <p className="access-warning">
          {t(active ? 'customerAccess.mobileMissingActiveHelp' : 'customerAccess.mobileMissingHelp', {
            name: person.name,
          })}
        </p>
      )}
      {person.codeLockedAt && (
        <p className="access-warning">
          <strong>{t('customerAccess.codeLocked')}</strong>{' '}
          {t('customerAccess.codeLockedAt', { date: formatDateTime(person.codeLockedAt) })}{' '}
          {t('customerAccess.codeLockedHelp')}
        </p>
      )}
      <dl className="facts access-facts">
        <dt>{t('customerAccess.channels')}</dt>
        <dd>
          {person.channels.length === 0 ? (
            <span className="muted">{t('customerAccess.noChannels')}</span>
          ) : (
            <ul className="plain-list">
              {person.email && person.channels.includes('email') && (
                <li>
                  {t('customerAccess.email')}: <span className="break">{person.email}</span>
                </li>
              )}
              {person.phone && person.channels.includes('sms') && (
                <li>
                  {t('customerAccess.sms')}: {formatPhone(person.phone)}
                  {person.phoneKind === 'landline' && (
                    <span className="muted"> ({t('customerAccess.landline')})</span>
                  )}
                </li>
              )}
            </ul>
          )}
        </dd>
        {person.grantedAt && (
          <>
            <dt>{t('customerAccess.grantedAt')}</dt>
            <dd>
              {granter?.name
                ? t('customerAccess.grantedBy', {
                    date: formatDateTime(person.grantedAt),
                    name: granter.name,
                  })
                : t('customerAccess.grantedBySystem', { date: formatDateTime(person.grantedAt) })}
            </dd>
          </>
        )}
        {person.state === 'removed' && person.removedAt && (
          <>
            <dt>{t('customerAccess.removedAt')}</dt>
            <dd>{formatDateTime(person.removedAt)}</dd>
          </>
        )}
        {person.state !== 'unreachable' && (
          <>
            <dt>{t('customerAccess.lastUsed')}</dt>
            <dd>{person.lastUsedAt ? formatDateTime(person.lastUsedAt) : t('customerAccess.neverUsed')}</dd>
          </>
        )}
        {person.state !== 'unreachable' && (
          <>
            <dt>{t('customerAccess.identifiedBy')}</dt>
            <dd>
              <CustomerIdentification identification={person.identification} />
            </dd>
          </>
        )}
        {person.state !== 'unreachable' && (
          <>
            <dt>{t('customerAccess.messages')}</dt>
            <dd>
              {latest.length === 0 ? (
                <span className="muted">{t('customerAccess.noMessages')}</span>
              ) : (
                <ul className="plain-list delivery-list">
                  {latest.map((message) => (
                    <li key={message.id}>
                      {message.kind === 'sms_code'
                        ? t('customerAccess.smsCodeMessage')
                        : message.channel === 'sms'
                          ? t('customerAccess.sms')
                          : t('customerAccess.email')}
                      :{' '}
                      <span className={`delivery delivery-${deliveryText(t, message).tone}`}>
                        {deliveryText(t, message).text}
                      </span>{' '}
                      <span className="muted">
                        {formatDateTime(message.providerStatusAt ?? message.sentAt ?? message.createdAt)}
                        {message.deliveredVia === 'dev-mailbox' && (
                          <> {t('customerAccess.deliveredViaDev')}</>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        )}
      </dl>
      {canAct && (
        <div className="button-row">
          {/* One button whose label follows the state, so focus returns to it after the confirmation. */}
          <button
            type="button"
            className={active ? 'button-quiet button-danger' : 'button-primary'}
            aria-label={t(active ? 'customerAccess.removeLabel' : 'customerAccess.grantLabel', {
              name: person.name,
            })}
            aria-disabled={busy || undefined}
            onClick={() => {
              if (!busy) (active ? onRemove : onGrant)();
            }}
          >
            {t(active ? 'customerAccess.remove' : 'customerAccess.grant')}
          </button>
          {active && (
            <button
              type="button"
              className={person.codeLockedAt ? 'button-primary' : 'button-quiet'}
              aria-label={t('customerAccess.newLinkLabel', { name: person.name })}
              aria-disabled={busy || undefined}
              onClick={() => {
                if (!busy) onNewLink();
              }}
            >
              {t('customerAccess.newLink')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}
