import { ApiError, BadAnswerError, errorBodyOf, networkReason, ServerUnreachableError } from './errors.js';

/** Where the API is and who calls it. */
export interface ApiClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8080` (no `/api/v3`). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Sent as the `user` header: who the server records as the caller when it does not check tokens. */
  readonly user?: string;
}

export interface ApiClientDeps {
  /** The global `fetch` unless given. */
  readonly fetch?: typeof fetch;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export interface RequestOptions {
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** A JSON body. */
  readonly json?: unknown;
  /** A text body with its content type (a definition file as written). */
  readonly text?: { readonly body: string; readonly contentType: string };
  readonly signal?: AbortSignal;
}

/** Sends requests to one server under /api/v3, turning every failure into ApiError or ServerUnreachableError. */
export interface HttpTransport {
  readonly baseUrl: string;
  json<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** The raw answer of a 2xx request (for streamed text); errors are thrown as by `json`. */
  raw(method: string, path: string, options?: RequestOptions): Promise<Response>;
}

/** `https://host:8080/` → `https://host:8080`; anything that is not an http(s) URL is refused here. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`'${url}' is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TypeError(`'${url}' is not an http:// or https:// URL`);
  return parsed.href.replace(/\/+$/, '');
}

export function createTransport(options: ApiClientOptions, deps: ApiClientDeps = {}): HttpTransport {
  const baseUrl = normalizeBaseUrl(options.url);
  const doFetch = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.user) headers['user'] = options.user;

  async function raw(method: string, path: string, request: RequestOptions = {}): Promise<Response> {
    const url = `${baseUrl}/api/v3${path}${queryString(request.query)}`;
    const init: RequestInit = { method, headers: { ...headers, accept: 'application/json, text/plain' } };
    if (request.json !== undefined) {
      init.body = JSON.stringify(request.json);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    } else if (request.text !== undefined) {
      init.body = request.text.body;
      init.headers = { ...init.headers, 'content-type': request.text.contentType };
    }
    if (request.signal) init.signal = request.signal;
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new ServerUnreachableError(baseUrl, networkReason(error), { cause: error });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new ApiError(response.status, errorBodyOf(response.status, response.statusText, text));
    }
    return response;
  }

  async function json<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
    const response = await raw(method, path, request);
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new BadAnswerError(`${method} ${path} answered ${response.status} with a body that is not JSON`, {
        cause: error,
      });
    }
  }

  return { baseUrl, json, raw };
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(name, String(v));
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** One path segment: ids may hold dots, dashes and anything else a user typed. */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}
