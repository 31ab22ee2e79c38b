import { caseEventKinds, newsKindOfEvent } from '../../common/rules/case-events.ts';
import { customerNewsItem, type NewsLanguage } from '../../common/rules/customer-news.ts';
import type { CustomerMessage, CustomerNewsItem } from '../../common/rules/customer-page-model.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import type { CustomerVisibility } from '../../common/rules/visibility.ts';
import type { Db } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import { notFound } from '../errors.ts';
import { attachmentsByMessage } from '../messages/attachments.ts';
import { presentCustomerMessage } from '../messages/customer-presenter.ts';
import {
  findEventAnchor,
  findMessageAnchor,
  newsEventsOfCase,
  threadOfCase,
  type ListAnchor,
} from './queries.ts';
import { customerDocumentUrl } from '../documents/urls.ts';

/**
 * The customer page's two lists that grow without end — the news feed and the message thread — in
 * pages of the paging convention (common/contracts/paging.ts): newest first, `{items, total, page, pageSize}`.
 * The page answer (read-model.ts) holds page 1 of each; GET /api/customer/news and
 * /api/customer/messages answer the older pages from the same functions, so order and filter agree.
 * An `anchor` (an entry's id) counts the pages from that entry down, leaving out anything newer, so
 * the page the customer asks for next does not shift while new entries arrive.
 */

/** A page of a customer list, optionally counted from an anchor entry. */
export interface ListRequest extends PageRequest {
  anchor?: string | undefined;
}

const emptyPage = <T>({ page, pageSize }: PageRequest): Page<T> => ({ items: [], total: 0, page, pageSize });

/** The event kinds behind the news kinds visibility allows. */
const eventKindsOf = (newsKinds: CustomerVisibility['newsKinds']) =>
  caseEventKinds.filter((kind) => {
    const news = newsKindOfEvent[kind];
    return news !== undefined && newsKinds.includes(news);
  });

async function anchorOf(
  find: (id: string) => Promise<ListAnchor | undefined>,
  id: string | undefined,
): Promise<ListAnchor | undefined> {
  if (id === undefined) return undefined;
  const anchor = await find(id);
  if (!anchor) throw notFound('The anchor is not an entry of this list.');
  return anchor;
}

/**
 * A page of the news feed as the visibility rules allow it (nothing while the news section is
 * hidden; only the kinds of the news filter), redacted in `language`.
 */
export async function customerNewsPage(
  db: Db,
  caseId: string,
  visibility: Pick<CustomerVisibility, 'news' | 'newsKinds'>,
  language: NewsLanguage,
  request: ListRequest,
): Promise<Page<CustomerNewsItem>> {
  const kinds = visibility.news ? eventKindsOf(visibility.newsKinds) : [];
  if (kinds.length === 0) return emptyPage(request);
  const anchor = await anchorOf((id) => findEventAnchor(db, caseId, id), request.anchor);
  const page = await fetchPage(newsEventsOfCase(db, caseId, kinds, anchor), request, (event) =>
    customerNewsItem(
      { id: event.id, kind: event.kind, occurredAt: event.occurred_at, data: JSON.parse(event.data) },
      visibility.newsKinds,
      language,
    ),
  );
  // The query already holds only what the feed shows; an event written before its data had what its
  // text needs is left out here (never guessed), the one way a page can hold fewer than it counts.
  return { ...page, items: page.items.filter((item) => item !== null) };
}

/**
 * A page of the thread as the person of `accessId` sees it: every message while the method lets
 * customers read, only their own with "only from the customer", none while communication is hidden.
 */
export async function customerThreadPage(
  db: Db,
  caseId: string,
  accessId: string,
  communication: CustomerVisibility['communication'],
  request: ListRequest,
): Promise<Page<CustomerMessage>> {
  if (!communication.customerCanRead && !communication.onlyOwnMessages) return emptyPage(request);
  const anchor = await anchorOf((id) => findMessageAnchor(db, caseId, id), request.anchor);
  const own = communication.onlyOwnMessages ? accessId : undefined;
  const page = await fetchPage(threadOfCase(db, caseId, own, anchor), request, (row) => row);
  const files = await attachmentsByMessage(db, page.items, customerDocumentUrl);
  return {
    ...page,
    items: page.items.map((row) => presentCustomerMessage(row, files.get(row.id) ?? [], accessId)),
  };
}
