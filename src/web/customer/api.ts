import type { z } from 'zod';
import type {
  customerCodeSendView,
  customerCodeVerifySchema,
  CustomerSessionView,
} from '../../common/contracts/customer-access-api.ts';
import type { postMessageBody } from '../../common/contracts/message-api.ts';
import type {
  CustomerSatisfactionView,
  SatisfactionAnswerInput,
} from '../../common/contracts/satisfaction-api.ts';
import type { CustomerVisibility } from '../../common/rules/visibility.ts';
import type { Language } from '../i18n/lookup.ts';
import { errorOf, formOf, routeCaller, routeUrl } from '../shared/api-client.ts';
import type { CustomerLists } from './components/CustomerPage.tsx';
import type { OlderRequest } from './components/paged-list.ts';
import type { SatisfactionSlot } from './components/SatisfactionQuestion.tsx';
import type { CaseArchiveSlot } from './components/CaseArchive.tsx';
import type { CaseArchiveView } from '../../common/contracts/case-archive-api.ts';
import type { CustomerMessage, CustomerNewsItem, CustomerPageModel, Page } from './model.ts';

export { ApiError } from '../shared/api-client.ts';

// The customer page's API client (issue 14): the routes it calls, typed by the contracts (types only:
// no zod or query library in this bundle), and the functions the page calls. Changes send JSON (a
// message with files: multipart FormData); the browser adds the Origin header to every POST, which the
// server's CSRF rule checks against the page's origin. test/http/web-client-routes.test.ts checks these
// routes against the server's OpenAPI document.

export type SessionView = CustomerSessionView;

export interface PageAnswer {
  state: 'ok' | 'unavailable';
  visibility: CustomerVisibility | null;
  model: CustomerPageModel | null;
  session: SessionView;
}

type OlderQuery = { page: number; pageSize: number; anchor: string };

/** Every route the customer page calls: 'METHOD /api/path' → query, body, answer. */
interface CustomerRoutes {
  'GET /api/customer/session': { response: SessionView };
  'GET /api/customer/page': { query: { lang: Language }; response: PageAnswer };
  'GET /api/customer/news': { query: OlderQuery & { lang: Language }; response: Page<CustomerNewsItem> };
  'GET /api/customer/messages': { query: OlderQuery; response: Page<CustomerMessage> };
  'POST /api/customer/messages': {
    body: z.input<typeof postMessageBody> | FormData;
    response: CustomerMessage;
  };
  'POST /api/customer/code/send': { response: z.infer<typeof customerCodeSendView> };
  'POST /api/customer/code/verify': { body: z.input<typeof customerCodeVerifySchema>; response: SessionView };
  'POST /api/customer/pending-link/accept': { response: SessionView };
  'POST /api/customer/pending-link/dismiss': { response: SessionView };
  'POST /api/customer/logout': { response: undefined };
  'GET /api/customer/live': { response: never }; // an event stream (EventSource)
  'GET /api/customer/bankid/start': { response: never }; // a navigation: redirects to the broker
  'GET /api/customer/satisfaction': { response: CustomerSatisfactionView };
  'POST /api/customer/satisfaction': { body: SatisfactionAnswerInput; response: CustomerSatisfactionView };
  'GET /api/customer/archive': { response: CaseArchiveView };
  'GET /api/customer/archive/download': { query: { lang: Language }; response: never }; // a zip (a link)
}

const call = routeCaller<CustomerRoutes>();

/** The address of the session's live signals (server-sent events), for an EventSource. */
export const liveUrl = () => routeUrl('GET /api/customer/live');

export const getSession = () => call('GET /api/customer/session');
/** Where "Identify with BankID" leads: the server redirects the browser to the company's broker. */
export const bankIdStartUrl = () => routeUrl('GET /api/customer/bankid/start');
const pageUrl = (language: Language) => routeUrl('GET /api/customer/page', { query: { lang: language } });

/**
 * The first answers the page's HTML carries (the server puts them in <script id="ks-boot"> and, when
 * it can, renders the first screen from them into #root): the visitor's language, the session
 * answer, and the page answer with its tag when the page may be shown.
 */
export interface Bootstrap {
  language: Language;
  session: SessionView;
  page: PageAnswer | null;
  etag: string | null;
}

/**
 * Reads the HTML's answers once (main.tsx) and removes their element, so the document keeps no data
 * element (nor any script without a source); the page's tag is remembered for the next fetch.
 */
export function readBootstrap(): Bootstrap | null {
  const element = document.getElementById('ks-boot');
  element?.remove();
  let boot: Bootstrap | null;
  try {
    boot = element?.textContent ? (JSON.parse(element.textContent) as Bootstrap) : null;
  } catch {
    boot = null;
  }
  if (boot?.page && boot.etag) {
    lastPage = { url: pageUrl(boot.language), etag: boot.etag, answer: boot.page };
  }
  return boot;
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
export const sendCode = () => call('POST /api/customer/code/send');
/** Ends the session on the server (the link itself keeps working). */
export const logOut = () => call('POST /api/customer/logout');
/**
 * Writes to the company from the Communication tab: JSON without files, multipart (field `body`,
 * the files in `files`) with them. Resolves with the stored message (201).
 */
export function postMessage(text: string, files: readonly File[]): Promise<CustomerMessage> {
  return call('POST /api/customer/messages', {
    body:
      files.length === 0
        ? { body: text }
        : formOf(
            { body: text },
            files.map((file) => ['files', file] as const),
          ),
  });
}

/** The query of an older page: the paging convention's page and size, counted from the anchor. */
const olderQuery = ({ page, pageSize, anchor }: OlderRequest): OlderQuery => ({ page, pageSize, anchor });

/** The older pages of the news feed and of the thread ("Show older"; page 1 is in the page answer). */
export const customerLists: CustomerLists = {
  news: (request, language) =>
    call('GET /api/customer/news', { query: { lang: language, ...olderQuery(request) } }),
  messages: (request) => call('GET /api/customer/messages', { query: olderQuery(request) }),
};

export const verifyCode = (code: string) => call('POST /api/customer/code/verify', { body: { code } });

/** Switch to the link opened last (it waited while another session was live); the new session's view. */
export const acceptPendingLink = () => call('POST /api/customer/pending-link/accept');

/** Stay on the current page: the waiting link is forgotten; the current session's view. */
export const dismissPendingLink = () => call('POST /api/customer/pending-link/dismiss');

/** The satisfaction question of a closed case (the dashboard asks it once). */
export const customerSatisfaction: SatisfactionSlot = {
  load: () => call('GET /api/customer/satisfaction'),
  answer: (input) => call('POST /api/customer/satisfaction', { body: input }),
};

/** The case archive of a closed case: its state, and the address the download link points at. */
export const customerCaseArchive: CaseArchiveSlot = {
  load: () => call('GET /api/customer/archive'),
  downloadUrl: (language) => routeUrl('GET /api/customer/archive/download', { query: { lang: language } }),
};
