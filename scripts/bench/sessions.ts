import type { SampleLink } from './generate.ts';

/**
 * Real sessions for the load runs, made the way browsers make them: a staff member signs in with
 * e-mail and password, a customer opens the link of their case (`GET /k/<token>` → 303 with the
 * session cookie). Each bench request then carries a cookie the app resolves like any other.
 */

/** `name=value` of the cookie called `name` among a response's Set-Cookie headers. */
export function cookieFrom(response: Response, name: string): string | null {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0] ?? '';
    if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
  }
  return null;
}

/** Signs a staff user in; returns the Cookie header value of the session. */
export async function signInStaff(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(baseUrl).origin },
    body: JSON.stringify({ email, password }),
  });
  const cookie = cookieFrom(response, 'ks_session');
  if (response.status !== 200 || !cookie) {
    throw new Error(`staff sign-in of ${email} failed: HTTP ${response.status} ${await response.text()}`);
  }
  return cookie;
}

export interface CustomerSession {
  link: SampleLink;
  /** Cookie header value: `ks_customer=<signed token>`. */
  cookie: string;
}

/** Opens each link once (a few at a time); links whose case the page may not show are left out. */
export async function openCustomerLinks(baseUrl: string, links: SampleLink[]): Promise<CustomerSession[]> {
  const sessions: CustomerSession[] = [];
  const queue = [...links];
  const worker = async () => {
    for (let link = queue.shift(); link; link = queue.shift()) {
      const response = await fetch(`${baseUrl}/k/${link.token}`, { redirect: 'manual' });
      const cookie = cookieFrom(response, 'ks_customer');
      if (response.status !== 303)
        throw new Error(`GET /k/<token> answered ${response.status}, expected 303`);
      if (cookie) sessions.push({ link, cookie });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  if (sessions.length === 0) throw new Error('no customer link could be opened');
  return sessions;
}
