import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** A chain gate → work → done: `gate` waits (as a Shell step) until the file `gateFile` exists. */
export function gatedFlow(id: string, gateFile: string): string {
  return `
properties: { owner: tester }
workflow:
  id: ${id}
  steps:
    - step:
        id: gate
        type: Shell
        params:
          command: { type: STRING, value: 'echo waiting; while [ ! -f ${gateFile} ]; do sleep 0.02; done; echo passed' }
        transition: { successors: { work: 'true' } }
    - step:
        id: work
        type: Shell
        params: { command: { type: STRING, value: 'for i in 1 2 3 4 5; do echo line $$i; done; echo oops >&2' } }
        transition: { successors: { done: 'true' } }
    - step: { id: done, type: NoOp }
`;
}

export function openGate(gateFile: string): void {
  if (!existsSync(gateFile)) writeFileSync(gateFile, 'go');
}

export const gateIn = (dir: string, name = 'gate'): string => path.join(dir, name);

/** Pushes a YAML definition and starts it; returns the instance id. */
export async function pushAndStart(app: FastifyInstance, yaml: string, id: string): Promise<number> {
  const pushed = await app.inject({
    method: 'POST',
    url: '/api/v3/workflows/yaml',
    headers: { user: 'tester', 'content-type': 'application/yaml' },
    payload: yaml,
  });
  expect(pushed.statusCode, pushed.body).toBe(200);
  const started = await app.inject({
    method: 'POST',
    url: `/api/v3/workflows/${id}/versions/latest/actions/start`,
    headers: { user: 'tester', 'content-type': 'application/json' },
    payload: '{"initiator": {"type": "manual"}}',
  });
  expect(started.statusCode, started.body).toBe(201);
  return (started.json() as { workflow_instance_id: number }).workflow_instance_id;
}
