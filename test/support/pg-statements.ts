import pg from 'pg';

/** One statement a pg client was asked to run, with the order (a counter, not a clock) it was sent and answered in. */
export interface Sent {
  readonly text: string;
  readonly sent: number;
  answered: number;
}

/** Records, per client, each statement's order of sending and answering (a counter, not a clock). */
export function recordStatements(): { log: Map<object, Sent[]>; restore: () => void } {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const log = new Map<object, Sent[]>();
  let tick = 0;
  proto.query = function (this: object, ...args: unknown[]) {
    const first = args[0] as string | { name?: string; text?: string };
    const entry: Sent = {
      text: typeof first === 'string' ? first : (first.name ?? first.text ?? '?'),
      sent: tick++,
      answered: Infinity,
    };
    log.set(this, [...(log.get(this) ?? []), entry]);
    const result = original.apply(this, args);
    if (!(result instanceof Promise)) return result;
    const done = () => (entry.answered = tick++);
    return result.then(
      (r: unknown) => (done(), r),
      (e: unknown) => {
        done();
        throw e;
      },
    );
  };
  return { log, restore: () => (proto.query = original) };
}

/** Times the client waited for an answer before sending: statements sent after the one before was answered. */
export const roundTrips = (sent: readonly Sent[]): number =>
  sent.filter((s, i) => i === 0 || s.sent > sent[i - 1]!.answered).length;

/** Each client's statements cut into transactions, BEGIN to COMMIT or ROLLBACK; statements outside one are left out. */
export function transactions(log: Map<object, Sent[]>): Sent[][] {
  const out: Sent[][] = [];
  for (const sent of log.values()) {
    let open: Sent[] | undefined;
    for (const s of sent) {
      if (s.text === 'BEGIN') open = [];
      if (!open) continue;
      open.push(s);
      if (s.text === 'COMMIT' || s.text === 'ROLLBACK') {
        out.push(open);
        open = undefined;
      }
    }
  }
  return out;
}
