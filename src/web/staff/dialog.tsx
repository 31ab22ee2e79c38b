import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useLanguage } from '../shared/language.tsx';

/**
 * A modal dialog on the native <dialog> element: opened with showModal (focus moves in, the page
 * behind is inert), labelled by its heading, closed by Escape or the close button, and focus goes
 * back to what was focused before. Mount it to open it; `onClose` should unmount it.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const { t } = useLanguage();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // A layout effect, so the cleanup runs before React removes the element: the dialog is closed
  // (the page behind stops being inert) and only then can the opener take the focus back.
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
      // The opener may be gone in the same change (a "Close" action becomes "Reopen"): then focus the
      // main region rather than leave it on nothing — unless the change has put it somewhere already
      // (an inline form that closed with the dialog gives it back to its Edit button).
      requestAnimationFrame(() => {
        if (!document.activeElement || document.activeElement === document.body) {
          document.getElementById('main')?.focus();
        }
      });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React unmount the dialog instead of the browser closing it underneath React.
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button-quiet dialog-close" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

/** A yes/no question in a dialog; the confirming button says what it does. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  dismissLabel,
  onConfirm,
  onClose,
  busy,
  error,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  dismissLabel?: string;
  onConfirm: () => void;
  onClose: () => void;
  busy?: boolean;
  error?: ReactNode;
}) {
  const { t } = useLanguage();
  return (
    <Dialog title={title} onClose={onClose}>
      <div>{message}</div>
      {error}
      <div className="button-row">
        <button type="button" className="button-primary" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="button-quiet" onClick={onClose}>
          {dismissLabel ?? t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
