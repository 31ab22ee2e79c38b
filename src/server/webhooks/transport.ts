import http from 'node:http';
import https from 'node:https';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { DeliveryError, type Transport } from '../outbox/transports.ts';
import { signatureHeader } from '../security/signatures.ts';
import { disableGoneEndpoint, findEndpoint, recordAttempt } from './queries.ts';
import { checkTargetUrl, guardedLookup } from './targets.ts';
import { targetRulesOf, webhookSealer, type WebhookConfig } from './webhooks.ts';

/**
 * The outbox transport of the channel 'webhook' (given to the app's outbox in app.ts): POSTs the
 * queued JSON to the endpoint's current URL, signed with its secret (`Kundeside-Signature`, security/
 * signatures.ts), with `Kundeside-Delivery` (= `Idempotency-Key`): `<endpoint id>.<event id>`, the
 * same on every retry and every replay, so a receiver that remembers it acts on an event once.
 *
 * Answers: 2xx delivered; 410 Gone switches the endpoint off and gives up; other 4xx (but 408, 425,
 * 429) and 3xx (redirects are not followed) give up; 5xx, 408/425/429, timeouts and network errors
 * are retried by the worker with its back-off. A deleted or switched-off endpoint is not sent to.
 * The URL's rules hold at send time too: the host is resolved, checked and connected to by the same
 * lookup (targets.ts), so a name that now points inside our network is refused.
 */

/** Our number: connect, send and answer within 10 s (well inside the worker's 30 s limit). */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export const DELIVERY_HEADER = 'Kundeside-Delivery';

/** The transport of the app's webhooks; `db` is the app's handle, `config` its configuration. */
export function webhookTransport(db: Db, config: WebhookConfig): Transport {
  const sealer = webhookSealer(config);
  const rules = targetRulesOf(config);
  return {
    name: 'webhook',
    async send(message) {
      const endpoint = await findEndpoint(db, message.to);
      if (!endpoint) throw new DeliveryError('The webhook endpoint was deleted.', true);
      if (endpoint.active !== 1) throw new DeliveryError('The webhook endpoint is switched off.', true);
      const url = checkTargetUrl(endpoint.url, rules);
      if (typeof url === 'string') throw new DeliveryError(`The webhook URL is refused (${url}).`, true);
      const now = new Date();
      const secrets = [endpoint.secret_sealed];
      if (endpoint.previous_secret_sealed && (endpoint.previous_secret_until ?? '') > nowIso(now)) {
        secrets.push(endpoint.previous_secret_sealed);
      }
      const opened = secrets.map((sealed) => sealer.unseal(sealed));
      if (opened[0] === null || opened[0] === undefined) {
        throw new DeliveryError('The signing secret cannot be opened: SESSION_SECRET changed.', true);
      }
      const body = message.text;
      const eventId = (JSON.parse(body) as { id: string }).id;
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Kundeside-Webhooks/1',
        'kundeside-signature': signatureHeader(
          opened.filter((secret): secret is string => secret !== null),
          body,
          now,
        ),
        'kundeside-delivery': `${endpoint.id}.${eventId}`,
        'idempotency-key': `${endpoint.id}.${eventId}`,
      };
      let status: number;
      try {
        status = await post(url, headers, body, config.webhookAllowPrivateTargets);
      } catch (error) {
        await recordAttempt(db, message.idempotencyKey, null, nowIso(now));
        const reason = error instanceof Error ? error.message : String(error);
        const refused = (error as { code?: string }).code === 'EWEBHOOKPRIVATE';
        throw new DeliveryError(`Webhook: ${reason}`, refused);
      }
      await recordAttempt(db, message.idempotencyKey, status, nowIso(now));
      if (status >= 200 && status < 300) return;
      if (status === 410) {
        await disableGoneEndpoint(db, endpoint.id, nowIso(now));
        throw new DeliveryError('The endpoint answered 410 Gone: it is switched off.', true);
      }
      const retry = status >= 500 || [408, 425, 429].includes(status);
      throw new DeliveryError(`The endpoint answered ${status}.`, !retry);
    },
  };
}

/** One POST with the guarded lookup, no redirects, no connection reuse; resolves with the status. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  allowPrivate: boolean,
): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowPrivate),
        agent: false,
        timeout: WEBHOOK_TIMEOUT_MS,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      },
      (response) => {
        // The answer's body is not read: only the status counts.
        response.resume();
        response.on('error', () => undefined);
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`)),
    );
    request.on('error', reject);
    request.end(body);
  });
}
