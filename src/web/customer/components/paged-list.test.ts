import { describe, expect, it } from 'vitest';
import type { Page } from '../model.ts';
import { mergeList, newestFirst, type OlderEntries } from './paged-list.ts';

// How the customer page merges a new first page (a live update) with the older entries it loaded.

interface Entry {
  id: string;
  at: string;
}
const order = newestFirst<Entry>((entry) => entry.at);
/** Entries n..m (newest first), each at its own minute. */
const entries = (from: number, to: number): Entry[] =>
  Array.from({ length: from - to + 1 }, (_, i) => {
    const n = from - i;
    return {
      id: `e${String(n).padStart(3, '0')}`,
      at: `2026-12-01T10:${String(n).padStart(2, '0')}:00.000Z`,
    };
  });
const firstPage = (newest: number, total: number): Page<Entry> => ({
  items: entries(newest, newest - 2),
  total,
  page: 1,
  pageSize: 3,
});
const ids = (list: Entry[]) => list.map((entry) => Number(entry.id.slice(1)));

/** Loaded after "Show older" once on a list of 10 (newest 10): pages 1 and 2 counted from e010. */
const loaded: OlderEntries<Entry> = {
  key: 'k',
  anchor: 'e010',
  pageSize: 3,
  page: 2,
  total: 10,
  items: entries(10, 5),
};

describe('the paged lists of the customer page', () => {
  it('offer more while the first page is not the whole list', () => {
    expect(mergeList(firstPage(10, 10), null, 'k', order)).toMatchObject({ total: 10, hasMore: true });
    expect(mergeList({ ...firstPage(3, 3) }, null, 'k', order).hasMore).toBe(false);
  });

  it('keep the loaded entries under new ones from a live update, each once, newest first', () => {
    const merged = mergeList(firstPage(12, 12), loaded, 'k', order);
    expect(ids(merged.items)).toEqual([12, 11, 10, 9, 8, 7, 6, 5]);
    expect(merged.hasMore).toBe(true);
    expect(merged.total).toBe(12);
    const all = mergeList(firstPage(10, 10), { ...loaded, page: 4, items: entries(10, 1) }, 'k', order);
    expect(ids(all.items)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(all.hasMore).toBe(false);
  });

  it('start again from the first page after a gap or a change of filter or language', () => {
    // Five arrived, the first page shows three of them: two would be missing in between.
    const gap = mergeList(firstPage(15, 15), loaded, 'k', order);
    expect(ids(gap.items)).toEqual([15, 14, 13]);
    expect(gap.older).toBeNull();
    const other = mergeList(firstPage(10, 10), loaded, 'en', order);
    expect(ids(other.items)).toEqual([10, 9, 8]);
  });

  it('order by time, then by id, as the API does', () => {
    const same = '2026-12-01T10:00:00.000Z';
    const list = [
      { id: 'a', at: same },
      { id: 'c', at: same },
      { id: 'b', at: '2026-12-01T11:00:00.000Z' },
    ].sort(order);
    expect(list.map((entry) => entry.id)).toEqual(['b', 'c', 'a']);
  });
});
