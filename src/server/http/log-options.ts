import type { FastifyRequest } from 'fastify';
import { stdSerializers, type DestinationStream, type LoggerOptions } from 'pino';
import { maskIdentifier } from '../security/tokens.ts';

/**
 * The logger of the app: what a log line may carry. Secrets never reach a line: credentials in
 * headers and fields are redacted, and every URL, error and message text is masked by
 * {@link maskSecrets} (a customer link `/k/<token>` is a credential in its own right).
 */

/** Where log lines go instead of stdout, and from which level (tests capture real lines with it). */
export interface LogDestination {
  stream: DestinationStream;
  level?: string;
}

/** Paths whose values must never reach a log line. */
const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
];

/** The path segment after `/k/`: a customer link's token (or a mistyped one, just as secret). */
const LINK_SEGMENT = /\/k\/([^/?#\s"'<>]+)/g;
/** A query value whose name says it is a credential (`token=`, `code=`, `api_key=`, …). */
const SECRET_QUERY_VALUE =
  /([?&][^=&#\s]*(?:token|code|key|secret|password|session|sig)[^=&#\s]*=)([^&#\s"'<>]+)/gi;

/**
 * A text with every secret a URL can carry masked: link tokens after `/k/` and credential-named query
 * values, wherever they appear (a request's URL, an error message quoting it, a log message).
 */
export function maskSecrets(text: string): string {
  return text
    .replace(LINK_SEGMENT, (_match, segment: string) => `/k/${maskIdentifier(segment)}`)
    .replace(SECRET_QUERY_VALUE, (_match, name: string, value: string) => `${name}${maskIdentifier(value)}`);
}

/** Fastify's request fields, with the URL masked. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: maskSecrets(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** A plain object's own text fields masked (errors, requests and other objects have serializers). */
function maskFields(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      typeof field === 'string' ? maskSecrets(field) : field,
    ]),
  );
}

/** pino's error fields (message, stack, own properties), every text among them masked. */
function serializeError(error: Error) {
  const fields: Record<string, unknown> = { ...stdSerializers.err(error) };
  for (const [key, value] of Object.entries(fields))
    if (typeof value === 'string') fields[key] = maskSecrets(value);
  return fields;
}

/** The pino options of the app's logger: level, redaction, masking serializers, masked messages. */
export function logOptions(
  level: string,
  destination?: LogDestination,
): LoggerOptions & {
  stream?: DestinationStream;
} {
  return {
    level: destination?.level ?? level,
    redact,
    serializers: { req: serializeRequest, err: serializeError },
    hooks: {
      // Message texts and the text fields of a line too: Fastify quotes a request's URL in some of its
      // warnings, and a delivery error may quote a provider's answer.
      logMethod(args, method) {
        const masked = args.map((arg: unknown) =>
          typeof arg === 'string' ? maskSecrets(arg) : maskFields(arg),
        );
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
    ...(destination && { stream: destination.stream }),
  };
}
