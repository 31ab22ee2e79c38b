import { useState, type ReactNode } from 'react';
import type { MilestonePreviewView, MilestoneStep } from '../../../common/contracts/milestone-preview-api.ts';
import { formatPhoneNumber } from '../../../common/rules/phone-format.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';
import { ConfirmDialog } from '../dialog.tsx';
import { useContractor } from './portal.ts';

/** Whether a step changes anything the customer sees or sends anyone anything. */
const changesForCustomer = (preview: MilestonePreviewView) =>
  preview.newlyVisible.length > 0 || preview.reportsShared.length > 0 || preview.notified.length > 0;

interface Asked {
  preview: MilestonePreviewView;
  proceed: () => Promise<unknown>;
}

/**
 * Confirmation before a step that moves a milestone of the customer page (issue 16 item 3): asks
 * the server what the step would open to the customer, share and send (`milestone-preview`, the
 * rules the step itself runs). A step that changes nothing for the customer goes ahead at once (one
 * click, as before); otherwise a dialog says what the customer will see and who gets a link, and
 * the step is saved only when confirmed. `confirmThen(step, proceed)`: `proceed` saves the step and
 * rejects on failure (the dialog stays open and shows why).
 */
export function useMilestoneConfirm(caseId: string) {
  const { t } = useLanguage();
  const [asked, setAsked] = useState<Asked | null>(null);
  const [checking, setChecking] = useState(false);
  const [previewError, setPreviewError] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

  async function confirmThen(step: MilestoneStep, proceed: () => Promise<unknown>): Promise<void> {
    if (checking || asked) return;
    setChecking(true);
    setPreviewError(false);
    try {
      const preview = await api.customerAccess.milestonePreview(caseId, step);
      if (changesForCustomer(preview)) {
        setSaveError(null);
        setAsked({ preview, proceed });
      } else {
        // Nothing changes for the customer: one click, as any other step. The caller shows failures.
        await proceed().catch(() => undefined);
      }
    } catch {
      setPreviewError(true);
    } finally {
      setChecking(false);
    }
  }

  async function confirm() {
    if (!asked || saving) return;
    setSaving(true);
    try {
      await asked.proceed();
      setAsked(null);
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  const status = checking ? (
    <p className="muted" role="status">
      {t('milestoneConfirm.checking')}
    </p>
  ) : previewError ? (
    <Notice kind="error">{t('milestoneConfirm.previewFailed')}</Notice>
  ) : null;

  const dialog = asked && (
    <MilestoneConfirmDialog
      preview={asked.preview}
      busy={saving}
      error={
        saveError ? <Notice kind="error">{errorText(saveError, t('common.errorGeneric'))}</Notice> : null
      }
      onConfirm={() => void confirm()}
      onClose={() => {
        if (!saving) setAsked(null);
      }}
    />
  );
  return { confirmThen, dialog, status, busy: checking || saving };
}

/** The dialog: what the customer will newly see, the reports shared, who gets a link. */
function MilestoneConfirmDialog({
  preview,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  preview: MilestonePreviewView;
  busy: boolean;
  error: ReactNode;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t, language } = useLanguage();
  const contractor = useContractor();
  const list = new Intl.ListFormat(language === 'nb' ? 'nb-NO' : 'en', { type: 'conjunction' });
  const accept = preview.step === 'accept_claim';
  const title = accept
    ? t(contractor ? 'milestoneConfirm.titleApprove' : 'milestoneConfirm.titleAccept')
    : t('milestoneConfirm.titleAssign');
  const confirmLabel = accept
    ? t(contractor ? 'milestoneConfirm.confirmApprove' : 'milestoneConfirm.confirmAccept')
    : t('milestoneConfirm.confirmAssign');
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onClose={onClose}
      message={
        <div className="milestone-confirm">
          <p>{t('milestoneConfirm.intro')}</p>
          {preview.newlyVisible.length > 0 && (
            <p>
              <strong>
                {t('milestoneConfirm.customerSees', {
                  parts: list.format(preview.newlyVisible.map((part) => t(`milestoneConfirm.part.${part}`))),
                })}
              </strong>
            </p>
          )}
          {preview.reportsShared.length > 0 && (
            <>
              <p>{t('milestoneConfirm.reportsShared')}</p>
              <ul>
                {preview.reportsShared.map((report) => (
                  <li key={report.id}>
                    {report.fileName} (
                    {t(
                      report.report === 'inspectionReport'
                        ? 'documentKind.inspection_report'
                        : 'documentKind.customer_settlement_report',
                    ).toLowerCase()}
                    )
                  </li>
                ))}
              </ul>
            </>
          )}
          {preview.notified.length > 0 ? (
            <>
              <p>{t('milestoneConfirm.notified')}</p>
              <ul>
                {preview.notified.map((person) => (
                  <li key={person.contactId}>
                    {/* The number's groups stay on one line (no break inside "987 65 432"). */}
                    {person.name}:{' '}
                    {list.format(
                      person.channels.map(({ channel, recipient }) =>
                        channel === 'email'
                          ? t('milestoneConfirm.email', { address: recipient })
                          : t('milestoneConfirm.sms', {
                              number: formatPhoneNumber(recipient).replace(/ /g, '\u00a0'),
                            }),
                      ),
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('milestoneConfirm.notifiedNone')}</p>
          )}
        </div>
      }
    />
  );
}
