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
    has: (key: InstanceKey): boolean => instances.has(id(key)),
    /** The scope as the store's claims take it. */
    claimScope: (): ClaimScope => (cached ??= { instances: [...instances.values()] }),
  };
  for (const key of initial) scope.add(key);
  return scope;
}
