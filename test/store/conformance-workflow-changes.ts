import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/model/errors.js';
import type { StoreTx } from '../../src/store/port.js';
import { definition, inTx, simpleDefinition, type GetStore } from './fixtures.js';

const rulesVersion = async (tx: StoreTx) => (await tx.getWorkflowRules('wf', [])).version;
const kinds = async (tx: StoreTx) => (await tx.getWorkflowTimeline('wf')).map((e) => e.kind);

/** Properties as the parser normalizes them (the store takes the model's form). */
const props = (json: Parameters<typeof simpleDefinition>[1]) => simpleDefinition('x', json).properties!;

export function workflowChangeConformance(store: GetStore): void {
  describe('workflow changes', () => {
    it('activates an existing version and deactivates the workflow, with a timeline entry each', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 2 });
        expect(await tx.activateVersion('wf', 1, 'bob', 10)).toMatchObject({
          active_version_id: 1,
          latest_version_id: 2,
          modify_time: 10,
        });
        expect((await tx.getWorkflow('wf'))?.active_version_id).toBe(1);
        await tx.activateVersion('wf', 1, 'bob', 11); // already active: no change, no entry
        expect((await tx.deactivateWorkflow('wf', 'carol', 12)).active_version_id).toBe(0);
        expect((await tx.getWorkflow('wf'))?.active_version_id).toBe(0);
        const [deactivated, activated] = await tx.getWorkflowTimeline('wf');
        expect(deactivated).toEqual({
          workflow_id: 'wf',
          seq: 4,
          kind: 'DEACTIVATED',
          author: 'carol',
          create_time: 12,
          active_version_id: 0,
        });
        expect(activated).toEqual({
          workflow_id: 'wf',
          seq: 3,
          kind: 'ACTIVATED',
          author: 'bob',
          create_time: 10,
          version_id: 1,
          active_version_id: 1,
        });
        expect(await kinds(tx)).toEqual(['DEACTIVATED', 'ACTIVATED', 'VERSION_CREATED', 'VERSION_CREATED']);
      });
    });

    it('refuses to activate a version or workflow that does not exist, changing nothing', async () => {
      await inTx(store, (tx) =>
        tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 }),
      );
      for (const v of [0, 2, 1.5])
        await expect(inTx(store, (tx) => tx.activateVersion('wf', v, 'a', 2))).rejects.toThrow(
          new RegExp(`workflow 'wf' has no version ${v}`),
        );
      await expect(inTx(store, (tx) => tx.activateVersion('nope', 1, 'a', 2))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(inTx(store, (tx) => tx.deactivateWorkflow('nope', 'a', 2))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await inTx(store, async (tx) => {
        expect(await tx.getWorkflow('wf')).toMatchObject({ active_version_id: 1, modify_time: 1 });
        expect(await kinds(tx)).toEqual(['VERSION_CREATED']);
      });
    });

    it('applies a properties delta as a new snapshot, and moves the rules version', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'alice', step_concurrency: 5, description: 'd' }),
          author: 'alice',
          now: 1,
        });
        const before = await rulesVersion(tx);
        const snapshot = await tx.updateProperties(
          'wf',
          props({ owner: 'bob', step_concurrency: 7 }),
          'bob',
          5,
        );
        const merged = props({ owner: 'bob', step_concurrency: 7, description: 'd' });
        expect(snapshot).toEqual({
          workflow_id: 'wf',
          snapshot_id: 2,
          properties: merged,
          changes: props({ owner: 'bob', step_concurrency: 7 }),
          author: 'bob',
          create_time: 5,
        });
        expect(await rulesVersion(tx)).toBeGreaterThan(before);
        expect((await tx.getWorkflowRules('wf', [])).properties).toEqual(merged);
        expect((await tx.getWorkflow('wf'))?.properties).toEqual(merged);
        expect(await tx.getPropertiesSnapshot('wf', 'latest')).toEqual(snapshot);
        expect(await tx.getPropertiesSnapshot('wf', 1)).toMatchObject({
          snapshot_id: 1,
          properties: props({ owner: 'alice', step_concurrency: 5, description: 'd' }),
          author: 'alice',
          create_time: 1,
        });
        expect(await tx.getPropertiesSnapshot('wf', 3)).toBeUndefined();
        expect(await tx.getPropertiesSnapshot('nope', 'latest')).toBeUndefined();
        // versions keep the snapshot they were created with
        expect((await tx.getWorkflowVersion('wf', 1))?.properties.owner?.name).toBe('alice');
        expect((await tx.getWorkflowTimeline('wf'))[0]).toMatchObject({
          kind: 'PROPERTIES_CHANGED',
          snapshot_id: 2,
          author: 'bob',
        });
        await expect(tx.updateProperties('nope', merged, 'a', 6)).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    it('writes a snapshot for a new version only when it changes the properties', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'a' }),
          author: 'a',
          now: 1,
        });
        const bare = definition({ workflow: { id: 'wf', steps: [{ step: { id: 'a', type: 'NoOp' } }] } });
        await tx.insertWorkflowVersion({ request: bare, author: 'b', now: 2 });
        expect((await tx.getPropertiesSnapshot('wf', 'latest'))?.snapshot_id).toBe(1);
        await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'c' }),
          author: 'c',
          now: 3,
        });
        expect(await tx.getPropertiesSnapshot('wf', 'latest')).toMatchObject({ snapshot_id: 2, author: 'c' });
        expect(await tx.getWorkflowTimeline('wf')).toEqual([
          {
            workflow_id: 'wf',
            seq: 3,
            kind: 'VERSION_CREATED',
            author: 'c',
            create_time: 3,
            version_id: 3,
            snapshot_id: 2,
            active_version_id: 3,
          },
          {
            workflow_id: 'wf',
            seq: 2,
            kind: 'VERSION_CREATED',
            author: 'b',
            create_time: 2,
            version_id: 2,
            active_version_id: 2,
          },
          {
            workflow_id: 'wf',
            seq: 1,
            kind: 'VERSION_CREATED',
            author: 'a',
            create_time: 1,
            version_id: 1,
            snapshot_id: 1,
            active_version_id: 1,
          },
        ]);
      });
    });

    it('adds, replaces and removes workflow tags as properties changes', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({
          request: simpleDefinition('wf', { owner: 'a' }),
          author: 'a',
          now: 1,
        });
        const v0 = await rulesVersion(tx);
        await tx.addWorkflowTag('wf', { name: 'x' }, 'a', 2);
        await tx.addWorkflowTag('wf', { name: 'y' }, 'a', 3);
        const replaced = await tx.addWorkflowTag('wf', { name: 'x', attributes: { k: 1 } }, 'a', 4);
        expect(replaced.properties.tags).toEqual([{ name: 'y' }, { name: 'x', attributes: { k: 1 } }]);
        expect(await rulesVersion(tx)).toBeGreaterThan(v0);
        const removed = await tx.removeWorkflowTag('wf', 'y', 'b', 5);
        expect(removed).toMatchObject({ snapshot_id: 5, author: 'b' });
        expect((await tx.getWorkflow('wf'))?.properties.tags).toEqual([{ name: 'x', attributes: { k: 1 } }]);
        expect((await tx.getWorkflow('wf'))?.properties.owner?.name).toBe('a');
      });
      await expect(inTx(store, (tx) => tx.removeWorkflowTag('wf', 'y', 'b', 6))).rejects.toThrow(
        /workflow 'wf' has no tag 'y'/,
      );
      await inTx(store, async (tx) => {
        expect((await tx.getPropertiesSnapshot('wf', 'latest'))?.snapshot_id).toBe(5);
        expect(await tx.getWorkflowTimeline('wf')).toHaveLength(5);
      });
    });

    it('numbers snapshots and timeline entries of changes made at the same time one after another', async () => {
      await inTx(store, (tx) =>
        tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 1 }),
      );
      const made = await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          inTx(store, (tx) => tx.updateProperties('wf', { description: `d${n}` }, `u${n}`, 10 + n)),
        ),
      );
      expect(made.map((s) => s.snapshot_id).sort()).toEqual([2, 3, 4, 5, 6]);
      await inTx(store, async (tx) => {
        const latest = await tx.getPropertiesSnapshot('wf', 'latest');
        expect((await tx.getWorkflow('wf'))?.properties).toEqual(latest?.properties);
        expect((await tx.getWorkflowTimeline('wf')).map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
      });
    });

    it('keeps the newest 300 timeline entries of a workflow', async () => {
      await inTx(store, async (tx) => {
        await tx.insertWorkflowVersion({ request: simpleDefinition('wf'), author: 'a', now: 0 });
        await tx.insertWorkflowVersion({ request: simpleDefinition('other'), author: 'a', now: 0 });
        for (let i = 1; i <= 152; i++) {
          await tx.deactivateWorkflow('wf', 'a', i);
          await tx.activateVersion('wf', 1, 'a', i);
        }
        const timeline = await tx.getWorkflowTimeline('wf');
        expect(timeline).toHaveLength(300);
        expect(timeline[0]).toMatchObject({ seq: 305, kind: 'ACTIVATED', create_time: 152 });
        expect(timeline.at(-1)).toMatchObject({ seq: 6 });
        expect(await tx.getWorkflowTimeline('other')).toHaveLength(1);
      });
    });

    it('deletes a tag permit and moves the rules version', async () => {
      await inTx(store, async (tx) => {
        await tx.setTagPermit('t', 2);
        const before = await rulesVersion(tx);
        expect(await tx.deleteTagPermit('t')).toBe(true);
        expect(await rulesVersion(tx)).toBeGreaterThan(before);
        expect(await tx.getTagPermits(['t'])).toEqual([]);
        expect(await tx.deleteTagPermit('t')).toBe(false);
      });
    });
  });
}
