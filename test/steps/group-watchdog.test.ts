// The watchdog of Shell steps' process groups: when the Baton process dies without ending them (SIGKILL), it ends
// every group still watched, grandchildren included, SIGKILL for those that ignore SIGTERM after the grace period, and
// leaves alone a group no longer watched. Real processes; waits are polls with a deadline.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';
import { eventually, liveMembers } from './shell-fixture.js';

const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

/** Runs test/steps/fixtures/hold-groups.ts and waits for its three group ids. */
async function holdGroups(mode: 'plain' | 'replace') {
  const holder = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'test/steps/fixtures/hold-groups.ts'), '1000', mode],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  holder.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  const ids = await eventually(
    async () => (out.endsWith('\n') ? out.trim().split(' ').map(Number) : undefined),
    20_000,
  ).catch((error: unknown) => {
    holder.kill('SIGKILL');
    throw error;
  });
  groups.push(...ids);
  const [term, stubborn, released] = ids as [number, number, number];
  return { holder, exited, term, stubborn, released };
}

const gone = async (pgid: number) => ((await liveMembers(pgid)).length === 0 ? true : undefined);

describe.skipIf(process.platform !== 'linux')('process group watchdog', () => {
  it.each(['plain', 'replace'] as const)(
    'ends the watched groups when their parent is killed with SIGKILL (%s watchdog)',
    async (mode) => {
      const { holder, exited, term, stubborn, released } = await holdGroups(mode);
      for (const pgid of [term, stubborn])
        await eventually(async () => ((await liveMembers(pgid)).length >= 3 ? true : undefined));
      holder.kill('SIGKILL');
      await exited;
      await eventually(() => gone(term), 15_000);
      // ignores SIGTERM: ended by SIGKILL after the grace period
      await eventually(() => gone(stubborn), 15_000);
      // no longer watched: left alone
      expect((await liveMembers(released)).length).toBeGreaterThan(0);
    },
    40_000,
  );
});
