import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { CaseView } from '../../../common/contracts/case-api.ts';
import {
  acceptedDocumentExtensions,
  uploadDocumentKinds,
  type DocumentCustomerSharing,
  type DocumentView,
} from '../../../common/contracts/document-api.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import type { Page } from '../../../common/rules/pages.ts';
import { errorText, Notice, Pager, SelectField } from '../components.tsx';
import { usePagedList } from '../paging.ts';
import { ConfirmDialog } from '../dialog.tsx';
import { formatBytes, formatDateTime, formatDay } from '../format.ts';
import { caseKeys, officeOptions, usePartners } from './case-data.ts';
import { LogButton } from './CaseLog.tsx';
import { Thumbnails } from '../../shared/media.tsx';
import { staffImages, useMediaLabels } from './staff-media.ts';

const documentsKey = (caseId: string) => [...caseKeys.one(caseId), 'documents'] as const;
const accept = acceptedDocumentExtensions.map((extension) => `.${extension}`).join(',');

/**
 * The share icon (spec §9): beside a shared document it carries its text alternative; inside a
 * button that already says "Share" it is decorative (no label).
 */
export function SharedIcon({ label }: { label?: string }) {
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true };
  return (
    <svg className="shared-icon" {...a11y} viewBox="0 0 24 24" width="20" height="20" focusable="false">
      {label && <title>{label}</title>}
      <circle cx="18" cy="5" r="3" />
      <circle cx="6" cy="12" r="3" />
      <circle cx="18" cy="19" r="3" />
      <path d="M8.6 13.5l6.8 4M15.4 6.5l-6.8 4" fill="none" strokeWidth="2" />
    </svg>
  );
}

/**
 * The gear menu beside a shared document (spec §9): a button that shows its actions below it.
 * A disclosure (aria-expanded), so it works with the keyboard and a screen reader; Escape closes it.
 */
function GearMenu({ label, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const close = () => setOpen(false);
  return (
    <span
      className="gear-menu"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          close();
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="button-quiet button-small gear-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M19.4 13a7.5 7.5 0 0 0 0-2l2-1.6-2-3.4-2.4 1a7.6 7.6 0 0 0-1.7-1L15 3.5h-4l-.3 2.5a7.6 7.6 0 0 0-1.7 1l-2.4-1-2 3.4L4.6 11a7.5 7.5 0 0 0 0 2l-2 1.6 2 3.4 2.4-1a7.6 7.6 0 0 0 1.7 1l.3 2.5h4l.3-2.5a7.6 7.6 0 0 0 1.7-1l2.4 1 2-3.4-2-1.6zM12 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z" />
        </svg>
      </button>
      {open && (
        <span id={id} className="gear-menu-items">
          {children(close)}
        </span>
      )}
    </span>
  );
}

type Translate = ReturnType<typeof useLanguage>['t'];

/** Whether the customer sees the document now: shared by hand or by the report rule (issue 16). */
const customerSees = (doc: DocumentView) =>
  doc.customerSharing.state === 'shared_by_staff' || doc.customerSharing.state === 'shared_automatically';

/** Why the customer sees a document or not, as the server says it (`customerSharing`). */
function sharingText(sharing: DocumentCustomerSharing, t: Translate): string {
  const milestone = sharing.milestone ? t(`reportMilestone.${sharing.milestone}`) : '';
  const date = sharing.at ? formatDay(sharing.at) : '';
  switch (sharing.state) {
    case 'shared_by_staff':
      return sharing.by
        ? t('documents.sharedBy', { name: sharing.by, date })
        : t('documents.sharedOn', { date });
    case 'shared_automatically':
      return t('documents.sharedAutomatically', { milestone, date });
    case 'automatic_pending':
      return t('documents.sharedAutomaticallyLater', { milestone });
    case 'withheld':
      return sharing.by
        ? t('documents.withheldBy', { name: sharing.by, date })
        : t('documents.withheldOn', { date });
    case 'replaced':
      return t('documents.replaced');
    case 'not_shared':
      return t('documents.notShared');
  }
}

/** A confirmation the library asks for: share ticked documents, stop sharing one, or withhold a report. */
type Confirm = { mode: 'share' | 'unshare' | 'withhold'; docs: DocumentView[] };

/** The title and the confirming button of each confirmation. */
const confirmTexts: Record<Confirm['mode'], { title: MessageKey; confirm: MessageKey }> = {
  share: { title: 'documents.shareTitle', confirm: 'documents.shareConfirm' },
  unshare: { title: 'documents.unshare', confirm: 'documents.unshareConfirm' },
  withhold: { title: 'documents.withhold', confirm: 'documents.withhold' },
};

/**
 * The case's document library: upload with a kind, download, share ticked documents with the
 * customer after a confirmation, withdraw sharing, mark partner and customer uploads as seen, and
 * delete (offered where the server says `deletable`; always confirmed, and for a document the
 * customer sees the dialog says they will no longer see it). Each document says whether and why the
 * customer sees it — by hand, or by the report rule at its milestone — and a report of the rule can
 * be withheld (before or after its milestone) and shared again.
 */
export function DocumentsTab({ kase }: { kase: CaseView }) {
  const { t } = useLanguage();
  const mediaLabels = useMediaLabels();
  const queryClient = useQueryClient();
  // One page at a time, newest first, under the Pager (a long library stays quick to show).
  const documents = usePagedList<Page<DocumentView>>(documentsKey(kase.id), (paging) =>
    api.documents.list(kase.id, paging),
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [deleting, setDeleting] = useState<DocumentView | null>(null);
  const [done, setDone] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: caseKeys.one(kase.id) });
  const share = useMutation({
    mutationFn: ({ mode, docs }: Confirm) =>
      api.documents.share(
        kase.id,
        mode === 'share',
        docs.map((doc) => doc.id),
      ),
    onSuccess: async (_, { mode, docs }) => {
      setConfirm(null);
      setSelected([]);
      const name = docs[0]?.fileName ?? '';
      setDone(
        mode === 'share'
          ? t('documents.sharedDone', { names: docs.map((doc) => doc.fileName).join(', ') })
          : t(mode === 'withhold' ? 'documents.withheldDone' : 'documents.unsharedDone', { name }),
      );
      await refresh();
    },
  });
  const ask = (next: Confirm) => {
    share.reset();
    setConfirm(next);
  };
  const remove = useMutation({
    mutationFn: (doc: DocumentView) => api.documents.remove(kase.id, doc.id),
    onSuccess: async (_, doc) => {
      setDeleting(null);
      setSelected((list) => list.filter((id) => id !== doc.id));
      setDone(t('documents.deletedDone', { name: doc.fileName }));
      await refresh();
    },
    // A 404 (a colleague deleted it first) shows its error; the list is fetched again either way.
    onError: refresh,
  });
  const seen = useMutation({
    mutationFn: (id: string) => api.documents.markSeen(id),
    onSuccess: refresh,
  });
  const shareable = (documents.data?.items ?? []).filter(
    (doc) => selected.includes(doc.id) && !customerSees(doc),
  );

  return (
    <>
      <div className="panel-title">
        <h3>{t('documents.title')}</h3>
        <LogButton caseId={kase.id} topic="documents" title={t('documents.logTitle')} />
      </div>
      {done && <Notice kind="success">{done}</Notice>}
      {seen.isError && <Notice kind="error">{errorText(seen.error, t('common.errorGeneric'))}</Notice>}
      {!documents.data ? (
        <p role="status">{t('common.loading')}</p>
      ) : documents.data.total === 0 ? (
        <p>{t('documents.empty')}</p>
      ) : (
        <>
          <p className="muted">{t('documents.selectHint')}</p>
          <div className="button-row">
            <button
              type="button"
              className="button-quiet"
              aria-disabled={shareable.length === 0}
              onClick={() => {
                if (shareable.length === 0) return;
                ask({ mode: 'share', docs: shareable });
              }}
            >
              <SharedIcon /> {t('documents.shareSelected', { count: shareable.length })}
            </button>
          </div>
          <ul className="document-list">
            {documents.data.items.map((doc) => (
              <li key={doc.id} className="document-item">
                <div className="document-check">
                  {!customerSees(doc) && (
                    <input
                      type="checkbox"
                      className="row-check"
                      aria-label={t('documents.select', { name: doc.fileName })}
                      checked={selected.includes(doc.id)}
                      onChange={(event) =>
                        setSelected((list) =>
                          event.target.checked ? [...list, doc.id] : list.filter((id) => id !== doc.id),
                        )
                      }
                    />
                  )}
                </div>
                <div className="document-main">
                  <p className="file-name">
                    <a href={api.documents.downloadUrl(doc.id)} download={doc.fileName}>
                      {doc.fileName}
                    </a>
                    {doc.uploadedBy.kind === 'customer' && (
                      <span className="badge badge-from-customer">{t('documents.fromCustomer')}</span>
                    )}
                    {!doc.seen && <span className="badge badge-new">{t('documents.unseen')}</span>}
                  </p>
                  <Thumbnails images={staffImages([doc])} labels={mediaLabels} />
                  <dl className="document-meta">
                    <div>
                      <dt>{t('documents.kind')}</dt>
                      <dd>{t(`documentKind.${doc.kind}`)}</dd>
                    </div>
                    <div>
                      <dt>{t('documents.uploadedBy')}</dt>
                      <dd>
                        {doc.uploadedBy.name ?? ''} ({t(`uploaderKind.${doc.uploadedBy.kind}`)})
                      </dd>
                    </div>
                    <div>
                      <dt>{t('documents.uploadedAt')}</dt>
                      <dd>{formatDateTime(doc.createdAt)}</dd>
                    </div>
                    <div>
                      <dt>{t('documents.size')}</dt>
                      <dd>{formatBytes(doc.sizeBytes)}</dd>
                    </div>
                  </dl>
                </div>
                <div className="document-actions">
                  <SharingState doc={doc} onAsk={ask} />
                  {!doc.seen && (
                    <button
                      type="button"
                      className="button-quiet button-small"
                      aria-label={t('documents.markSeenLabel', { name: doc.fileName })}
                      onClick={() => seen.mutate(doc.id)}
                    >
                      {t('documents.markSeen')}
                    </button>
                  )}
                  {doc.deletable && (
                    <button
                      type="button"
                      className="button-quiet button-small"
                      aria-label={t('documents.deleteLabel', { name: doc.fileName })}
                      onClick={() => {
                        remove.reset();
                        setDeleting(doc);
                      }}
                    >
                      {t('documents.delete')}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <Pager page={documents.page} pages={documents.pages} onGo={documents.setPage} />
        </>
      )}
      {confirm && (
        <ConfirmDialog
          title={t(confirmTexts[confirm.mode].title)}
          message={
            confirm.mode === 'share' ? (
              <>
                <p>{t('documents.shareMessage')}</p>
                <ul>
                  {confirm.docs.map((doc) => (
                    <li key={doc.id}>{doc.fileName}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p>{unshareMessage(confirm, t)}</p>
            )
          }
          confirmLabel={t(confirmTexts[confirm.mode].confirm)}
          busy={share.isPending}
          error={
            share.isError && <Notice kind="error">{errorText(share.error, t('common.errorGeneric'))}</Notice>
          }
          onConfirm={() => share.mutate(confirm)}
          onClose={() => setConfirm(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('documents.deleteTitle')}
          message={
            <p>
              {t(customerSees(deleting) ? 'documents.deleteSharedMessage' : 'documents.deleteMessage', {
                name: deleting.fileName,
              })}
            </p>
          }
          confirmLabel={t('documents.deleteConfirm')}
          busy={remove.isPending}
          error={
            remove.isError && (
              <Notice kind="error">{errorText(remove.error, t('common.errorGeneric'))}</Notice>
            )
          }
          onConfirm={() => remove.mutate(deleting)}
          onClose={() => setDeleting(null)}
        />
      )}
      <UploadForm kase={kase} onUploaded={(name) => setDone(t('documents.uploaded', { name }))} />
    </>
  );
}

/** What stopping a share (or withholding a report) does, for its confirmation. */
function unshareMessage({ mode, docs }: Confirm, t: Translate): string {
  const doc = docs[0];
  const name = doc?.fileName ?? '';
  if (mode === 'withhold') {
    const milestone = doc?.customerSharing.milestone;
    return t('documents.withholdMessage', {
      name,
      milestone: milestone ? t(`reportMilestone.${milestone}`) : '',
    });
  }
  return t(
    doc?.customerSharing.state === 'shared_automatically'
      ? 'documents.unshareAutomaticMessage'
      : 'documents.unshareMessage',
    { name },
  );
}

const unshareAction = {
  mode: 'unshare',
  label: 'documents.unshare',
  aria: 'documents.unshareLabel',
} as const;

/** The gear menu's action for each sharing state (none: tick the document to share it). */
const sharingActions: Partial<
  Record<DocumentCustomerSharing['state'], { mode: Confirm['mode']; label: MessageKey; aria: MessageKey }>
> = {
  shared_by_staff: unshareAction,
  shared_automatically: unshareAction,
  automatic_pending: { mode: 'withhold', label: 'documents.withhold', aria: 'documents.withholdLabel' },
  withheld: { mode: 'share', label: 'documents.shareAgain', aria: 'documents.shareAgainLabel' },
};

/**
 * A document's sharing with the customer, and what can be done about it in its gear menu: stop
 * sharing what the customer sees, withhold a report before its milestone, share a withheld one again.
 */
function SharingState({ doc, onAsk }: { doc: DocumentView; onAsk: (confirm: Confirm) => void }) {
  const { t } = useLanguage();
  const text = sharingText(doc.customerSharing, t);
  const action = sharingActions[doc.customerSharing.state];
  return (
    <>
      {customerSees(doc) ? (
        <span className="shared sharing-state">
          <SharedIcon label={t('documents.shared')} />
          <span>{text}</span>
        </span>
      ) : (
        <span className="muted sharing-state">{text}</span>
      )}
      {action && (
        <GearMenu label={t('documents.menuLabel', { name: doc.fileName })}>
          {(close) => (
            <button
              type="button"
              className="button-quiet button-small"
              aria-label={t(action.aria, { name: doc.fileName })}
              onClick={() => {
                close();
                onAsk({ mode: action.mode, docs: [doc] });
              }}
            >
              {t(action.label)}
            </button>
          )}
        </GearMenu>
      )}
    </>
  );
}

function UploadForm({ kase, onUploaded }: { kase: CaseView; onUploaded: (name: string) => void }) {
  const { t } = useLanguage();
  const queryClient = useQueryClient();
  const partners = usePartners();
  const fileInput = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const [kind, setKind] = useState<string>('other');
  const [officeId, setOfficeId] = useState('');
  const [missing, setMissing] = useState(false);
  const send = useMutation({
    mutationFn: (file: File) =>
      api.documents.upload(kase.id, file, {
        kind,
        ...(officeId && { partnerOfficeId: officeId }),
      }),
    onSuccess: async (doc) => {
      if (fileInput.current) fileInput.current.value = '';
      onUploaded(doc.fileName);
      await queryClient.invalidateQueries({ queryKey: caseKeys.one(kase.id) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    setMissing(!file);
    if (file) send.mutate(file);
  }
  return (
    <form className="card" onSubmit={submit}>
      <h4>{t('documents.upload')}</h4>
      <div className="field">
        <label htmlFor={fileId}>{t('documents.file')}</label>
        <input
          id={fileId}
          ref={fileInput}
          type="file"
          accept={accept}
          aria-describedby={`${fileId}-hint`}
          aria-invalid={missing || undefined}
        />
        <p id={`${fileId}-hint`} className="field-hint">
          {t('documents.fileHint')}
        </p>
      </div>
      <SelectField
        label={t('documents.kind')}
        value={kind}
        onChange={setKind}
        options={uploadDocumentKinds.map((value) => ({ value, label: t(`documentKind.${value}`) }))}
      />
      <SelectField
        label={t('documents.onBehalfOf')}
        value={officeId}
        onChange={setOfficeId}
        options={[{ value: '', label: t('documents.noPartner') }, ...officeOptions(partners.data)]}
      />
      {missing && <Notice kind="error">{t('documents.chooseFile')}</Notice>}
      {send.isError && <Notice kind="error">{errorText(send.error, t('common.errorGeneric'))}</Notice>}
      <button type="submit" className="button-primary" disabled={send.isPending}>
        {t('documents.upload')}
      </button>
    </form>
  );
}
