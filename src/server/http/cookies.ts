/**
 * The attributes a cookie is cleared with: the ones it was set with that decide which cookie a
 * browser replaces. A `__Host-` cookie (every cookie over HTTPS) is only replaced by a Set-Cookie
 * that is `Secure` with `Path=/`; without them the browser ignores the clearing header and keeps
 * the old value (the server-side session is gone either way, but the browser should forget it too).
 */
export const clearedCookie = (secure: boolean) => ({
  path: '/',
  secure,
  httpOnly: true,
  sameSite: 'lax' as const,
});
