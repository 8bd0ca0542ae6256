// npm 11 runs a dependency's install script only when package.json `allowScripts` allows it (npm help
// install-scripts); better-sqlite3 builds its native module in one, so an unlisted one would break `npm ci && npm test`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared.js';

const json = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, unknown>;

describe('install scripts', () => {
  it('allows every locked package that has an install script, by name', () => {
    const lock = json('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([where]) => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length))
      .sort();
    expect(withScripts).toContain('better-sqlite3');
    const allowed = (json('package.json')['allowScripts'] ?? {}) as Record<string, boolean>;
    expect(withScripts.filter((name) => allowed[name] !== true)).toEqual([]);
  });
});
