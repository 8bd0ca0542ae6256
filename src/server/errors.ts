import type { FastifyError, FastifyInstance } from 'fastify';
import type { ApiErrorBody, ApiErrorDetail } from '../model/api-error.js';
import { BatonError, ValidationError } from '../model/errors.js';
import { formatPath, type Issue } from '../model/issue.js';

/** One entry of an error answer (the server's name for it). */
export type ApiError = ApiErrorDetail;
export type { ApiErrorBody };

/** Maestro's names of HTTP statuses (its error `status` field). */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The body of an error answer: the first error's message (with how many more) as Maestro's `message`. */
export function errorBody(status: number, errors: readonly ApiError[]): ApiErrorBody {
  const first = errors[0];
  const message =
    first === undefined
      ? (STATUS_NAMES[status] ?? 'error')
      : `${first.field !== undefined && first.field !== '$' ? `${first.field}: ` : ''}${first.message}` +
        (errors.length > 1 ? ` (and ${errors.length - 1} more)` : '');
  return { status: STATUS_NAMES[status] ?? String(status), message, errors };
}

export function issueToApiError(issue: Issue): ApiError {
  return {
    code: issue.code,
    field: formatPath(issue.path),
    message: issue.message,
    ...(issue.line === undefined ? {} : { line: issue.line }),
    ...(issue.column === undefined ? {} : { column: issue.column }),
  };
}

/** Fastify's own errors that are the caller's fault, with the status and code the API answers them with. */
const FASTIFY_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'VALIDATION_FAILED' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'VALIDATION_FAILED' },
};

/** The status and body an error is answered with. Errors Baton did not raise on purpose say nothing of their insides. */
export function errorReply(error: unknown): { status: number; body: ApiErrorBody; internal: boolean } {
  if (error instanceof ValidationError) {
    const issues = error.issues.filter((i) => i.severity !== 'warning');
    const errors =
      issues.length > 0 ? issues.map(issueToApiError) : [{ code: error.code, message: error.message }];
    return { status: 400, body: errorBody(400, errors), internal: false };
  }
  if (error instanceof BatonError) {
    return {
      status: error.httpStatus,
      body: errorBody(error.httpStatus, [{ code: error.code, message: error.message }]),
      internal: false,
    };
  }
  const fastify = error as Partial<FastifyError> & {
    validation?: { instancePath?: string; message?: string }[];
  };
  if (Array.isArray(fastify.validation)) {
    const part = fastify.validationContext ?? 'body';
    const errors = fastify.validation.map((v) => ({
      code: 'VALIDATION_FAILED',
      field: `${part}${(v.instancePath ?? '').replaceAll('/', '.')}`,
      message: v.message ?? 'is not valid',
    }));
    return { status: 400, body: errorBody(400, errors), internal: false };
  }
  const known = fastify.code === undefined ? undefined : FASTIFY_ERRORS[fastify.code];
  if (known) {
    return {
      status: known.status,
      body: errorBody(known.status, [{ code: known.code, message: fastify.message ?? known.code }]),
      internal: false,
    };
  }
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const message = fastify.message ?? 'bad request';
    return {
      status: fastify.statusCode,
      body: errorBody(fastify.statusCode, [{ code: 'BAD_REQUEST', message }]),
      internal: false,
    };
  }
  return {
    status: 500,
    body: errorBody(500, [
      { code: 'INTERNAL', message: 'the server failed to answer this request; see its log' },
    ]),
    internal: true,
  };
}

/** Answers every error and every unknown route with `{"errors": [...]}`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body, internal } = errorReply(error);
    if (internal) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(404, [
          { code: 'NOT_FOUND', message: `no endpoint ${request.method} ${request.url.split('?')[0]}` },
        ]),
      ),
  );
}
