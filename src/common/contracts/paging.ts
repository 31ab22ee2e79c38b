import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE } from '../rules/pages.ts';

export * from '../rules/pages.ts';

// Lists in pages: the one convention of every staff/API list that can grow (docs/architecture.md,
// "Lists"). The query takes `page` (1-based) and `pageSize` (1–100); the answer is
// `{items, total, page, pageSize}`, page 1 holding what matters now (the newest entries of a log or
// thread, the open items of a to-do list). The server validates and serialises with these schemas;
// the web app types its data and its pager by them.

/**
 * The `page` and `pageSize` query fields, to spread into a list's query schema; `defaultPageSize`
 * is the list's own default (still at most {@link MAX_PAGE_SIZE}).
 */
export function pageParams(defaultPageSize: number = DEFAULT_PAGE_SIZE) {
  return {
    page: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE)
      .default(1)
      .describe('Page number, 1-based; page 1 holds what matters now (e.g. the newest entries)'),
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE_SIZE)
      .default(defaultPageSize)
      .describe(`Entries per page, 1–${MAX_PAGE_SIZE} (default ${defaultPageSize}); more is 400`),
  };
}

/** The query of a list that has no filter of its own: only `page` and `pageSize`. */
export const pageQuery = (defaultPageSize: number = DEFAULT_PAGE_SIZE) =>
  z.strictObject(pageParams(defaultPageSize));

const pageFields = {
  total: z.number().int().describe('Number of entries in the whole list (all pages)'),
  page: z.number().int().describe('This page, 1-based'),
  pageSize: z.number().int().describe('Entries per page (the last page may hold fewer)'),
};

/**
 * The response schema of one page of `item`s, `{items, total, page, pageSize}`, with further
 * fields about the whole list when a list has them (e.g. the unread count of a thread).
 */
export function pageView<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  item: T,
  extra?: E,
) {
  return z.object({ items: z.array(item), ...pageFields, ...(extra ?? ({} as E)) });
}
