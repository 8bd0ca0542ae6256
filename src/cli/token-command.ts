import type { Command } from 'commander';
import { systemClock } from '../engine/clock.js';
import { NotFoundError } from '../model/errors.js';
import { openStoreFor } from '../server/open-store.js';
import { createApiToken, tokenView } from '../server/tokens.js';
import { TOKEN_ROLES, type Store } from '../store/port.js';
import { ExitCode, type Io } from './io.js';

type TokenView = ReturnType<typeof tokenView>;

/** Where the token commands work: straight on a store (`--db`), or through a server's API (`--url`). */
interface Target {
  readonly db?: string;
  readonly url?: string;
}

/**
 * `baton token create|ls|revoke`. With `--db` they work on the store itself (how the first admin token is made,
 * before any token exists); without it, on the server at `--url` / `BATON_URL` through `/api/v3/tokens`, with the
 * admin token in `BATON_TOKEN`.
 */
export function registerTokenCommands(program: Command, io: Io, done: (code: ExitCode) => void): void {
  const token = program
    .command('token')
    .description('make, list and revoke API tokens (used when the server runs with BATON_AUTH=on)');
  const where = (c: Command): Command =>
    c
      .option(
        '--db <path|url>',
        'work on this SQLite file or postgres:// database directly (default: $BATON_DB)',
      )
      .option('--url <url>', "work through this server's API, with $BATON_TOKEN (default: $BATON_URL)");

  where(token.command('create'))
    .description('make a token and print it, once: only a hash of it is kept')
    .requiredOption('--name <name>', 'who calls with it: the user name runs and versions will show')
    .requiredOption('--role <role>', `what it may do: ${TOKEN_ROLES.join(', ')}`)
    .option('--json', 'print {id, name, role, token, ...} as JSON')
    .action(async (opts: Target & { name: string; role: string; json?: boolean }) => {
      done(
        await run(
          io,
          opts,
          (t) => t.create(opts.name, opts.role),
          (made) => printMade(io, made, opts.json),
        ),
      );
    });
  where(token.command('ls'))
    .description('list tokens (never their secrets)')
    .option('--json', 'print the list as JSON')
    .action(async (opts: Target & { json?: boolean }) => {
      done(
        await run(
          io,
          opts,
          (t) => t.list(),
          (list) => printList(io, list, opts.json),
        ),
      );
    });
  where(token.command('revoke'))
    .description('revoke a token for good')
    .argument('<id>', 'the id of the token (baton token ls)')
    .action(async (id: string, opts: Target) => {
      done(
        await run(
          io,
          opts,
          (t) => t.revoke(id),
          (revoked) => io.stdout(`token ${revoked.id} (${revoked.name}) is revoked\n`),
        ),
      );
    });
}

interface Tokens {
  create(name: string, role: string): Promise<TokenView & { token: string }>;
  list(): Promise<TokenView[]>;
  revoke(id: string): Promise<TokenView>;
}

async function run<T>(
  io: Io,
  target: Target,
  act: (tokens: Tokens) => Promise<T>,
  print: (result: T) => void,
): Promise<ExitCode> {
  const db =
    target.db ??
    (target.url === undefined && process.env['BATON_URL'] === undefined
      ? process.env['BATON_DB']
      : undefined);
  const url = target.url ?? process.env['BATON_URL'];
  if (db !== undefined) {
    const store = await openStoreFor(db, { clock: systemClock });
    try {
      print(await act(localTokens(store)));
      return ExitCode.OK;
    } finally {
      await store.close();
    }
  }
  if (url === undefined) {
    io.stderr(
      'baton token: give --db PATH|URL to work on a store, or --url (or BATON_URL) to work through a server\n',
    );
    return ExitCode.INVALID;
  }
  const answer = await act(remoteTokens(url, process.env['BATON_TOKEN'])).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('value' in answer) {
    print(answer.value);
    return ExitCode.OK;
  }
  if (!(answer.error instanceof ApiAnswerError)) throw answer.error;
  io.stderr(`baton token: ${answer.error.message}\n`);
  return answer.error.status >= 500 ? ExitCode.FAILED : ExitCode.INVALID;
}

function localTokens(store: Store): Tokens {
  return {
    async create(name, role) {
      const { record, token } = await createApiToken({ store, clock: systemClock }, { name, role });
      return { ...tokenView(record), token };
    },
    async list() {
      return (await store.transact((tx) => tx.listTokens())).map(tokenView);
    },
    async revoke(id) {
      const record = await store.transact(async (tx) => {
        await tx.revokeToken(id, systemClock.now());
        return tx.getToken(id);
      });
      if (!record) throw new NotFoundError(`there is no token '${id}'`);
      return tokenView(record);
    },
  };
}

/** An error answer of the API, with its status and message. */
class ApiAnswerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function remoteTokens(base: string, bearer: string | undefined): Tokens {
  const call = async <T>(method: string, path: string, body?: object): Promise<T> => {
    const response = await fetch(new URL(`/api/v3${path}`, base), {
      method,
      headers: {
        ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json().catch(() => ({}))) as { message?: string };
    if (!response.ok) {
      const hint =
        response.status === 401 && bearer === undefined ? ' (set BATON_TOKEN to an admin token)' : '';
      throw new ApiAnswerError(
        response.status,
        `${response.status} ${json.message ?? response.statusText}${hint}`,
      );
    }
    return json as T;
  };
  return {
    create: (name, role) => call('POST', '/tokens', { name, role }),
    list: async () => (await call<{ tokens: TokenView[] }>('GET', '/tokens')).tokens,
    revoke: (id) => call('DELETE', `/tokens/${encodeURIComponent(id)}`),
  };
}

function printMade(io: Io, made: TokenView & { token: string }, json?: boolean): void {
  if (json) {
    io.stdout(`${JSON.stringify(made, null, 2)}\n`);
    return;
  }
  io.stdout(`${made.token}\n`);
  io.stderr(
    `baton token: made token ${made.id} for ${made.name} (${made.role}); this is the only time it is shown\n`,
  );
}

function printList(io: Io, list: readonly TokenView[], json?: boolean): void {
  if (json) {
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return;
  }
  const time = (t: unknown) => (typeof t === 'number' ? new Date(t).toISOString() : '-');
  const rows = [
    ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
    ...list.map((t) => [
      String(t.id),
      String(t.name),
      String(t.role),
      time(t.create_time),
      time(t.last_used_time),
      time(t.revoke_time),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows)
    io.stdout(
      `${row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
}
