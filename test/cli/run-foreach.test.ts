// `baton run` with loop steps: `--max-iterations` raises or lowers the limit of iterations per loop
// (Maestro's 25,000 by default), and a value that is not a count is refused before anything runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A workflow of one foreach over `count` values, written to a fresh folder; answers the file. */
function loopFile(count: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-run-foreach-'));
  dirs.push(dir);
  const file = path.join(dir, 'loop.json');
  const values = Array.from({ length: count }, (_, n) => n);
  writeFileSync(
    file,
    JSON.stringify({
      properties: { owner: 'tester' },
      workflow: {
        id: 'loop',
        steps: [
          {
            foreach: {
              id: 'each',
              params: { loop_params: { type: 'MAP', value: { i: { type: 'LONG_ARRAY', value: values } } } },
              steps: [{ step: { id: 'body', type: 'NoOp' } }],
            },
          },
        ],
      },
    }),
  );
  return file;
}

it('runs as many iterations as --max-iterations allows, and fails the step past it', async () => {
  const file = loopFile(3);
  const within = await runCli(['run', file, '--json', '--max-iterations', '3']);
  expect(within.code, within.stderr).toBe(0);
  expect(JSON.parse(within.stdout).steps.each.iterations).toEqual({ SUCCEEDED: 3 });
  const past = await runCli(['run', file, '--json', '--max-iterations', '2']);
  expect(past.code).toBe(1);
  expect(JSON.parse(past.stdout).steps.each).toMatchObject({
    status: 'FATALLY_FAILED',
    message: 'foreach: its loop params make 3 iterations; a foreach runs at most 2',
  });
});

it('refuses a --max-iterations that is not a count', async () => {
  const { code, stderr } = await runCli(['run', loopFile(1), '--max-iterations', '0']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--max-iterations must be a whole number of at least 1, not '0'/);
});

it('fails a while loop whose condition still holds after --max-iterations iterations', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-run-while-'));
  dirs.push(dir);
  const file = path.join(dir, 'forever.json');
  writeFileSync(
    file,
    JSON.stringify({
      properties: { owner: 'tester' },
      workflow: {
        id: 'forever',
        steps: [
          {
            while: {
              id: 'spin',
              condition: 'n >= 0',
              params: { loop_params: { type: 'MAP', value: { n: { type: 'LONG', value: 0 } } } },
              steps: [{ step: { id: 'body', type: 'NoOp' } }],
            },
          },
        ],
      },
    }),
  );
  const { code, stdout } = await runCli(['run', file, '--json', '--max-iterations', '3']);
  expect(code).toBe(1);
  expect(JSON.parse(stdout).steps.spin).toMatchObject({
    status: 'FATALLY_FAILED',
    iterations: { SUCCEEDED: 3 },
    message: 'while: its condition still holds after 3 iterations, the most a loop runs',
  });
});
