import { allSteps, type Step, type Workflow } from '../model/definition.js';
import { DEFAULTS } from '../model/limits.js';
import { isBelowAnother } from './subworkflow.js';
import { isInlineWorkflow } from './foreach.js';
import type { Breakpoint, PermitRequest, RunRecord, StoreTx, WorkflowRules } from '../store/port.js';

const tagNames = new WeakMap<Workflow, readonly string[]>();
/** The tag names a definition's steps carry (definitions are cached objects: worked out once each). */
function tagNamesOf(workflow: Workflow): readonly string[] {
  let names = tagNames.get(workflow);
  if (!names) {
    names = [...new Set([...allSteps(workflow.steps)].flatMap((s) => (s.tags ?? []).map((t) => t.name)))];
    tagNames.set(workflow, names);
  }
  return names;
}

/**
 * Workflow rules read in earlier transactions, by workflow id, each with the tag names it looked up and the store's
 * rules version it was read at. Shared by a committer's transactions; an entry is only replaced, never changed.
 */
export type RulesCache = Map<string, { readonly read: WorkflowRules; readonly names: ReadonlySet<string> }>;

/** Entries kept at most (one per workflow); past that the cache starts over. */
const RULES_CACHE_MAX = 10_000;

/**
 * The tree of runs a run belongs to (its correlation id, shared by the runs below a root) and the limit of leaf steps
 * running at once in it: the root's `instance_step_concurrency`, which the runs below inherit (`instanceTreeOf`).
 */
export interface InstanceTree {
  readonly correlation: string;
  readonly limit: number | undefined;
}

/** A run's tree: a root's limit is its definition's; a run below another has only what it inherited from the root. */
export function instanceTreeOf(run: RunRecord, workflow: Workflow): InstanceTree {
  const inherited = (run.state as { instance_step_concurrency?: number }).instance_step_concurrency;
  const below = run.parent !== undefined || isBelowAnother(String(run.initiator['type'] ?? ''));
  return { correlation: run.correlation_id, limit: below ? inherited : workflow.instance_step_concurrency };
}

/** How full each permit key is, as far as one transaction knows. */
export type PermitLedger = Map<string, { held: number; waiting: boolean }>;

/**
 * What `decide` needs to know besides the run, read from the store once per transaction and kept for the rest of
 * it: breakpoints and permit limits (the workflow's rules, one statement), and how full permit keys are (the ledger).
 * Rules read in an earlier transaction (`cache`) are used again, with no statement, once the transaction knows the
 * store's rules version (`rulesVersionIs`, from the run lock) and it is the one they were read at.
 */
export function createTxLookups(tx: StoreTx, cache: RulesCache = new Map()) {
  interface Rules {
    readonly stepConcurrency: number;
    /** The workflow's `step_concurrency` property, when it sets one. */
    readonly declaredStepConcurrency: number | undefined;
    readonly breakpoints: readonly Breakpoint[];
    /** Limits of the tags that have one; `looked` holds every tag name read, limit or not. */
    readonly tags: Map<string, number>;
    readonly looked: Set<string>;
  }
  /** Kept as promises, so a read already on its way (`prefetch`) is not made twice. */
  const rulesByWorkflow = new Map<string, Promise<Rules>>();
  /** The store's rules version as this transaction read it (with the run lock), once known. */
  let version: number | undefined;
  const toRules = (read: WorkflowRules, names: Iterable<string>): Rules => ({
    stepConcurrency: read.properties?.step_concurrency ?? DEFAULTS.stepConcurrency,
    declaredStepConcurrency: read.properties?.step_concurrency,
    breakpoints: read.breakpoints,
    tags: new Map(read.tagPermits.map((t) => [t.tag, t.max_allowed] as const)),
    looked: new Set(names),
  });
  /** Cached rules of the workflow that looked up at least these tags (at whatever version). */
  const cachedFor = (workflowId: string, names: readonly string[]) => {
    const hit = cache.get(workflowId);
    return hit && names.every((n) => hit.names.has(n)) ? hit : undefined;
  };
  const readRules = async (workflowId: string, names: readonly string[]): Promise<Rules> => {
    const hit = cachedFor(workflowId, names);
    if (hit && hit.read.version === version) return toRules(hit.read, hit.names);
    return remember(workflowId, await tx.getWorkflowRules(workflowId, names), names);
  };
  /** Rules just read, kept for later transactions unless a newer read is kept already. */
  const remember = (workflowId: string, read: WorkflowRules, names: readonly string[]): Rules => {
    const known = cache.get(workflowId);
    if (known === undefined || known.read.version <= read.version) {
      if (cache.size >= RULES_CACHE_MAX) cache.clear();
      cache.set(workflowId, { read, names: new Set(names) });
    }
    return toRules(read, names);
  };
  /**
   * A workflow's properties, breakpoints and tag limits, read once per transaction (one statement); tags of a
   * definition seen later in the transaction (another version of the workflow) are read when first needed.
   */
  const rulesOf = async (workflowId: string, workflow: Workflow): Promise<Rules> => {
    const names = tagNamesOf(workflow);
    let reading = rulesByWorkflow.get(workflowId);
    if (!reading) rulesByWorkflow.set(workflowId, (reading = readRules(workflowId, names)));
    const rules = await reading;
    const missing = names.filter((n) => !rules.looked.has(n));
    if (missing.length > 0) {
      for (const t of await tx.getTagPermits(missing)) rules.tags.set(t.tag, t.max_allowed);
      for (const n of missing) rules.looked.add(n);
    }
    return rules;
  };

  /** Breakpoints of the run's workflow; 0 in a field matches any. */
  const breakpointsOf = async (run: RunRecord, workflow: Workflow) => {
    const points = (await rulesOf(run.workflow_id, workflow)).breakpoints;
    return (stepId: string, attempt: number): boolean =>
      points.some(
        (b) =>
          b.step_id === stepId &&
          (b.instance_id === 0 || b.instance_id === run.instance_id) &&
          (b.run_id === 0 || b.run_id === run.run_id) &&
          (b.attempt === 0 || b.attempt === attempt),
      );
  };

  /**
   * Step concurrency, instance step concurrency and tag permits (REFERENCE §4.2). A loop's inline workflow has no
   * step concurrency of its own: its loop's concurrency and the tree's limit hold its iterations' steps.
   */
  const permitsOf = async (workflowId: string, workflow: Workflow, tree: InstanceTree) => {
    const { stepConcurrency, tags } = await rulesOf(workflowId, workflow);
    const inline = isInlineWorkflow(workflowId);
    return (step: Step): PermitRequest[] => {
      const out: PermitRequest[] = inline ? [] : [{ key: `workflow:${workflowId}`, limit: stepConcurrency }];
      if (tree.limit !== undefined) out.push({ key: `instance:${tree.correlation}`, limit: tree.limit });
      for (const tag of step.tags ?? []) {
        const max = tags.get(tag.name);
        if (max !== undefined) out.push({ key: `tag:${tag.name}`, limit: max });
      }
      return out;
    };
  };

  /**
   * How full each permit key is, as far as this transaction knows: read (and locked) once per key, then kept up to
   * date as permits are taken. Keys whose permits are given back or granted to waiters are read again.
   */
  const ledger: PermitLedger = new Map();
  /** Keys whose state is being read; each is in the ledger once its read is done. */
  const reading = new Map<string, Promise<void>>();
  const readStates = (keys: readonly string[]): Promise<void> => {
    const missing = [...new Set(keys)].filter((k) => !ledger.has(k) && !reading.has(k));
    if (missing.length > 0) {
      const read = tx.permitState(missing).then((states) => {
        for (const [k, v] of Object.entries(states)) ledger.set(k, v);
      });
      const settled = read.finally(() => {
        for (const k of missing) reading.delete(k);
      });
      settled.catch(() => undefined); // awaited below, through `reading`
      for (const k of missing) reading.set(k, settled);
    }
    return Promise.all(keys.flatMap((k) => reading.get(k) ?? [])).then(() => undefined);
  };
  /** The permit keys every step of a definition asks for (a step's tags may add more). */
  const baseKeys = (workflowId: string, tree: InstanceTree): string[] => [
    ...(isInlineWorkflow(workflowId) ? [] : [`workflow:${workflowId}`]),
    ...(tree.limit === undefined ? [] : [`instance:${tree.correlation}`]),
  ];
  /** The workflow's `step_concurrency` property, when it sets one (what bounds a foreach's concurrency). */
  const stepConcurrencyOf = async (workflowId: string, workflow: Workflow): Promise<number | undefined> =>
    (await rulesOf(workflowId, workflow)).declaredStepConcurrency;
  /**
   * How full each permit key a run's steps may ask for is, once read in this transaction: what `decide` reads to see
   * whether permits are free (it takes them at once, with no WAITING_FOR_PERMITS detour, and returns what it took as
   * `hold_permits` effects, which carrying them out adds to the ledger).
   */
  const permitStates = async (workflowId: string, workflow: Workflow, tree: InstanceTree) => {
    const { tags } = await rulesOf(workflowId, workflow);
    await readStates([...baseKeys(workflowId, tree), ...[...tags.keys()].map((t) => `tag:${t}`)]);
    return (key: string) => ledger.get(key);
  };

  /**
   * Starts the reads the transitions of these runs will make, all in one go, so a store that pipelines sends them
   * with the statement before (the committer's lock of the runs): the rules of their workflows (one statement for
   * all) and, for workflows whose steps carry no tags (the keys are known without the rules), the state of their
   * permit keys (one statement). The same reads, only sooner and together.
   */
  const prefetch = (
    runs: readonly { workflowId: string; workflow: Workflow; tree: InstanceTree }[],
  ): void => {
    const wanted = new Map<string, readonly string[]>();
    const keys: string[] = [];
    for (const { workflowId, workflow, tree } of runs) {
      const names = tagNamesOf(workflow);
      // Rules cached from an earlier transaction wait for the run lock's rules version (read then only if it moved).
      if (!rulesByWorkflow.has(workflowId) && !cachedFor(workflowId, names)) wanted.set(workflowId, names);
      if (names.length === 0) keys.push(...baseKeys(workflowId, tree));
    }
    if (wanted.size > 0) {
      const asked = [...wanted];
      const read = tx.getWorkflowRulesOf(asked.map(([workflow_id, tags]) => ({ workflow_id, tags })));
      asked.forEach(([workflowId, names], i) => {
        const one = read.then((all) => remember(workflowId, all[i]!, names));
        one.catch(() => undefined); // a failure is met again where the rules are needed
        rulesByWorkflow.set(workflowId, one);
      });
    }
    if (keys.length > 0) readStates(keys).catch(() => undefined);
  };

  /** The store's rules version, as the run lock read it: cached rules read at it need no statement. */
  const rulesVersionIs = (v: number): void => {
    version ??= v;
  };

  return { breakpointsOf, permitsOf, permitStates, prefetch, rulesVersionIs, ledger, stepConcurrencyOf };
}

export type TxLookups = ReturnType<typeof createTxLookups>;
