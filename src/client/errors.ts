import type { ApiErrorBody, ApiErrorDetail } from './types.js';

/**
 * The server answered with an error status (4xx or 5xx). `body` is its error answer
 * (`{status, message, errors[]}`); an answer that was not one (a proxy's HTML page) is turned into one.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody, options?: { cause?: unknown }) {
    super(body.message, options);
    this.status = status;
    this.body = body;
  }

  get errors(): readonly ApiErrorDetail[] {
    return this.body.errors;
  }
}

/** No answer at all: nothing listens at the URL, the name does not resolve, or the connection broke. */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(
      `cannot reach the Baton server at ${url} (${reason}); is \`baton server\` running? set BATON_URL or --url`,
      options,
    );
    this.url = url;
  }
}

/** The server answered 2xx with a body that is not what the endpoint returns (not JSON, or cut short). */
export class BadAnswerError extends Error {
  override readonly name = 'BadAnswerError';
}

/** Reads an error answer's body; anything that is not Baton's error shape becomes one with the HTTP status. */
export function errorBodyOf(status: number, statusText: string, text: string): ApiErrorBody {
  try {
    const parsed = JSON.parse(text) as Partial<ApiErrorBody> | null;
    if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string') {
      return {
        status: typeof parsed.status === 'string' ? parsed.status : String(status),
        message: parsed.message,
        errors: Array.isArray(parsed.errors) ? parsed.errors.filter(isDetail) : [],
      };
    }
  } catch {
    // not JSON: described below from the status line
  }
  // A proxy's page, or a server that is not Baton: its status line and the start of what it said.
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return {
    status: statusText ? statusText.toUpperCase().replace(/[^A-Z0-9]+/g, '_') : String(status),
    message: `an answer that is not Baton's${snippet ? `: ${snippet}` : ' (no body)'}`,
    errors: [],
  };
}

function isDetail(value: unknown): value is ApiErrorDetail {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorDetail).message === 'string' &&
    typeof (value as ApiErrorDetail).code === 'string'
  );
}

/** Why a fetch failed, in a few words (the network error's code when it has one: ECONNREFUSED, ENOTFOUND, …). */
export function networkReason(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) return describeCode(code);
    // Node tries each address of a name (IPv6 and IPv4) and reports all of them together.
    const first: unknown = (cause as { errors?: unknown[] }).errors?.[0];
    cause = first instanceof Error ? first : cause.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

function describeCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'no such host';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return code;
  }
}
