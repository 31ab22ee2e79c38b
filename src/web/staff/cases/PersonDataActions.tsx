import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ContactView } from '../../../common/contracts/case-api.ts';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';
import { errorText, Notice } from '../components.tsx';
import { ConfirmDialog } from '../dialog.tsx';
import { caseKeys } from './case-data.ts';

/**
 * "Eksporter data" and "Slett personopplysninger" for one person on the case (issue 19, item 6),
 * shown only when the server says the user may (`managePersonData`, level 6). The export is a
 * download link (a zip); the erasure asks first in a dialog, since it cannot be undone.
 */
export function PersonDataActions({ caseId, contact }: { caseId: string; contact: ContactView }) {
  const { t } = useLanguage();
  // The signed-in user, as the app shell read it (same query key: answered from the cache).
  const me = useQuery({ queryKey: ['me'], queryFn: () => api.auth.me() });
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const erase = useMutation({
    mutationFn: () => api.personData.erase(caseId, contact.id),
    onSuccess: async () => {
      setConfirming(false);
      await queryClient.invalidateQueries({ queryKey: caseKeys.one(caseId) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.list });
    },
  });
  if (!me.data?.abilities.managePersonData) return null;
  // Said once where the buttons were; an erased person has nothing left to export or erase.
  if (erase.isSuccess) return <Notice kind="success">{t('personData.erased')}</Notice>;
  if (contact.erasedAt) return null;
  return (
    <span className="button-row person-data-actions">
      <a
        className="person-data-export"
        href={api.personData.exportUrl(caseId, contact.id)}
        download
        aria-label={t('personData.exportLabel', { name: contact.name })}
      >
        {t('personData.exportData')}
      </a>
      <button
        type="button"
        className="button-quiet button-small button-danger"
        aria-label={t('personData.eraseLabel', { name: contact.name })}
        onClick={() => {
          erase.reset();
          setConfirming(true);
        }}
      >
        {t('personData.erase')}
      </button>
      {confirming && (
        <ConfirmDialog
          title={t('personData.eraseTitle')}
          message={<p>{t('personData.eraseMessage', { name: contact.name })}</p>}
          confirmLabel={t('personData.eraseConfirm')}
          busy={erase.isPending}
          onConfirm={() => erase.mutate()}
          onClose={() => setConfirming(false)}
          error={
            erase.isError ? (
              <Notice kind="error">{errorText(erase.error, t('common.errorGeneric'))}</Notice>
            ) : null
          }
        />
      )}
    </span>
  );
}
