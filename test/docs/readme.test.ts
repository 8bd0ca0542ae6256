// Keeps the README's quick start honest: it names the examples that `npm start` (`baton server --examples examples`) ends
// FAILED on purpose, and says how many; docs/engine.md says the same number.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliUntil } from '../cli/run-cli.js';
import { repoRoot } from '../support/shared.js';

const read = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');
const COUNTS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };
/** restart-after-fix fails while this file is absent (its default `input_file`). */
const RESTART_INPUT = '/tmp/baton-restart-demo.ready';

describe('README quick start', () => {
  it('names the examples that npm start ends FAILED, and says how many', async () => {
    const claim = /\((\w+) fail on purpose, to show failure modes: ([^)]*)\)/.exec(
      read('README.md').replace(/\n/g, ' '),
    );
    expect(claim, 'README.md: "(N fail on purpose, to show failure modes: `a`, `b` ...)"').not.toBeNull();
    const named = [...claim![2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).sort();
    expect(COUNTS[claim![1]!], `README.md says "${claim![1]}" and names ${named.join(', ')}`).toBe(
      named.length,
    );
    const engineDoc = /\((\w+) of them fail on purpose/.exec(read('docs/engine.md').replace(/\n/g, ' '));
    expect(engineDoc?.[1], 'docs/engine.md: "(N of them fail on purpose"').toBe(claim![1]);

    expect(
      existsSync(RESTART_INPUT),
      `${RESTART_INPUT} exists, so restart-after-fix succeeds: remove it`,
    ).toBe(false);
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-readme-'));
    try {
      const { stdout, code } = await runCliUntil(
        [
          'server',
          '--examples',
          'examples',
          '--port',
          '0',
          '--db',
          path.join(dir, 'baton.db'),
          '--time-scale',
          '0.05',
        ],
        (out) => out.includes('The examples have ended'),
      );
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /^Baton is serving http:\/\/127\.0\.0\.1:\d+ \(API \/api\/v3, docs \/api\/docs; authentication off\)$/m,
      );
      const ended = [...stdout.matchAll(/^ {2}([A-Z_]+) +(\S+) \(instance \d+\)$/gm)];
      expect(ended.length, stdout).toBeGreaterThan(named.length);
      const failed = ended.filter((m) => m[1] === 'FAILED').map((m) => m[2]!);
      expect(failed.sort(), stdout).toEqual(named);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
