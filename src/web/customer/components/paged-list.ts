import { useCallback, useRef, useState } from 'react';
import type { Page } from '../model.ts';

/**
 * The news feed and the thread of the customer page in pages (issue 15): the page answer holds page
 * 1 (the newest entries); "Show older" asks the API for the next page and appends it.
 *
 * The older pages are counted from an anchor — the newest entry shown when "Show older" was first
 * pressed — so a message arriving meanwhile does not shift them. The page answer is fetched again on
 * every live signal; its new first page is merged with what was loaded (by id, newest first), so the
 * loaded entries stay and new ones appear on top. The loaded entries are dropped, and the list starts
 * again from the new first page, only when they could mislead: the list's filter or language changed
 * (its `key`), or so many entries arrived that the new first page no longer reaches them (a gap).
 */

/** What the next older page is asked with. */
export interface OlderRequest {
  page: number;
  pageSize: number;
  anchor: string;
}

/** Fetches one older page of a list (the API's answer in the paging convention). */
export type FetchOlder<T> = (request: OlderRequest) => Promise<Page<T>>;

/** The entries loaded beyond the page answer's first page. */
export interface OlderEntries<T> {
  /** Filter and language they were loaded under. */
  key: string;
  anchor: string;
  pageSize: number;
  /** The last page loaded, counted from the anchor (page 1 is the first page as it was shown). */
  page: number;
  /** Entries at or before the anchor. */
  total: number;
  /** The first page as it was when anchored, then every older page loaded. */
  items: T[];
}

/** What a list shows and whether it can show more. */
export interface MergedList<T> {
  items: T[];
  /** All entries of the list now (the first page's total, with what arrived). */
  total: number;
  hasMore: boolean;
  /** The loaded entries still apply (null: the list is the first page alone). */
  older: OlderEntries<T> | null;
}

type Entry = { id: string };

/**
 * Newest first by the given time, then by id — the order of the API's pages (ISO times and ids
 * compare as text, as the database orders them).
 */
export function newestFirst<T extends Entry>(timeOf: (entry: T) => string) {
  return (a: T, b: T): number => {
    const [ta, tb] = [timeOf(a), timeOf(b)];
    if (ta !== tb) return ta < tb ? 1 : -1;
    return a.id === b.id ? 0 : a.id < b.id ? 1 : -1;
  };
}

/**
 * The list to show: the current first page with the loaded older entries (when they still apply),
 * each entry once, ordered by `newerFirst`.
 */
export function mergeList<T extends Entry>(
  first: Page<T>,
  loaded: OlderEntries<T> | null,
  key: string,
  newerFirst: (a: T, b: T) => number,
): MergedList<T> {
  let older = loaded && loaded.key === key ? loaded : null;
  if (older) {
    const known = new Set(older.items.map((item) => item.id));
    const arrived = first.items.filter((item) => !known.has(item.id)).length;
    // More arrived after the anchor than the first page shows: a gap between new and loaded entries.
    if (first.total - older.total > arrived) older = null;
  }
  if (!older) {
    return {
      items: [...first.items].sort(newerFirst),
      total: first.total,
      hasMore: first.items.length < first.total,
      older: null,
    };
  }
  const byId = new Map<string, T>();
  for (const item of older.items) byId.set(item.id, item);
  // The current first page wins: it is the newer copy of an entry both hold.
  for (const item of first.items) byId.set(item.id, item);
  return {
    items: [...byId.values()].sort(newerFirst),
    total: Math.max(first.total, older.total),
    hasMore: older.page * older.pageSize < older.total,
    older,
  };
}

/** A list in pages as the views use it. */
export interface PagedList<T> {
  items: T[];
  total: number;
  /** "Show older" is offered (never without a way to fetch: the admin preview). */
  hasMore: boolean;
  loading: boolean;
  /** The last "Show older" failed (the button stays to try again). */
  failed: boolean;
  loadOlder: () => void;
  /** The first entry the last "Show older" revealed (the view gives it `focusRef` and tabIndex -1). */
  revealedId: string | null;
  /** Moves the keyboard focus to the revealed entry once, when it is rendered. */
  focusRef: (element: HTMLElement | null) => void;
}

/**
 * A list of the customer page: `first` from the page answer, older pages through `fetchOlder` (none
 * in the admin preview), kept while `key` (filter, language) stays the same.
 */
export function usePagedList<T extends Entry>(
  first: Page<T>,
  key: string,
  newerFirst: (a: T, b: T) => number,
  fetchOlder: FetchOlder<T> | undefined,
): PagedList<T> {
  const [loaded, setLoaded] = useState<OlderEntries<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const [revealedId, setRevealedId] = useState<string | null>(null);
  const focusPending = useRef(false);
  const merged = mergeList(first, loaded, key, newerFirst);

  const loadOlder = useCallback(() => {
    if (!fetchOlder || loading || !merged.hasMore) return;
    const newest = first.items[0];
    const base: OlderEntries<T> | null =
      merged.older ??
      (newest
        ? {
            key,
            anchor: newest.id,
            pageSize: first.pageSize,
            page: 1,
            total: first.total,
            items: first.items,
          }
        : null);
    if (!base) return;
    setLoading(true);
    setFailed(false);
    fetchOlder({ page: base.page + 1, pageSize: base.pageSize, anchor: base.anchor })
      .then((next) => {
        const known = new Set(base.items.map((item) => item.id));
        const added = next.items.filter((item) => !known.has(item.id));
        setLoaded({ ...base, page: next.page, total: next.total, items: [...base.items, ...added] });
        const revealed = [...added].sort(newerFirst)[0]?.id ?? null;
        focusPending.current = revealed !== null;
        setRevealedId(revealed);
      })
      .catch(() => setFailed(true))
      .finally(() => setLoading(false));
  }, [fetchOlder, loading, merged.hasMore, merged.older, first, key, newerFirst]);

  const focusRef = useCallback((element: HTMLElement | null) => {
    if (!element || !focusPending.current) return;
    focusPending.current = false;
    element.focus();
  }, []);

  return {
    items: merged.items,
    total: merged.total,
    hasMore: fetchOlder !== undefined && merged.hasMore,
    loading,
    failed,
    loadOlder,
    revealedId,
    focusRef,
  };
}
