import type { CustomerSessionView } from '../../common/customer-access-api.ts';
import type { CustomerVisibility } from '../../common/visibility.ts';
import type { Language } from '../i18n/lookup.ts';
import type { CustomerMessage, CustomerPageModel } from './model.ts';

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
  if (!response.ok) {
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
    throw new ApiError(response.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  return (response.status === 204 ? null : await response.json()) as T;
}

export const getSession = () => call<SessionView>('GET', '/api/customer/session');
export const getPage = (language: Language) => call<PageAnswer>('GET', `/api/customer/page?lang=${language}`);
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

export const verifyCode = (code: string) => call<SessionView>('POST', '/api/customer/code/verify', { code });
