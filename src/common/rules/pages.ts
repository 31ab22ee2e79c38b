// The numbers, types and arithmetic of the paging convention, without zod, so the staff app's
// first load can page without the schema library; paging.ts adds the schemas and re-exports these.

/** The largest page any list answers. */
export const MAX_PAGE_SIZE = 100;
/** The default page size of a list that names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** The highest page number accepted (10 000 × 100 rows: beyond any list a person pages through). */
export const MAX_PAGE = 10_000;

/** A page asked for, after validation. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** One page of a list: its entries, how many there are in all, and which page this is. */
export interface Page<T> extends PageRequest {
  items: T[];
  total: number;
}

/** Rows to skip and to take for a page (SQL `offset` / `limit`). */
export const limitOffset = ({ page, pageSize }: PageRequest) => ({
  limit: pageSize,
  offset: (page - 1) * pageSize,
});

/** How many pages a list of `total` entries has (at least 1, so "page 1 of 1" when empty). */
export const pageCount = ({ total, pageSize }: { total: number; pageSize: number }) =>
  Math.max(1, Math.ceil(total / pageSize));
