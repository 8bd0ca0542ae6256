/**
 * The body of every 4xx and 5xx answer of the HTTP API (ARCHITECTURE "Bad input"), shared by the server that writes
 * it and the client that reads it: Maestro's `status` (the name of the HTTP status) and `message`, and every problem
 * in `errors`, each with a code, where and why.
 */
export interface ApiErrorBody {
  readonly status: string;
  readonly message: string;
  readonly errors: readonly ApiErrorDetail[];
}

/** One problem: a stable code, where (a JSON path or a request part; line and column in a definition text), why. */
export interface ApiErrorDetail {
  readonly code: string;
  readonly field?: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}
