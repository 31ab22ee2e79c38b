// The one way both bundles call the API (issue 14): each bundle lists the routes it uses in a typed
// table — 'METHOD /api/path/{param}' → its path parameters, query, body and answer, typed by the
// contracts in src/common — and exposes named functions over it (staff/api.ts, customer/api.ts), so
// components call `api.cases.get(id)`, never a URL string. No library and no zod here: the customer
// page imports this too. test/http/web-client-routes.test.ts checks every route of both tables against
// the server's OpenAPI document, and web/api-strings.test.ts that no other file writes an '/api/' URL.

import type { FieldIssue } from '../../common/rules/api-errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route as the OpenAPI document names it: method, space, path with `{param}` placeholders. */
export type Route = `${Method} /api/${string}`;

/** Query values: `undefined`, `null` and '' are left out of the address. */
export type QueryValues = Record<string, string | number | boolean | null | undefined>;

/** What one route takes and answers (`body` FormData: sent as multipart/form-data). */
export interface Endpoint {
  params?: Record<string, string>;
  query?: QueryValues;
  body?: unknown;
  response: unknown;
}

/** The query of a route whose schema is `S`'s fields: the names checked, the values as in an address. */
export type QueryOf<S> = { [K in keyof S]?: string | number | boolean | null };

type Input<E extends Endpoint> = Omit<E, 'response'>;
/** The input is optional when nothing in it is required (a GET without parameters, a bodiless POST). */
type ArgsOf<E extends Endpoint> =
  Record<never, never> extends Input<E> ? [input?: Input<E>] : [input: Input<E>];

/** A refused field as the API names it (issue 16), translated by web/shared/api-error-text.ts. */
export type ApiFieldIssue = FieldIssue;

/**
 * An error answer of the API: the HTTP status, the stable code, the (English) message, the fields it
 * names, and the reason refining the code with its params. Show it with the UI's texts, never `message`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: ApiFieldIssue[] = [],
    /** `Retry-After` of a 429 (or 423) answer, in seconds; null when the answer names none. */
    readonly retryAfterSeconds: number | null = null,
    readonly reason: string | null = null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** The address of `route`: path parameters filled in (encoded), the query appended. */
export function routeUrl(route: Route, input: { params?: Record<string, string>; query?: QueryValues } = {}) {
  const path = route
    .slice(route.indexOf(' ') + 1)
    .replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.params?.[name] ?? ''));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** A call of a route of the table `Routes`, its input and answer typed by the table. */
export type Caller<Routes> = <K extends keyof Routes & Route>(
  route: K,
  ...input: Routes[K] extends infer E extends Endpoint ? ArgsOf<E> : never
) => Promise<Routes[K] extends { response: infer R } ? R : never>;

/**
 * The caller of a route table: `call('GET /api/cases/{id}', { params: { id } })` with its answer
 * typed. Changes always send a body — JSON (`{}` when there is none) or a FormData as multipart — which
 * with the browser's Origin header passes the server's CSRF check; the session cookie goes along.
 */
export function routeCaller<Routes>(): Caller<Routes> {
  // The table types each call; this one implementation sends it.
  const send = (route: Route, input: Input<Endpoint> = {}): Promise<unknown> => {
    const method = route.slice(0, route.indexOf(' ')) as Method;
    const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (method !== 'GET') {
      // FormData goes as multipart: the browser sets the content type with its boundary.
      if (input.body instanceof FormData) init.body = input.body;
      else {
        init.headers = { ...init.headers, 'content-type': 'application/json' };
        init.body = JSON.stringify(input.body ?? {});
      }
    }
    return fetch(routeUrl(route, input), init).then(answerOf);
  };
  return send as unknown as Caller<Routes>;
}

/** The answer's JSON (undefined for 204), or its ApiError for an answer other than 2xx. */
export async function answerOf(response: Response): Promise<unknown> {
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined;
  return response.json();
}

/** The error of an answer other than 2xx, from the server's `{"error": {code, message, fields}}`. */
export async function errorOf(response: Response): Promise<ApiError> {
  const data: unknown = await response.json().catch(() => null);
  const error = (
    data as {
      error?: {
        code?: string;
        message?: string;
        fields?: ApiFieldIssue[];
        reason?: string;
        params?: ApiError['params'];
      };
    } | null
  )?.error;
  const retry = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    error?.code ?? 'internal_error',
    error?.message ?? response.statusText,
    error?.fields ?? [],
    Number.isFinite(retry) && retry > 0 ? retry : null,
    error?.reason ?? null,
    error?.params ?? {},
  );
}

/**
 * A multipart body: the text fields first (the server reads them before it streams the files); a
 * field without a value is left out.
 */
export function formOf(
  fields: Record<string, string | undefined>,
  files: ReadonlyArray<readonly [name: string, file: File]>,
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
  for (const [name, file] of files) form.append(name, file, file.name);
  return form;
}
