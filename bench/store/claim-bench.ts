/**
 * Claim throughput of the PostgreSQL store against the size of the work_item backlog (does `FOR UPDATE SKIP LOCKED`
 * slow down when very many rows are queued, as Netflix Maestro reported?). For each backlog shape, in a fresh schema
 * of a scratch database: enqueue the backlog through `tx.enqueue` (chunks of 5,000), ANALYZE, record EXPLAIN
 * (ANALYZE, BUFFERS) of the claim's inner SELECT (custom and generic plan), then let 3 claimers (3 store instances,
 * i.e. 3 pools, like 3 processes) loop `claim(64) + ack` in one transaction for ~5 s or until the backlog is empty.
 * Reports items/s and p50/p99 of one claim transaction. Shapes: N due, unleased items (1k .. 300k), and 100k items
 * leased to another owner (older run_at, lease in the future) in front of 1k claimable ones. Claimers: `store` runs
 * whatever claim src has now; `pg-head` and `pg-fixed` are 3 plain `pg` clients on a frozen copy of the committed
 * claim (one OR over `work_item_claim (run_at, id)`) and on a candidate fix (a partial index on unleased rows,
 * expired leases found through `work_item_lease`), to compare before/after on the same footing.
 *
 * Run: `npx tsx bench/store/claim-bench.ts` (BATON_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * the database `baton_bench_claim` is created there and dropped afterwards). `--quick` skips the 300k backlog.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { systemClock } from '../../src/engine/clock.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { SQL } from '../../src/store/postgres/sql.js';
import type { NewWorkItem, Store, WorkItemKind } from '../../src/store/port.js';
import { reachable, withScratchDatabase } from '../peers/scratch-db.js';

const ADMIN_URL = process.env.BATON_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'baton_bench_claim';
const CLAIMERS = 3;
const BATCH = 64;
const LEASE_MS = 30_000;
const DURATION_MS = 5_000;
const CHUNK = 5_000;
const KINDS: readonly WorkItemKind[] = ['step'];

/** BIGINT as number, as the store reads it. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/**
 * The claim as committed when this bench was written (`claimOfKinds` of src/store/postgres/sql.ts: $1 now, $2 limit,
 * $3 owner, $4 lease until, $5 kinds) and the index it walks, copied so the baseline stays fixed while src changes.
 */
const HEAD_CLAIM = `WITH c AS (
      SELECT id, lease_owner AS previous_owner FROM work_item
      WHERE run_at <= $1 AND (lease_owner IS NULL OR lease_until < $1) AND kind = ANY($5::text[])
      ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE work_item AS w SET lease_owner = $3, lease_until = $4 FROM c WHERE w.id = c.id
    RETURNING w.id, w.kind, w.workflow_id, w.instance_id, w.run_id, w.step_id, w.attempt, w.payload, w.run_at, w.dedup_key,
      w.lease_owner, w.lease_until, w.created_at, c.previous_owner`;
const HEAD_INDEX = 'CREATE INDEX IF NOT EXISTS work_item_claim ON work_item (run_at, id)';

/** A claim statement's inner SELECT, for EXPLAIN ($1 now, $2 limit, $3 kinds). */
function innerSelect(claim: string): string {
  return (/WITH c AS \(\s*([\s\S]*?SKIP LOCKED)\)/.exec(claim)?.[1] ?? '').replace(/\$5/g, () => '$3');
}

/** The inner SELECTs of the claim statements the store in src runs now (whatever their names). */
const STORE_SELECTS = Object.entries(SQL)
  .filter(([name, text]) => name.startsWith('claim') && text.includes('SKIP LOCKED'))
  .map(([name, text]) => ({ name, select: innerSelect(text) }));

/** Candidate fix, index: only rows nobody holds, so leased rows cost the claim nothing. */
const FIXED_INDEX =
  'CREATE INDEX IF NOT EXISTS work_item_claim_free ON work_item (run_at, id) WHERE lease_owner IS NULL';

/**
 * Candidate fix, query: unleased rows through `work_item_claim_free`, expired leases through `work_item_lease`
 * (lease_until, longest expired first, so the scan stops at the first live lease whatever the plan) instead of one
 * OR that no index can answer; the union is ordered by run_at and cut as before.
 */
const FIXED_CLAIM = `WITH free AS (
      SELECT id, run_at, lease_owner AS previous_owner FROM work_item
      WHERE lease_owner IS NULL AND run_at <= $1 AND kind = ANY($5::text[])
      ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED),
    expired AS (
      SELECT id, run_at, lease_owner AS previous_owner FROM work_item
      WHERE lease_owner IS NOT NULL AND lease_until < $1 AND run_at <= $1 AND kind = ANY($5::text[])
      ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED),
    c AS (
      SELECT id, previous_owner FROM (SELECT * FROM free UNION ALL SELECT * FROM expired) AS u
      ORDER BY run_at, id LIMIT $2)
    UPDATE work_item AS w SET lease_owner = $3, lease_until = $4 FROM c WHERE w.id = c.id
    RETURNING w.id, w.kind, w.workflow_id, w.instance_id, w.run_id, w.step_id, w.attempt, w.payload, w.run_at, w.dedup_key,
      w.lease_owner, w.lease_until, w.created_at, c.previous_owner`;

const FIXED_SELECT = (/WITH (free AS[\s\S]*?\))\s*UPDATE work_item/.exec(FIXED_CLAIM)?.[1] ?? '').replace(
  /\$5/g,
  () => '$3',
);
const FIXED_EXPLAIN = `WITH ${FIXED_SELECT} SELECT * FROM c`;

type Claimer = 'store' | 'pg-head' | 'pg-fixed';

interface Shape {
  readonly name: string;
  /** Due, unleased items. */
  readonly claimable: number;
  /** Items leased to another owner until an hour from now, due a minute before the claimable ones. */
  readonly leased: number;
  /** Items whose lease (to a crashed owner) ran out a second ago: claimable, taken over. */
  readonly expired?: number;
  readonly claimer: Claimer;
}

interface Result {
  readonly shape: Shape;
  readonly claimed: number;
  readonly seconds: number;
  readonly transactions: number;
  readonly p50: number;
  readonly p99: number;
  readonly explain: string[];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function withClient<T>(url: string, schema: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function enqueue(store: Store, count: number, make: (i: number) => NewWorkItem): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    const items: NewWorkItem[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) items.push(make(i));
    await store.transact((tx) => tx.enqueue(items));
  }
}

/** The plan's first lines, and its execution time: custom plan (literal values) and generic plan (as cached). */
async function explain(client: pg.Client, select: string, now: number): Promise<string[]> {
  const lines: string[] = [];
  const keep = (label: string, rows: { 'QUERY PLAN': string }[]): void => {
    const plan = rows.map((r) => r['QUERY PLAN']);
    const detail = plan.slice(7).filter((l) => /CTE |Scan |Index Cond|Rows Removed|Execution Time/.test(l));
    lines.push(`-- ${label}`, ...plan.slice(0, 7), ...detail);
  };
  // $3 is the kinds as an array (`kind = ANY($3::text[])`) or one kind (`kind = $3`), as the query has it
  const array = /\$3::text\[\]/.test(select);
  const kinds = array ? "'{step}'" : "'step'";
  await client.query('BEGIN');
  try {
    const custom = select.replace(/\$1/g, String(now)).replace(/\$2/g, String(BATCH)).replace(/\$3/g, kinds);
    keep('custom plan', (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${custom}`)).rows);
    await client.query(`PREPARE claim_select (bigint, int, ${array ? 'text[]' : 'text'}) AS ${select}`);
    await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    const generic = await client.query(
      `EXPLAIN (ANALYZE, BUFFERS) EXECUTE claim_select (${now}, ${BATCH}, ${kinds})`,
    );
    keep('generic plan', generic.rows);
  } finally {
    await client.query('ROLLBACK');
    await client.query('DEALLOCATE ALL');
  }
  return lines;
}

/** One claim transaction (claim + ack) through a claimer; resolves to the number of items claimed. */
type ClaimOnce = (owner: string, now: number) => Promise<number>;

async function openClaimers(
  url: string,
  schema: string,
  kind: Claimer,
): Promise<{ claims: ClaimOnce[]; close: () => Promise<void> }> {
  if (kind === 'store') {
    const stores: Store[] = [];
    for (let i = 0; i < CLAIMERS; i++)
      stores.push(
        await openPostgresStore({ clock: systemClock }, { url, schema, poolSize: 2, listen: false }),
      );
    return {
      claims: stores.map(
        (store) => (owner, now) =>
          store.transact(async (tx) => {
            const items = await tx.claim(owner, now, LEASE_MS, BATCH, KINDS);
            await tx.ack(items.map((item) => item.id));
            return items.length;
          }),
      ),
      close: async () => void (await Promise.all(stores.map((store) => store.close()))),
    };
  }
  const text = kind === 'pg-head' ? HEAD_CLAIM : FIXED_CLAIM;
  const clients: pg.Client[] = [];
  for (let i = 0; i < CLAIMERS; i++) {
    const client = new pg.Client({ connectionString: url, types, options: `-c search_path=${schema}` });
    await client.connect();
    clients.push(client);
  }
  return {
    claims: clients.map((client) => async (owner, now) => {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ id: number }>({
          name: `claim_${kind}`,
          text,
          values: [now, BATCH, owner, now + LEASE_MS, KINDS],
        });
        if (rows.length > 0)
          await client.query({ name: 'ack', text: SQL.ack, values: [rows.map((r) => r.id)] });
        await client.query('COMMIT');
        return rows.length;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }),
    close: async () => void (await Promise.all(clients.map((client) => client.end()))),
  };
}

async function runShape(url: string, shape: Shape): Promise<Result> {
  const schema = `claim_${shape.name.replace(/[^a-z0-9]+/g, '_')}_${shape.claimer.replace('-', '_')}`;
  const loader = await openPostgresStore({ clock: systemClock }, { url, schema, poolSize: 1, listen: false });
  const now = Date.now();
  try {
    await enqueue(loader, shape.leased, (i) => ({
      kind: 'step',
      workflow_id: 'wf',
      instance_id: i,
      run_id: 1,
      step_id: 's',
      attempt: 1,
      payload: {},
      run_at: now - 60_000,
      lease_owner: 'someone-else',
      lease_until: now + 3_600_000,
    }));
    await enqueue(loader, shape.expired ?? 0, (i) => ({
      kind: 'step',
      workflow_id: 'wf',
      instance_id: shape.leased + shape.claimable + i,
      run_id: 1,
      step_id: 's',
      attempt: 1,
      payload: {},
      run_at: now - 30_000,
      lease_owner: 'crashed',
      lease_until: now - 1_000,
    }));
    await enqueue(loader, shape.claimable, (i) => ({
      kind: 'step',
      workflow_id: 'wf',
      instance_id: shape.leased + i,
      run_id: 1,
      step_id: 's',
      attempt: 1,
      payload: {},
      run_at: now,
    }));
  } finally {
    await loader.close();
  }
  const explainLines = await withClient(url, schema, async (client) => {
    // The raw claimers get the indexes of the SQL they run, whatever the migration in src creates now.
    if (shape.claimer !== 'store') await client.query('DROP INDEX IF EXISTS work_item_unleased');
    if (shape.claimer === 'pg-head') await client.query(HEAD_INDEX);
    if (shape.claimer === 'pg-fixed') await client.query(FIXED_INDEX);
    await client.query('ANALYZE work_item');
    const selects =
      shape.claimer === 'store'
        ? STORE_SELECTS
        : [
            {
              name: shape.claimer,
              select: shape.claimer === 'pg-head' ? innerSelect(HEAD_CLAIM) : FIXED_EXPLAIN,
            },
          ];
    const lines: string[] = [];
    for (const { name, select } of selects)
      lines.push(`--- ${name}`, ...(await explain(client, select, Date.now())));
    return lines;
  });

  const { claims, close } = await openClaimers(url, schema, shape.claimer);
  const latencies: number[] = [];
  let claimed = 0;
  const started = performance.now();
  try {
    await Promise.all(
      claims.map(async (claim, index) => {
        const owner = `claimer-${index}`;
        while (performance.now() - started < DURATION_MS) {
          const t0 = performance.now();
          const n = await claim(owner, Date.now());
          latencies.push(performance.now() - t0);
          claimed += n;
          if (n === 0) break; // backlog empty (or what is left is locked by the other claimers)
        }
      }),
    );
  } finally {
    await close();
  }
  const seconds = (performance.now() - started) / 1000;
  await withClient(url, 'public', (client) => client.query(`DROP SCHEMA ${schema} CASCADE`));
  latencies.sort((a, b) => a - b);
  return {
    shape,
    claimed,
    seconds,
    transactions: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    explain: explainLines,
  };
}

function table(results: readonly Result[]): string {
  const rows = [
    '| shape | claimable (incl. expired leases) | leased (not claimable) | claimer | claimed | s | items/s | tx | p50 ms | p99 ms |',
    '|---|--:|--:|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const s = r.shape;
    rows.push(
      `| ${s.name} | ${(s.claimable + (s.expired ?? 0)).toLocaleString('en')} | ${s.leased.toLocaleString('en')} | ${s.claimer} | ` +
        `${r.claimed.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${Math.round(r.claimed / r.seconds).toLocaleString('en')} | ` +
        `${r.transactions} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    );
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  if (!(await reachable(ADMIN_URL))) {
    console.log(`PostgreSQL does not answer at ${ADMIN_URL}; skipped.`);
    return;
  }
  const quick = process.argv.includes('--quick');
  const sizes = quick ? [1_000, 10_000, 100_000] : [1_000, 10_000, 100_000, 300_000];
  const shapes: Shape[] = [
    ...sizes.map((n): Shape => ({ name: `free ${n / 1000}k`, claimable: n, leased: 0, claimer: 'store' })),
    ...[10_000, 100_000, ...(quick ? [] : [300_000])].map((n): Shape => ({
      name: `leased ${n / 1000}k + free 1k`,
      claimable: 1_000,
      leased: n,
      claimer: 'store',
    })),
    ...(['pg-head', 'pg-fixed'] as const).flatMap((claimer): Shape[] => [
      { name: 'leased 100k + free 1k', claimable: 1_000, leased: 100_000, claimer },
      { name: 'leased 100k + free 10k', claimable: 10_000, leased: 100_000, claimer },
      { name: 'free 100k', claimable: 100_000, leased: 0, claimer },
      {
        name: 'leased 100k + expired 1k + free 1k',
        claimable: 1_000,
        leased: 100_000,
        expired: 1_000,
        claimer,
      },
    ]),
  ];
  const results = await withScratchDatabase(ADMIN_URL, DATABASE, async (url) => {
    const done: Result[] = [];
    for (const shape of shapes) {
      const result = await runShape(url, shape);
      console.error(
        `${shape.name} (${shape.claimer}): ${Math.round(result.claimed / result.seconds)} items/s`,
      );
      done.push(result);
    }
    return done;
  });
  console.log(
    `\n## Claim throughput (${CLAIMERS} claimers, batch ${BATCH}, claim + ack per transaction, ~${DURATION_MS / 1000} s)\n`,
  );
  console.log(`\nStore claim statements in src now: ${STORE_SELECTS.map((s) => s.name).join(', ')}.\n`);
  console.log(table(results));
  console.log('\n## EXPLAIN (ANALYZE, BUFFERS) of the claim SELECT, before the claimers start\n');
  for (const r of results) {
    console.log(`### ${r.shape.name} (${r.shape.claimer})\n\n\`\`\`\n${r.explain.join('\n')}\n\`\`\`\n`);
  }
}

await main();
