import { allSteps, type Step, type Workflow } from '../model/definition.js';
import { DEFAULTS } from '../model/limits.js';
import type { Breakpoint, PermitRequest, RunRecord, StoreTx } from '../store/port.js';

/** How full each permit key is, as far as one transaction knows. */
export type PermitLedger = Map<string, { held: number; waiting: boolean }>;

/**
 * What `decide` needs to know besides the run, read from the store once per transaction and kept for the rest of
 * it: breakpoints, permit limits, and how full permit keys are (the ledger).
 */
export function createTxLookups(tx: StoreTx) {
  const breakpointsByWorkflow = new Map<string, Breakpoint[]>();
  /** Breakpoints of a workflow, read once per transaction; 0 in a field matches any. */
  const breakpointsOf = async (run: RunRecord) => {
    let list = breakpointsByWorkflow.get(run.workflow_id);
    if (!list) breakpointsByWorkflow.set(run.workflow_id, (list = await tx.listBreakpoints(run.workflow_id)));
    const points = list;
    return (stepId: string, attempt: number): boolean =>
      points.some(
        (b) =>
          b.step_id === stepId &&
          (b.instance_id === 0 || b.instance_id === run.instance_id) &&
          (b.run_id === 0 || b.run_id === run.run_id) &&
          (b.attempt === 0 || b.attempt === attempt),
      );
  };

  const limitsByWorkflow = new Map<string, { stepConcurrency: number; tags: Map<string, number> }>();
  /** Step concurrency, instance step concurrency and tag permits (REFERENCE §4.2), read once per transaction. */
  const permitsOf = async (workflowId: string, workflow: Workflow, correlation: string) => {
    let limits = limitsByWorkflow.get(workflowId);
    if (!limits) {
      const properties = (await tx.getWorkflow(workflowId))?.properties;
      const tagNames = [
        ...new Set([...allSteps(workflow.steps)].flatMap((s) => (s.tags ?? []).map((t) => t.name))),
      ];
      const tags = new Map((await tx.getTagPermits(tagNames)).map((t) => [t.tag, t.max_allowed] as const));
      limits = { stepConcurrency: properties?.step_concurrency ?? DEFAULTS.stepConcurrency, tags };
      limitsByWorkflow.set(workflowId, limits);
    }
    const { stepConcurrency, tags } = limits;
    return (step: Step): PermitRequest[] => {
      const out: PermitRequest[] = [{ key: `workflow:${workflowId}`, limit: stepConcurrency }];
      if (workflow.instance_step_concurrency !== undefined) {
        out.push({ key: `instance:${correlation}`, limit: workflow.instance_step_concurrency });
      }
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
  /**
   * Lets `decide` see whether permits are free and take them at once (no WAITING_FOR_PERMITS detour, no second
   * decision); what it takes is counted in the ledger as it goes.
   */
  const permitChecks = async (workflowId: string, workflow: Workflow, correlation: string) => {
    const { tags } = limitsByWorkflow.get(workflowId)!;
    const keys = [`workflow:${workflowId}`, ...[...tags.keys()].map((t) => `tag:${t}`)];
    if (workflow.instance_step_concurrency !== undefined) keys.push(`instance:${correlation}`);
    const missing = keys.filter((k) => !ledger.has(k));
    if (missing.length > 0)
      for (const [k, v] of Object.entries(await tx.permitState(missing))) ledger.set(k, v);
    const free = (permits: readonly PermitRequest[]): boolean =>
      permits.every((p) => {
        const s = ledger.get(p.key);
        return s !== undefined && !s.waiting && s.held < p.limit;
      });
    const take = (permits: readonly PermitRequest[]): boolean => {
      if (!free(permits)) return false;
      for (const p of permits) ledger.set(p.key, { held: ledger.get(p.key)!.held + 1, waiting: false });
      return true;
    };
    return { free, take };
  };

  return { breakpointsOf, permitsOf, permitChecks, ledger };
}

export type TxLookups = ReturnType<typeof createTxLookups>;
