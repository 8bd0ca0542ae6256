import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApi, type ApiHarness } from '../server/api-harness.js';
import { runCli, type CliResult } from '../cli/run-cli.js';

/** A real Baton API on a free local port, a folder for definition files, and the CLI pointed at both. */
export interface ClientServer {
  readonly api: ApiHarness;
  readonly url: string;
  readonly dir: string;
  /** Writes a definition file into `dir` and returns its path. */
  write(name: string, text: string): string;
  /** `baton ARGS --url URL`, run in-process from `dir`. */
  baton(...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function openClientServer(): Promise<ClientServer> {
  const api = await openApi();
  const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-cli-client-'));
  return {
    api,
    url: address,
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    baton: (...args) => runCli([...args, '--url', address], dir),
    async close() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A local port nothing listens on (taken from the OS, then let go). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Two steps that succeed. */
export const GOOD = `properties: { owner: tester }
workflow:
  id: good
  steps:
    - step: { id: first, type: NoOp }
    - step: { id: second, type: NoOp }
`;

/** One step that fails for good at once. */
export const BAD = `properties: { owner: tester }
workflow:
  id: bad
  steps:
    - step:
        id: boom
        type: Shell
        retry_policy: { error_retry_limit: 0 }
        params: { command: { type: STRING, value: "echo broken >&2; exit 3" } }
`;

/** A step that sleeps until it is stopped. */
export const SLOW = `properties: { owner: tester }
workflow:
  id: slow
  steps:
    - step:
        id: nap
        type: Shell
        params: { command: { type: STRING, value: 'sleep 60' } }
`;

/** A definition with a mistake on line 7 (an unknown step type). */
export const INVALID = `properties: { owner: tester }
workflow:
  id: invalid
  steps:
    - step:
        id: x
        type: NoSuchType
`;
