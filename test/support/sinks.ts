import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { skipReason } from './skip-unavailable.ts';

/**
 * Real delivery endpoints for tests, on 127.0.0.1 with ports chosen by the system: an SMTP server
 * (the npm package smtp-server) and an HTTP sink for the SMS webhook of the integration contract §1.
 * Both record what they receive; both can be told to refuse the next messages to test retries.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  idempotencyKey: string;
  text: string;
  html: string;
  contentType: string;
  raw: string;
}

export interface ReceivedSms {
  to: string;
  from: string;
  body: string;
  idempotencyKey: string;
  /** Every key of the JSON body, to check it carries exactly the contract's fields. */
  keys: string[];
}

export interface Sinks {
  smtpUrl: string;
  smsUrl: string;
  mails: ReceivedMail[];
  sms: ReceivedSms[];
  /** Environment for useTestApp (SMTP_URL, SMS_PROVIDER, SMS_WEBHOOK_URL); filled when started. */
  env: Record<string, string>;
  /** Answers the next `count` SMS requests with `status` (and records nothing for them). */
  failSms(count: number, status: number): void;
  /** Refuses the next `count` e-mails with an SMTP reply code (e.g. 451 temporary, 550 permanent). */
  failMail(count: number, code: number): void;
  /** Delays every SMS answer by `ms` (to make concurrent workers overlap). */
  delaySms(ms: number): void;
  /**
   * Puts the SMS endpoint into a fault mode until it is set back to 'none' (see {@link SinkFault}).
   * `status` is the answer of 'fail' (default 503). Leaving 'hang' ends the requests still hanging
   * by closing their connections, unanswered.
   */
  setSmsFault(fault: SinkFault, status?: number): Promise<void>;
  /**
   * Puts the SMTP server into a fault mode until it is set back to 'none'. `code` is the reply of
   * 'fail' to each message (default 451, temporary). 'hang' never sends the greeting; leaving it
   * ends the hanging connections with 421.
   */
  setMailFault(fault: SinkFault, code?: number): Promise<void>;
  /** How many requests (SMS) and connections or messages (e-mail) a fault mode has refused or held. */
  faultHits: { sms: number; mail: number };
  /** Errors of SMTP clients that went away mid-transaction (only with `tolerateClientErrors`). */
  clientErrors: Error[];
  clear(): void;
  close(): Promise<void>;
}

/**
 * A provider outage as a sink can play it: 'fail' answers with an error status; 'refuse' stops
 * listening (connection refused, on the same port); 'drop' accepts the connection and closes it at
 * once without an answer; 'hang' accepts and never answers until the mode ends.
 */
export type SinkFault = 'none' | 'fail' | 'refuse' | 'drop' | 'hang';

export interface SinkOptions {
  /**
   * A client that dies in the middle of an SMTP transaction (a server process killed with SIGKILL)
   * makes smtp-server emit 'error', which without a listener ends the test run. With this option the
   * sink records such errors in `clientErrors` instead.
   */
  tolerateClientErrors?: boolean;
}

export async function startSinks(options: SinkOptions = {}): Promise<Sinks> {
  const mails: ReceivedMail[] = [];
  const sms: ReceivedSms[] = [];
  let smsFailures: { count: number; status: number } = { count: 0, status: 200 };
  let mailFailures: { count: number; code: number } = { count: 0, code: 250 };
  let smsDelay = 0;
  let smsFault: { fault: SinkFault; status: number } = { fault: 'none', status: 503 };
  let mailFault: { fault: SinkFault; code: number } = { fault: 'none', code: 451 };
  const faultHits = { sms: 0, mail: 0 };
  const hungSms = new Set<Socket>();
  const hungMail = new Set<(error: Error) => void>();

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      if (mailFault.fault === 'hang') {
        faultHits.mail += 1;
        hungMail.add(callback);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (mailFault.fault === 'fail') {
          faultHits.mail += 1;
          const error = new Error('refused by the test sink (fault mode)') as Error & {
            responseCode: number;
          };
          error.responseCode = mailFault.code;
          callback(error);
          return;
        }
        if (mailFailures.count > 0) {
          mailFailures.count -= 1;
          const error = new Error('refused by the test sink') as Error & { responseCode: number };
          error.responseCode = mailFailures.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          ...parseMail(raw),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
        });
        callback();
      });
    },
  });
  const clientErrors: Error[] = [];
  if (options.tolerateClientErrors) smtp.on('error', (error: Error) => clientErrors.push(error));
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  // 'drop' closes a connection before smtp-server sees it: its own handlers run only otherwise.
  const smtpHandlers = smtp.server.listeners('connection') as Array<(socket: Socket) => void>;
  smtp.server.removeAllListeners('connection');
  smtp.server.on('connection', (socket: Socket) => {
    if (mailFault.fault === 'drop') {
      faultHits.mail += 1;
      socket.destroy();
      return;
    }
    for (const handler of smtpHandlers) handler.call(smtp.server, socket);
  });

  const http: Server = createServer((request, response) => {
    if (smsFault.fault === 'drop' || smsFault.fault === 'hang') {
      faultHits.sms += 1;
      if (smsFault.fault === 'drop') request.socket.destroy();
      else hungSms.add(request.socket);
      return;
    }
    if (smsFault.fault === 'fail') {
      faultHits.sms += 1;
      request.resume();
      response.writeHead(smsFault.status).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      setTimeout(() => {
        if (smsFailures.count > 0) {
          smsFailures.count -= 1;
          response.writeHead(smsFailures.status).end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
        sms.push({
          to: body.to ?? '',
          from: body.from ?? '',
          body: body.body ?? '',
          idempotencyKey: body.idempotencyKey ?? '',
          keys: Object.keys(body).sort(),
        });
        response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      }, smsDelay);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const smsPort = (http.address() as AddressInfo).port;

  const smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
  const smsUrl = `http://127.0.0.1:${smsPort}/sms`;
  return {
    smtpUrl,
    smsUrl,
    mails,
    sms,
    env: { SMTP_URL: smtpUrl, SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: smsUrl },
    failSms: (count, status) => {
      smsFailures = { count, status };
    },
    failMail: (count, code) => {
      mailFailures = { count, code };
    },
    delaySms: (ms) => {
      smsDelay = ms;
    },
    faultHits,
    clientErrors,
    setSmsFault: async (fault, status = 503) => {
      const was = smsFault.fault;
      smsFault = { fault, status };
      if (was === 'hang' && fault !== 'hang') {
        for (const socket of hungSms) socket.destroy();
        hungSms.clear();
      }
      if (fault === 'refuse' && was !== 'refuse') {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      } else if (was === 'refuse' && fault !== 'refuse') {
        await new Promise<void>((resolve) => http.listen(smsPort, '127.0.0.1', resolve));
      }
    },
    setMailFault: async (fault, code = 451) => {
      const was = mailFault.fault;
      mailFault = { fault, code };
      if (was === 'hang' && fault !== 'hang') {
        const refusal = Object.assign(new Error('test sink: hang over'), { responseCode: 421 });
        for (const callback of hungMail) callback(refusal);
        hungMail.clear();
      }
      // Stops listening at once; connections already open finish on their own.
      if (fault === 'refuse' && was !== 'refuse') smtp.server.close();
      else if (was === 'refuse' && fault !== 'refuse') {
        await new Promise<void>((resolve) => smtp.server.listen(smtpPort, '127.0.0.1', resolve));
      }
    },
    clear: () => {
      mails.length = 0;
      sms.length = 0;
    },
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * Starts the sinks before the file's tests. Call it BEFORE useTestApp and pass `sinks.env` to it:
 * the object is filled in this hook, which runs first, and useTestApp reads it in its own hook.
 */
export function useSinks(options: SinkOptions = {}): Sinks {
  const holder = { env: {} as Record<string, string> } as Sinks;
  beforeAll(async () => {
    if (skipReason) return;
    const started = await startSinks(options);
    Object.assign(holder.env, started.env);
    const { env: _env, ...rest } = started;
    Object.assign(holder, rest);
  });
  afterAll(async () => {
    await holder.close?.();
  });
  return holder;
}

// A small MIME reader for what nodemailer writes: headers (folded, RFC 2047 words), multipart
// bodies, quoted-printable and base64 parts.

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split(/\r\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const clean = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < clean.length; i += 1) {
    const char = clean[i]!;
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(clean.slice(i + 1, i + 3))) {
      bytes.push(parseInt(clean.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0
    ? { headers: parseHeaders(raw), body: '' }
    : { headers: parseHeaders(raw.slice(0, end)), body: raw.slice(end + 4) };
}

function collectParts(raw: string, into: { text: string; html: string }): void {
  const { headers, body } = splitPart(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      collectParts(part.replace(/^\r\n/, '').replace(/\r\n$/, ''), into);
    }
    return;
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding'));
  if (/^text\/html/i.test(type)) into.html = decoded;
  else if (/^text\/plain/i.test(type)) into.text = decoded;
}

export function parseMail(raw: string): Omit<ReceivedMail, 'from' | 'to' | 'raw'> {
  const { headers } = splitPart(raw);
  const parts = { text: '', html: '' };
  collectParts(raw, parts);
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    idempotencyKey: headers.get('x-idempotency-key') ?? '',
    contentType: headers.get('content-type') ?? '',
    ...parts,
  };
}
