// The layer rule (tools/eslint-layers.js) is what keeps imports flowing downward and the pure layers free of Node:
// these cases prove it rejects what ARCHITECTURE.md forbids and accepts what it allows.
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
import layers from '../../tools/eslint-layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

tester.run('baton/layers', layers.rules.layers, {
  valid: [
    { filename: '/repo/src/dsl/parse.ts', code: "import { x } from '../model/json.js';" },
    { filename: '/repo/src/engine/engine.ts', code: "import { randomUUID } from 'node:crypto';" },
    { filename: '/repo/src/cli/main.ts', code: "import { createEngine } from '../engine/engine.js';" },
    { filename: '/repo/src/sel/index.ts', code: "import { DateTime } from 'luxon';" },
    { filename: '/repo/test/x.test.ts', code: "import fs from 'node:fs';" },
    { filename: '/repo/src/client/x.ts', code: "import { x } from '../model/json.js';" },
    { filename: '/repo/src/engine/x.ts', code: "import { announceIn } from '../signals/announce.js';" },
  ],
  invalid: [
    {
      filename: '/repo/src/model/x.ts',
      code: "import { decide } from '../engine/decide.js';",
      errors: [{ message: /must not import from the higher layer 'engine'/ }],
    },
    { filename: '/repo/src/store/sqlite/x.ts', code: "export * from '../../engine/decide.js';", errors: 1 },
    // the announce path sits below the engine, whose runner announces step outputs through it
    {
      filename: '/repo/src/signals/x.ts',
      code: "import { decide } from '../engine/decide.js';",
      errors: 1,
    },
    {
      filename: '/repo/src/dsl/x.ts',
      code: "import fs from 'node:fs';",
      errors: [{ message: /pure layer 'dsl' must not import 'node:fs'/ }],
    },
    { filename: '/repo/src/params/x.ts', code: "import path from 'path';", errors: 1 },
    { filename: '/repo/src/sel/x.ts', code: "const m = await import('../cli/main.js');", errors: 1 },
    {
      filename: '/repo/src/engine/x.ts',
      code: "import { workflow } from 'baton';",
      errors: [{ message: /relative path/ }],
    },
    {
      filename: '/repo/src/client/x.ts',
      code: "import { buildApi } from '../server/app.js';",
      errors: [{ message: /browser layer 'client' may import only the pure layers, not 'server'/ }],
    },
    {
      filename: '/repo/src/client/x.ts',
      code: "import http from 'node:http';",
      errors: [{ message: /browser layer 'client' must not import 'node:http'/ }],
    },
  ],
});
