import { useEffect, useRef, useState } from 'react';

/**
 * An Edit button that opens a small form with a pick list in its place (a person on the case, the
 * main inspection's assignment, the send-link setting): `open` shows the form and moves focus to its
 * pick list (`form` goes on the form), `close` hides it and moves focus back to the Edit button
 * (`editButton` goes on the button).
 */
export function useInlineEditor() {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (editing) form.current?.querySelector('select')?.focus();
  }, [editing]);
  return {
    editing,
    editButton,
    form,
    open: () => setEditing(true),
    close: () => {
      setEditing(false);
      // Back to the button that opened the editor, after React has shown it again.
      requestAnimationFrame(() => editButton.current?.focus());
    },
  };
}
