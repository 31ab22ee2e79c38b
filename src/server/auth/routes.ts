import { z } from 'zod';
import { errorBody, meView } from '../../common/contracts/api.ts';
import { loginSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import { sessionCookieName } from './authenticate.ts';
import type { App } from '../http/types.ts';
import { endSession } from './sessions.ts';
import { describeActor, signIn } from './sign-in.ts';
import { clearedCookie } from '../http/cookies.ts';

/** Sign-in, sign-out and "who am I". */
export async function authRoutes(app: App): Promise<void> {
  const cookieName = sessionCookieName(app.config.secureCookies);

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary:
          'Sign in with e-mail and password; sets the session cookie (kept when the browser closes only with `remember`)',
        body: loginSchema,
        response: { 200: meView, 401: errorBody, 403: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, actor } = await signIn(
        app.db,
        app.config,
        request.body,
        request.ip,
        request.log,
      );
      // A browser-session cookie unless the person asked to stay signed in: on a shared computer the
      // session leaves with the browser. The server's idle and absolute limits hold either way.
      reply.setCookie(cookieName, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        signed: true,
        ...(request.body.remember === true && { expires: expiresAt }),
      });
      return describeActor(app.db, actor);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'End the session server-side', response: { 204: z.null() } },
    },
    async (request, reply) => {
      if (request.actor?.kind === 'staff') await endSession(app.db, request.actor.sessionId);
      reply.clearCookie(cookieName, clearedCookie(app.config.secureCookies));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, company, level and abilities',
        response: { 200: meView },
      },
    },
    async (request) => describeActor(app.db, actorOf(request)),
  );
}
