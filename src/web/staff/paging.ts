import { useInfiniteQuery, useQuery, type QueryKey } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { MAX_PAGE_SIZE, pageCount, type Page } from '../../common/rules/pages.ts';
import type { PageQuery } from './api.ts';

// The staff app's side of the paging convention (src/common/contracts/paging.ts, pages.ts): every list arrives in pages
// `{items, total, page, pageSize}`. A table shows one page with the Pager; a log or a thread shows
// page 1 (the newest) and appends older pages under a "Show older" button; a pick list reads all
// pages.

/** Reads one page of a list: a function of the API client (api.ts), e.g. `(q) => api.users.list(q)`. */
export type PageReader<P> = (query: PageQuery) => Promise<P>;

/**
 * One page of a list at a time, for a table under the Pager: `page` and `setPage` with the query.
 * The previous page stays on screen while the next one loads.
 */
export function usePagedList<P extends Page<unknown>>(
  key: QueryKey,
  read: PageReader<P>,
  { pageSize, retry }: { pageSize?: number; retry?: boolean } = {},
) {
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: [...key, { page, pageSize }],
    queryFn: () => read({ page, pageSize }),
    placeholderData: (previous) => previous,
    ...(retry === undefined ? {} : { retry }),
  });
  const pages = query.data ? pageCount(query.data) : 1;
  // A list that shrank (deletions) past the page shown: show its last page instead.
  if (query.data && !query.isPlaceholderData && page > pages) setPage(pages);
  return { ...query, page, pages, setPage };
}

/** What the "Show older" button (ShowOlder in components.tsx) reads of a `useOlderPages` list. */
export interface OlderPagesState {
  items: readonly unknown[];
  total: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
}

/**
 * A newest-first list read page by page: page 1 first, older pages appended by `loadOlder`. `first`
 * is page 1 (with the list's further fields, e.g. a thread's unread count); `items` are the entries
 * of every page read so far, each once (a new entry shifts the pages, so an entry can come twice).
 */
export function useOlderPages<T extends { id: string }, P extends Page<T> = Page<T>>(
  key: QueryKey,
  read: PageReader<P>,
  pageSize?: number,
) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => read({ page: pageParam, pageSize }),
    initialPageParam: 1,
    getNextPageParam: (last: P) => (last.page < pageCount(last) ? last.page + 1 : undefined),
  });
  const pages = query.data?.pages;
  const items = useMemo(() => {
    const seen = new Set<string>();
    return (pages ?? [])
      .flatMap((page) => page.items)
      .filter((item) => !seen.has(item.id) && !!seen.add(item.id));
  }, [pages]);
  const first = pages?.[0];
  return {
    first,
    items,
    total: pages?.[pages.length - 1]?.total ?? 0,
    hasOlder: query.hasNextPage,
    loadingOlder: query.isFetchingNextPage,
    loadOlder: () => void query.fetchNextPage(),
    isError: query.isError,
    error: query.error,
  };
}

/**
 * Every entry of a list, page after page of the largest size: for pick lists (case handler, offices),
 * which must offer every choice. Stops after `maxPages` pages (10 000 entries by default).
 */
export async function fetchAllPages<T>(read: PageReader<Page<T>>, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = await read({ page, pageSize: MAX_PAGE_SIZE });
    items.push(...answer.items);
    if (page >= pageCount(answer)) break;
  }
  return items;
}
