import { systemClock } from '../engine/clock.js';
import { NotFoundError } from '../model/errors.js';
import { openStoreFor } from '../server/open-store.js';
import { createApiToken, tokenView } from '../server/tokens.js';
import type { Store } from '../store/port.js';
import { ExitCode, type Io } from './io.js';

// `baton token create|ls|revoke --db`: the token commands on the database itself, not through a server. This is
// how the first admin token is made, before any token exists (without --db the client commands use the API).

type TokenView = ReturnType<typeof tokenView>;

async function onStore<T>(db: string, act: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStoreFor(db, { clock: systemClock });
  try {
    return await act(store);
  } finally {
    await store.close();
  }
}

/** Makes a token and prints it alone on stdout, once (only its hash is stored). */
export async function localTokenCreate(
  io: Io,
  db: string,
  input: { readonly name: string; readonly role: string; readonly json?: boolean },
): Promise<ExitCode> {
  const { record, token } = await onStore(db, (store) =>
    createApiToken({ store, clock: systemClock }, input),
  );
  if (input.json) {
    io.stdout(`${JSON.stringify({ ...tokenView(record), token }, null, 2)}\n`);
    return ExitCode.OK;
  }
  io.stdout(`${token}\n`);
  io.stderr(`token ${record.id} '${record.name}' (${record.role}) created; it is shown only this once\n`);
  return ExitCode.OK;
}

/** Lists the tokens of the database, never their secrets or hashes. */
export async function localTokenList(io: Io, db: string, json?: boolean): Promise<ExitCode> {
  const list = await onStore(db, async (store) =>
    (await store.transact((tx) => tx.listTokens())).map(tokenView),
  );
  if (json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
  else printList(io, list);
  return ExitCode.OK;
}

/** Revokes a token for good; an unknown id is a NotFoundError (exit 2, saying so). */
export async function localTokenRevoke(io: Io, db: string, id: string, json?: boolean): Promise<ExitCode> {
  const record = await onStore(db, (store) =>
    store.transact(async (tx) => {
      await tx.revokeToken(id, systemClock.now());
      return tx.getToken(id);
    }),
  );
  if (!record) throw new NotFoundError(`there is no token '${id}'`);
  if (json) io.stdout(`${JSON.stringify(tokenView(record), null, 2)}\n`);
  else io.stdout(`token ${id} revoked\n`);
  return ExitCode.OK;
}

function printList(io: Io, list: readonly TokenView[]): void {
  if (list.length === 0) {
    io.stdout('no tokens\n');
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
