import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { OutboxTable } from '../db/schema.ts';
import { SIGNATURE_HEADER, signatureHeader } from '../security/signatures.ts';

/**
 * Where messages go: e-mail over SMTP with nodemailer (SMTP_URL), SMS through the webhook provider of
 * the integration contract §1 (SMS_PROVIDER=webhook), and without them the development mailbox,
 * which keeps the messages in their outbox rows for level-6 staff to read (never in production:
 * config.ts refuses to start without real delivery there). Every call has a timeout.
 */

export type TransportName = NonNullable<OutboxTable['delivered_via']>;

export interface OutgoingMessage {
  idempotencyKey: string;
  to: string;
  /** The company's name: the e-mail's display name. */
  senderName: string | null;
  subject: string | null;
  text: string;
  html: string | null;
}

export interface Transport {
  readonly name: TransportName;
  send(message: OutgoingMessage): Promise<void>;
  close?(): void;
}

export interface Transports {
  email: Transport;
  sms: Transport;
}

/** A failed delivery; `permanent` when retrying cannot help (the provider refused the message itself). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** Time limits of one delivery (our numbers). */
export const DELIVERY_TIMEOUT_MS = 30_000;
const SMTP_CONNECT_TIMEOUT_MS = 10_000;
const SMS_TIMEOUT_MS = 15_000;

/** The transports the configuration names. */
export function createTransports(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'sms' | 'smsFrom'>,
): Transports {
  return {
    email: config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : devMailbox,
    sms:
      config.sms.provider === 'webhook'
        ? smsWebhook(config.sms.webhookUrl, config.smsFrom, config.sms.webhookSecret)
        : devMailbox,
  };
}

/** Keeps the message in its outbox row (delivered_via 'dev-mailbox'); sends nothing. */
export const devMailbox: Transport = {
  name: 'dev-mailbox',
  send: async () => undefined,
};

/** A Message-ID made of the idempotency key, so a re-sent message is recognisably the same one. */
export function messageIdOf(idempotencyKey: string, from: string): string {
  const domain = (from.split('@')[1] ?? 'kundeside.invalid').replace(/[[\]]/g, '') || 'kundeside.invalid';
  const local = idempotencyKey.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '.');
  return `<${local}@${domain}>`;
}

export function smtpTransport(smtpUrl: string, from: string): Transport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SMTP_CONNECT_TIMEOUT_MS,
    greetingTimeout: SMTP_CONNECT_TIMEOUT_MS,
    socketTimeout: DELIVERY_TIMEOUT_MS,
  } as nodemailer.TransportOptions);
  return {
    name: 'smtp',
    async send(message) {
      try {
        await transporter.sendMail({
          from: message.senderName ? { name: message.senderName, address: from } : from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.text,
          ...(message.html !== null && { html: message.html }),
          messageId: messageIdOf(message.idempotencyKey, from),
          headers: { 'X-Idempotency-Key': message.idempotencyKey },
        });
      } catch (error) {
        const smtp = error as { responseCode?: number; code?: string; message?: string };
        // 5xx: the server refused this message (bad address, policy); anything else may pass later.
        const permanent =
          (typeof smtp.responseCode === 'number' && smtp.responseCode >= 500) || smtp.code === 'EENVELOPE';
        throw new DeliveryError(`SMTP: ${smtp.message ?? String(error)}`, permanent);
      }
    },
    close: () => transporter.close(),
  };
}

/**
 * POSTs `{"to", "from", "body", "idempotencyKey"}` (exactly these fields) to the webhook; any 2xx
 * means accepted. 4xx other than 408/425/429 is permanent; 5xx, timeouts and network errors are retried.
 * With a secret (SMS_WEBHOOK_SECRET) every request carries `Kundeside-Signature` over the exact body
 * sent, signed anew at each attempt (security/signatures.ts; docs/integrations.md).
 */
export function smsWebhook(url: string, from: string, secret?: string): Transport {
  return {
    name: 'sms-webhook',
    async send(message) {
      const body = JSON.stringify({
        to: message.to,
        from,
        body: message.text,
        idempotencyKey: message.idempotencyKey,
      });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(secret && { [SIGNATURE_HEADER]: signatureHeader(secret, body) }),
          },
          body,
          signal: AbortSignal.timeout(SMS_TIMEOUT_MS),
          redirect: 'error',
        });
      } catch (error) {
        throw new DeliveryError(`SMS webhook: ${(error as Error).message}`);
      }
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      const permanent =
        response.status >= 400 && response.status < 500 && ![408, 425, 429].includes(response.status);
      throw new DeliveryError(`SMS webhook answered ${response.status}`, permanent);
    },
  };
}
