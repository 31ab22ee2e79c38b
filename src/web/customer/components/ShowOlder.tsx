import type { PagedList } from './paged-list.ts';
import type { Translate } from './text.ts';

/**
 * Under a list in pages: how much of it is shown and the "Show older" button (a real button, so
 * Tab and Enter reach it; it keeps the focus while loading, then the focus moves to the first entry
 * it revealed). Nothing when the whole list is shown.
 */
export function ShowOlder({ list, label, t }: { list: PagedList<unknown>; label: string; t: Translate }) {
  if (!list.hasMore) return null;
  return (
    <div className="cp-older">
      <p className="cp-older-count">
        {t('customer.older.shown', { shown: list.items.length, total: list.total })}
      </p>
      {list.failed && (
        <p role="alert" className="cp-alert">
          {t('customer.older.failed')}
        </p>
      )}
      {/* aria-disabled, not disabled: the button keeps the keyboard focus while loading. */}
      <button
        type="button"
        className="cp-button cp-button-secondary"
        aria-disabled={list.loading || undefined}
        onClick={list.loadOlder}
      >
        {list.loading ? t('customer.older.loading') : label}
      </button>
    </div>
  );
}
