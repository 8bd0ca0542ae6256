import { WORKFLOW_INSTANCE_TRAITS } from '../model/status.js';
import { isInlineWorkflow } from './foreach.js';
import type { LoadedRun } from './run-record.js';
import type { ClaimScope, InstanceKey } from '../store/port.js';

/** The instances a scoped engine works for (`EngineOptions.scope`); it grows as the engine starts runs. */
export function createScope(initial: readonly InstanceKey[]) {
  const instances = new Map<string, InstanceKey>();
  const id = (key: InstanceKey): string => `${key.workflow_id}\u0000${key.instance_id}`;
  let cached: ClaimScope | undefined;
  const scope = {
    add(key: InstanceKey): void {
      if (instances.has(id(key))) return;
      instances.set(id(key), { workflow_id: key.workflow_id, instance_id: key.instance_id });
      cached = undefined;
    },
    /** Drops the loop iterations that ended: nothing is left to claim for them, and a long loop would grow every claim. */
    forgetEnded(changed: readonly LoadedRun[]): void {
      for (const { run } of changed)
        if (isInlineWorkflow(run.workflow_id) && WORKFLOW_INSTANCE_TRAITS[run.status].terminal)
          if (instances.delete(id(run))) cached = undefined;
    },
    has: (key: InstanceKey): boolean => instances.has(id(key)),
    /** The scope as the store's claims take it. */
    claimScope: (): ClaimScope => (cached ??= { instances: [...instances.values()] }),
  };
  for (const key of initial) scope.add(key);
  return scope;
}
