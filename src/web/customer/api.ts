import type { CustomerSessionView } from '../../common/customer-access-api.ts';
import type { CustomerVisibility } from '../../common/visibility.ts';
import type { Language } from '../i18n/lookup.ts';
import type { CustomerLists } from './components/CustomerPage.tsx';
import type { OlderRequest } from './components/paged-list.ts';
import type { CustomerMessage, CustomerNewsItem, CustomerPageModel, Page } from './model.ts';

// The customer page's calls to its API, with plain fetch (no zod or query library in this bundle).
// Changes send JSON (a message with files: multipart FormData); the browser adds the Origin header to
// every POST, which the server's CSRF rule checks against the page's origin.

export type SessionView = CustomerSessionView;

export interface PageAnswer {
  state: 'ok' | 'unavailable';
  visibility: CustomerVisibility | null;
  model: CustomerPageModel | null;
  session: SessionView;
}

/** An answer other than 2xx: the HTTP status, the server's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

async function call<T>(method: 'GET' | 'POST', url: string, body?: object): Promise<T> {
  // FormData goes as multipart: the browser sets the content type with its boundary.
  const form = body instanceof FormData;
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers:
      body && !form
        ? { 'content-type': 'application/json', accept: 'application/json' }
        : { accept: 'application/json' },
    ...(body && { body: form ? body : JSON.stringify(body) }),
  });
  if (!response.ok) throw await errorOf(response);
  return (response.status === 204 ? null : await response.json()) as T;
}

/** The error of an answer other than 2xx, from the server's `{"error": {code, message}}`. */
async function errorOf(response: Response): Promise<ApiError> {
  let code = 'error';
  let message = response.statusText;
  try {
    const parsed = (await response.json()) as { error?: { code?: string; message?: string } };
    code = parsed.error?.code ?? code;
    message = parsed.error?.message ?? message;
  } catch {
    // not JSON: keep the status text
  }
  const retry = Number(response.headers.get('retry-after'));
  return new ApiError(response.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null);
}

export const getSession = () => call<SessionView>('GET', '/api/customer/session');
const pageUrl = (language: Language) => `/api/customer/page?lang=${language}`;

interface Bootstrap {
  language: Language;
  session: SessionView;
  page: PageAnswer | null;
  etag: string | null;
}

/** The HTML's answers, read once per page load (the same on every call, as React may call twice). */
let bootstrap: Bootstrap | null | undefined;

/**
 * The first answers the page's HTML carries (the server puts them in <script id="ks-boot">): null
 * when there are none or they are in another language than the visitor's.
 */
export function takeBootstrap(language: Language): { session: SessionView; page: PageAnswer | null } | null {
  if (bootstrap === undefined) {
    const element = document.getElementById('ks-boot');
    // Read once, then gone: the document keeps no data element (nor any script without a source).
    element?.remove();
    try {
      bootstrap = element?.textContent ? (JSON.parse(element.textContent) as Bootstrap) : null;
    } catch {
      bootstrap = null;
    }
  }
  if (!bootstrap || bootstrap.language !== language) return null;
  if (bootstrap.page && bootstrap.etag && !lastPage) {
    lastPage = { url: pageUrl(language), etag: bootstrap.etag, answer: bootstrap.page };
  }
  return { session: bootstrap.session, page: bootstrap.page };
}

/** The last page answer and its tag: a refetch that finds the page unchanged is a 304 without a body. */
let lastPage: { url: string; etag: string; answer: PageAnswer } | null = null;

/**
 * The page in `language`. The server tags each answer (ETag); the next fetch names the tag and, when
 * nothing changed (the usual case after a live signal of someone else's change), gets 304 and keeps
 * the answer it has. The answer is never stored by the browser (no-store): this memory is the cache.
 */
export async function getPage(language: Language): Promise<PageAnswer> {
  const url = pageUrl(language);
  const known = lastPage?.url === url ? lastPage : null;
  const response = await fetch(url, {
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { accept: 'application/json', ...(known && { 'if-none-match': known.etag }) },
  });
  if (response.status === 304 && known) return known.answer;
  if (!response.ok) throw await errorOf(response);
  const answer = (await response.json()) as PageAnswer;
  const etag = response.headers.get('etag');
  lastPage = etag ? { url, etag, answer } : null;
  return answer;
}
export const sendCode = () =>
  call<{ phoneHint: string; expiresInSeconds: number; resendAfterSeconds: number }>(
    'POST',
    '/api/customer/code/send',
    {},
  );
/**
 * Writes to the company from the Communication tab: JSON without files, multipart (field `body`,
 * the files in `files`) with them. Resolves with the stored message (201).
 */
export function postMessage(text: string, files: readonly File[]): Promise<CustomerMessage> {
  if (files.length === 0) return call<CustomerMessage>('POST', '/api/customer/messages', { body: text });
  const form = new FormData();
  form.append('body', text);
  for (const file of files) form.append('files', file, file.name);
  return call<CustomerMessage>('POST', '/api/customer/messages', form);
}

/** The query of an older page: the paging convention's page and size, counted from the anchor. */
const olderQuery = ({ page, pageSize, anchor }: OlderRequest) =>
  `page=${page}&pageSize=${pageSize}&anchor=${encodeURIComponent(anchor)}`;

/** The older pages of the news feed and of the thread ("Show older"; page 1 is in the page answer). */
export const customerLists: CustomerLists = {
  news: (request, language) =>
    call<Page<CustomerNewsItem>>('GET', `/api/customer/news?lang=${language}&${olderQuery(request)}`),
  messages: (request) => call<Page<CustomerMessage>>('GET', `/api/customer/messages?${olderQuery(request)}`),
};

export const verifyCode = (code: string) => call<SessionView>('POST', '/api/customer/code/verify', { code });

/** Switch to the link opened last (it waited while another session was live); the new session's view. */
export const acceptPendingLink = () => call<SessionView>('POST', '/api/customer/pending-link/accept', {});

/** Stay on the current page: the waiting link is forgotten; the current session's view. */
export const dismissPendingLink = () => call<SessionView>('POST', '/api/customer/pending-link/dismiss', {});
