import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../../src/dsl/parse.js';
import { NotFoundError } from '../../src/model/errors.js';
import { repoRoot } from '../support/shared.js';
import { definition, inTx, simpleDefinition, type GetStore } from './fixtures.js';

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

export function workflowConformance(store: GetStore): void {
  describe('workflows and versions', () => {
    it('knows nothing of a workflow before its first version', async () => {
      await inTx(store, async (tx) => {
        expect(await tx.getWorkflow('nope')).toBeUndefined();
        expect(await tx.getWorkflowVersion('nope', 1)).toBeUndefined();
      });
    });

    it('creates the workflow with version 1, active, with its properties', async () => {
      const request = simpleDefinition('wf', { owner: 'alice', step_concurrency: 10 });
      const version = await inTx(store, (tx) =>
        tx.insertWorkflowVersion({ request, author: 'alice', now: 1000 }),
      );
      expect(version).toEqual({
        workflow_id: 'wf',
        version_id: 1,
        definition: request,
        properties: request.properties,
        author: 'alice',
        create_time: 1000,
      });
      const workflow = await inTx(store, (tx) => tx.getWorkflow('wf'));
      expect(workflow).toEqual({
        workflow_id: 'wf',
        latest_version_id: 1,
        active_version_id: 1,
        properties: request.properties,
        latest_instance_id: 0,
        create_time: 1000,
        modify_time: 1000,
      });
    });

    it('gives a definition back deep-equal and frozen, extra request keys included', async () => {
      const file = path.join(repoRoot, 'test/dsl/fixtures/ways-in/shorthands.json');
      const request = parseDefinitionText(readFileSync(file, 'utf8')).workflow;
      if (!request) throw new Error('fixture did not parse');
      const id = request.workflow.id;
      const inserted = await inTx(store, (tx) => tx.insertWorkflowVersion({ request, author: 'ci', now: 1 }));
      const read = await inTx(store, (tx) => tx.getWorkflowVersion(id, 1));
      expect(read).toEqual(inserted);
      expect(read?.definition).toEqual(request);
      expect(isDeepFrozen(read?.definition)).toBe(true);
      expect(isDeepFrozen(read?.properties)).toBe(true);
      expect(isDeepFrozen((await inTx(store, (tx) => tx.getWorkflow(id)))?.properties)).toBe(true);
    });

    it('numbers later versions latest + 1 and activates them', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 });
        const v2 = await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'b', now: 2 });
        expect(v2.version_id).toBe(2);
        expect(await tx.getWorkflow('wf')).toMatchObject({
          latest_version_id: 2,
          active_version_id: 2,
          create_time: 1,
          modify_time: 2,
        });
        expect((await tx.getWorkflowVersion('wf', 1))?.author).toBe('a');
        // another workflow has its own numbering
        expect(
          (await tx.insertWorkflowVersion({ request: simpleDefinition('other'), author: 'c', now: 3 }))
            .version_id,
        ).toBe(1);
      });
    });

    it('merges properties key by key with the previous snapshot', async () => {
      const v1 = simpleDefinition('wf', { owner: 'alice', step_concurrency: 10, description: 'first' });
      const v2 = simpleDefinition('wf', { owner: 'bob', run_strategy: 'SEQUENTIAL' });
      const merged = definition({
        properties: { owner: 'bob', step_concurrency: 10, description: 'first', run_strategy: 'SEQUENTIAL' },
        workflow: { id: 'x', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
      }).properties;
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: v1, author: 'a', now: 1 });
        const second = await tx.insertWorkflowVersion({ request: v2, author: 'b', now: 2 });
        expect(second.properties).toEqual(merged);
        expect((await tx.getWorkflow('wf'))?.properties).toEqual(merged);
        // the version keeps its own request, and version 1 keeps the snapshot it was created with
        expect(second.definition.properties).toEqual(v2.properties);
        expect((await tx.getWorkflowVersion('wf', 1))?.properties).toEqual(v1.properties);
        expect((await tx.getWorkflowVersion('wf', 2))?.properties).toEqual(merged);
      });
    });

    it('keeps the previous snapshot when a version gives no properties', async () => {
      const bare = definition({ workflow: { id: 'wf', steps: [{ step: { id: 'a', type: 'NoOp' } }] } });
      await inTx(store, async (tx) => {
        const v1 = await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'alice' }),
          author: 'a',
          now: 1,
        });
        const v2 = await tx.insertWorkflowVersion({ request: bare, author: 'a', now: 2 });
        expect(v2.properties).toEqual(v1.properties);
      });
    });

    it('leaves the active version alone when a version is created with is_active=false', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({
          request: simpleDefinition('first', { owner: 'a' }, { is_active: false }),
          author: 'a',
          now: 1,
        });
        expect(await tx.getWorkflow('first')).toMatchObject({ latest_version_id: 1, active_version_id: 0 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 });
        const v2 = await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'a' }, { is_active: false }),
          author: 'a',
          now: 2,
        });
        expect(v2.definition.is_active).toBe(false);
        expect(await tx.getWorkflow('wf')).toMatchObject({ latest_version_id: 2, active_version_id: 1 });
        await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'a' }, { is_active: true }),
          author: 'a',
          now: 3,
        });
        expect(await tx.getWorkflow('wf')).toMatchObject({ latest_version_id: 3, active_version_id: 3 });
      });
    });

    it('allocates instance ids 1, 2, 3 per workflow', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('other'), author: 'a', now: 1 });
        expect(await tx.nextInstanceId('wf')).toBe(1);
        expect(await tx.nextInstanceId('wf')).toBe(2);
        expect(await tx.nextInstanceId('other')).toBe(1);
        expect(await tx.nextInstanceId('wf')).toBe(3);
        expect((await tx.getWorkflow('wf'))?.latest_instance_id).toBe(3);
        // a new version does not reset the counter
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 2 });
        expect(await tx.nextInstanceId('wf')).toBe(4);
      });
    });

    it('refuses an instance id for a workflow that does not exist', async () => {
      await expect(inTx(store, (tx) => tx.nextInstanceId('nope'))).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
