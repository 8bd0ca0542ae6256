// Baton's API client, for the CLI and the web UI (no Node modules: only `fetch`).
export {
  createApiClient,
  type ApiClient,
  type AttemptSelector,
  type DefinitionFormat,
  type RunSelector,
} from './api-client.js';
export { ApiError, BadAnswerError, ServerUnreachableError } from './errors.js';
export type { ApiClientDeps, ApiClientOptions } from './http.js';
export * from './types.js';
