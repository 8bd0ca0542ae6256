/** Where the CLI writes and what it knows of its terminal; tests pass their own to capture output. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands wait on it. */
  readonly stopSignal?: Promise<unknown>;
}

/** Exit codes shared by every command. */
/** INTERRUPTED: stopped by SIGINT/SIGTERM before it finished (128 + SIGINT's number, as shells report it). */
/** UNAVAILABLE: a client command got no answer from the server, or a 5xx one (worth trying again later). */
export const ExitCode = { OK: 0, FAILED: 1, INVALID: 2, UNAVAILABLE: 3, INTERRUPTED: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
