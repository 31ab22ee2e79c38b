import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { useBlocker, type BlockerFunction } from 'react-router';
import { useLanguage } from '../shared/language.tsx';
import { ConfirmDialog } from './dialog.tsx';

/**
 * Guards a form with unsaved changes (issue 16 item 8). While `dirty`:
 * - reloading or closing the tab gets the browser's own "leave the page?" question (`beforeunload`;
 *   browsers show their own text, never ours);
 * - leaving for another page of the app (a link, the menu, Back) is held by react-router's
 *   `useBlocker` (the staff app runs on a data router for it, main.tsx) and asks in our dialog:
 *   "Bli her" keeps the page and the edit, "Forlat siden" goes on.
 *
 * Returns the dialog to render (null while nothing is asked) and `allowLeaving`, for a form whose
 * own save navigates away (the form is still dirty at that moment). One guarded form per page:
 * react-router holds one blocker at a time.
 */
export function useUnsavedChanges(dirty: boolean): { prompt: ReactNode; allowLeaving: () => void } {
  const { t } = useLanguage();
  // Read when a navigation starts, so a save that navigates in the same tick is not held.
  const guard = useRef({ dirty, allowed: false });
  guard.current.dirty = dirty;
  if (!dirty) guard.current.allowed = false;

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      if (guard.current.allowed) return;
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      guard.current.dirty &&
      !guard.current.allowed &&
      // Only leaving the page: a tab or a query of the same page keeps the form.
      currentLocation.pathname !== nextLocation.pathname,
    [],
  );
  const blocker = useBlocker(shouldBlock);

  const prompt =
    blocker.state === 'blocked' ? (
      <ConfirmDialog
        title={t('unsavedChanges.title')}
        message={<p>{t('unsavedChanges.message')}</p>}
        confirmLabel={t('unsavedChanges.leave')}
        dismissLabel={t('unsavedChanges.stay')}
        onConfirm={() => blocker.proceed()}
        onClose={() => blocker.reset()}
      />
    ) : null;
  const allowLeaving = useCallback(() => {
    guard.current.allowed = true;
  }, []);
  return { prompt, allowLeaving };
}
