import type { ErrorBody } from '../../common/api.ts';

/** An error answer of the API, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

/**
 * Calls the staff API with the session cookie. Changes always send a JSON body, which with the
 * browser's Origin header passes the server's CSRF check.
 */
export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (method !== 'GET') {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  return answer<T>(await fetch(url, init));
}

/**
 * Uploads a file with its text fields as multipart/form-data (the browser sets the boundary; the
 * Origin header and the multipart body pass the server's CSRF check).
 */
export async function upload<T>(url: string, file: File, fields: Record<string, string> = {}): Promise<T> {
  const body = new FormData();
  // Text fields first: the server reads them before it streams the file.
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  body.append('file', file);
  return postForm<T>(url, body);
}

/**
 * Posts a ready multipart/form-data body (text fields before files), with the same error handling
 * as `api`: an error answer throws an ApiError with the server's code and message.
 */
export async function postForm<T>(url: string, body: FormData): Promise<T> {
  return answer<T>(
    await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body,
    }),
  );
}

async function answer<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data as ErrorBody | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'internal_error',
      error?.message ?? response.statusText,
      error?.fields,
    );
  }
  return data as T;
}
