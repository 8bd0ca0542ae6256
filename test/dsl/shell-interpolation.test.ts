// The SHELL_INTERPOLATION warning: a Shell step whose shell code is built from a value a run or another step can set.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinition, parseDefinitionText } from '../../src/dsl/parse.js';
import { SYSTEM_WORKFLOW_PARAM_NAMES } from '../../src/dsl/validate/expressions.js';
import { OPEN_SYSTEM_PARAMS, RUN_SETTABLE_MODES } from '../../src/dsl/validate/shell-interpolation.js';
import type { ParamMode } from '../../src/model/enums.js';
import { interpolate } from '../../src/params/interpolate.js';
import { mergeWorkflowParams, runParamsFromValues } from '../../src/params/merge.js';
import { createParamEvaluator } from '../../src/params/evaluate.js';
import { MODE_TRAITS } from '../../src/params/modes.js';
import { defaultWorkflowParams } from '../../src/params/system-params.js';
import { repoRoot } from '../support/shared.js';

type Json = Record<string, unknown>;

/** A workflow with workflow params `params` and steps given as `{id: step}`. */
function request(params: Json, steps: Json[]): Json {
  return { properties: { owner: 'tester' }, workflow: { id: 'wf', params, steps } };
}

function shell(id: string, params: Json): Json {
  return { step: { id, type: 'Shell', params } };
}

const str = (value: string, extra: Json = {}) => ({ type: 'STRING', value, ...extra });
const command = (value: string) => ({ command: str(value) });

/** The warnings as `path: the name it is about`, after checking the definition stays valid. */
function warned(r: Json): string[] {
  const result = parseDefinition(r);
  expect(result.issues).toEqual([]);
  expect(result.workflow).toBeDefined();
  return (result.warnings ?? []).map((w) => {
    expect(w.code).toBe('SHELL_INTERPOLATION');
    expect(w.severity).toBe('warning');
    return `${w.path.join('/')}: ${/puts ('[^']*'|a param read at run time)/.exec(w.message)?.[1] ?? w.message}`;
  });
}

const AT = 'workflow/steps/0/step/params/command/value';

describe('SHELL_INTERPOLATION: what a run or another step can set', () => {
  it('warns for a workflow param a run may set, explaining why and what to write instead', () => {
    const r = request({ table: str('sales') }, [shell('count', command('wc -l "${table}.csv"'))]);
    expect(warned(r)).toEqual([`${AT}: 'table'`]);
    const [warning] = parseDefinition(r).warnings!;
    expect(warning!.message).toContain("'table' is a workflow param that a run may set (mode MUTABLE)");
    expect(warning!.message).toContain('"$$NAME"');
  });

  it('does not warn for the environment style, $$name, nor for a literal $ that starts no reference', () => {
    const r = request({ table: str('sales') }, [
      shell('count', {
        table: { type: 'STRING', expression: 'table' },
        ...command('wc -l "$$table.csv" $(pwd) $1'),
      }),
    ]);
    expect(warned(r)).toEqual([]);
  });

  it('follows each mode: MUTABLE_ON_START and MUTABLE_ON_START_RESTART warn, CONSTANT and IMMUTABLE do not', () => {
    const modes: ParamMode[] = [
      'MUTABLE',
      'MUTABLE_ON_START',
      'MUTABLE_ON_START_RESTART',
      'CONSTANT',
      'IMMUTABLE',
    ];
    const params = Object.fromEntries(modes.map((mode) => [mode.toLowerCase(), str('x', { mode })]));
    const r = request(params, [
      shell('s', command(modes.map((m) => `echo \${${m.toLowerCase()}}`).join('; '))),
    ]);
    expect(warned(r)).toEqual([
      `${AT}: 'mutable'`,
      `${AT}: 'mutable_on_start'`,
      `${AT}: 'mutable_on_start_restart'`,
    ]);
  });

  it('does not warn for numbers and booleans, whatever a run gives is coerced to them', () => {
    const r = request(
      {
        day: { type: 'LONG', value: 1 },
        rate: { type: 'DOUBLE', value: 0.5 },
        dry: { type: 'BOOLEAN', value: true },
      },
      [
        shell('s', {
          ...command('run ${day} ${rate} ${dry} ${hours} $RUN_DATE'),
          hours: { type: 'LONG_ARRAY', value: [1] },
        }),
      ],
    );
    expect(warned(r)).toEqual([]);
  });

  it('warns for a constant computed from a param a run may set, naming the chain', () => {
    const r = request(
      { region: str('eu'), path: { type: 'STRING', expression: "'/data/' + region", mode: 'IMMUTABLE' } },
      [shell('s', command('ls ${path}'))],
    );
    expect(warned(r)).toEqual([`${AT}: 'path'`]);
    expect(parseDefinition(r).warnings![0]!.message).toContain(
      "'path' is computed from 'region'; 'region' is a workflow param that a run may set",
    );
  });

  it("judges the step's own params by what they are computed from", () => {
    const fixed = request({}, [shell('s', { name: str('orders'), ...command('echo ${name}') })]);
    expect(warned(fixed)).toEqual([]);
    const fromRun = request({ region: str('eu') }, [
      shell('s', { dir: str('/data/${region}'), ...command('ls $dir') }),
    ]);
    expect(warned(fromRun)).toEqual([`${AT}: 'dir'`]);
  });

  it('warns for another step’s params and outputs, names no param defines, and built-in STRING params', () => {
    const r = request({}, [
      shell('s', command('echo ${count__rows} ${nowhere} ${TARGET_RUN_HOUR} ${RUN_DATE} ${workflow_id}')),
    ]);
    expect(warned(r)).toEqual([`${AT}: 'count__rows'`, `${AT}: 'nowhere'`, `${AT}: 'TARGET_RUN_HOUR'`]);
    const why = parseDefinition(r).warnings!.map((w) => w.message);
    expect(why[0]).toContain("read from step 'count', whose outputs may set it to any text");
    expect(why[1]).toContain("only a run's params (or a signal trigger) can give it");
  });

  it('checks script too, and commands built by an expression', () => {
    const r = request({ table: str('t') }, [
      shell('a', { script: str('set -e\nload ${table}\n') }),
      shell('b', { command: { type: 'STRING', expression: "'load ' + table" } }),
      shell('c', { command: { type: 'STRING', expression: "k = 'table'; return 'load ' + params.get(k);" } }),
      shell('d', { command: { type: 'STRING', expression: "'load ' + 'fixed'" } }),
      shell('e', {
        when: { type: 'STRING', expression: "params.getFromSignal('ready', 'day')" },
        command: str('load ${when}'),
      }),
    ]);
    expect(warned(r)).toEqual([
      "workflow/steps/0/step/params/script/value: 'table'",
      "workflow/steps/1/step/params/command/expression: 'table'",
      'workflow/steps/2/step/params/command/expression: a param read at run time',
      "workflow/steps/4/step/params/command/value: 'when'",
    ]);
  });

  it('checks Shell steps only', () => {
    const r = request({ table: str('t') }, [
      { step: { id: 'n', type: 'NoOp', params: command('echo ${table}') } },
    ]);
    expect(warned(r)).toEqual([]);
  });

  it('checks Shell steps inside loops, judging loop params by their definitions', () => {
    const loop = (values: unknown, inner: string) => ({
      foreach: {
        id: 'each',
        params: {
          loop_params: { type: 'MAP', value: { day: { type: 'STRING_ARRAY', value: values } } },
        },
        steps: [shell('inner', command(inner))],
      },
    });
    const at = 'workflow/steps/0/foreach/steps/0/step/params/command/value';
    expect(warned(request({}, [loop(['a', 'b'], 'echo ${day} ${loop_index}')]))).toEqual([]);
    expect(warned(request({ table: str('t') }, [loop(['${table}'], 'echo ${day}')]))).toEqual([
      `${at}: 'day'`,
    ]);
  });

  it('carries the line and column of the value in a file', () => {
    const text = [
      'properties: { owner: tester }',
      'workflow:',
      '  id: wf',
      '  params: { table: { type: STRING, value: t } }',
      '  steps:',
      '    - step:',
      '        id: s',
      '        type: Shell',
      '        params: { command: { type: STRING, value: "echo ${table}" } }',
      '',
    ].join('\n');
    const result = parseDefinitionText(text, { file: 'wf.yaml' });
    expect(result.workflow).toBeDefined();
    expect(result.warnings).toMatchObject([
      { file: 'wf.yaml', line: 9, column: 51, code: 'SHELL_INTERPOLATION' },
    ]);
  });
});

describe('SHELL_INTERPOLATION keeps step with the params layer', () => {
  it('names as run-settable exactly the modes a start or a restart may override', () => {
    const settable = Object.entries(MODE_TRAITS)
      .filter(([, t]) => t.startOverride || t.restartOverride)
      .map(([mode]) => mode);
    expect([...RUN_SETTABLE_MODES].sort()).toEqual(settable.sort());
  });

  it('names as open exactly the built-in STRING params a user may override', () => {
    const defaults = defaultWorkflowParams({ workflowId: 'wf', owner: 'o' });
    const open = Object.entries(defaults)
      .filter(([, d]) => d.type === 'STRING' && d.internal_mode !== 'RESERVED')
      .map(([name]) => name);
    expect([...OPEN_SYSTEM_PARAMS].sort()).toEqual(open.sort());
    expect(SYSTEM_WORKFLOW_PARAM_NAMES).toEqual(expect.arrayContaining(open));
  });
});

describe('examples and docs teach the environment style', () => {
  const docFiles = [
    'README.md',
    ...readdirSync(path.join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const blocks = docFiles.flatMap((file) =>
    [
      ...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(
        /^```(yaml|json) definition\n([\s\S]*?)^```$/gm,
      ),
    ].map((m) => ({ where: `${file} at offset ${m.index}`, text: m[2]! })),
  );
  const examples = ['examples', 'examples/loops'].flatMap((dir) =>
    readdirSync(path.join(repoRoot, dir))
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .map((f) => ({ where: `${dir}/${f}`, text: readFileSync(path.join(repoRoot, dir, f), 'utf8') })),
  );

  it('finds the examples and the definition blocks of the docs', () => {
    expect(examples.length).toBeGreaterThan(5);
    expect(blocks.some((b) => b.where.startsWith('docs/steps.md'))).toBe(true);
  });

  it.each([...examples, ...blocks].map((x) => [x.where, x.text] as const))(
    '%s has no warning',
    (_where, text) => {
      expect((parseDefinitionText(text).warnings ?? []).map((w) => w.message)).toEqual([]);
    },
  );
});

describe('docs/steps.md: which $ Baton reads', () => {
  const fill = (text: string) => interpolate(text, (name) => (name === 'a-b' ? 'AB' : undefined), 'p');

  it('leaves a $ that starts no reference to the shell, and reads $$ as $', () => {
    expect(fill('$1 $? $(cmd) ${x:-default} ${#x} $$HOME $${a-b} $$(date)')).toBe(
      '$1 $? $(cmd) ${x:-default} ${#x} $HOME ${a-b} $(date)',
    );
  });

  it('reads ${a-b} and $HOME as Baton references', () => {
    expect(fill('${a-b}')).toBe('AB');
    expect(() => fill('$HOME')).toThrow(/refers to 'HOME'/);
  });

  it("interpolates a run's own STRING values when the run starts", () => {
    const definition = { note: { type: 'STRING' as const, value: '' } };
    const start = (value: string) => {
      const params = mergeWorkflowParams({
        defaults: {},
        definition,
        run: runParamsFromValues({ note: value }, definition),
        runSource: 'LAUNCH',
      });
      return createParamEvaluator({ clock: { now: () => 0 } })
        .evaluate({ params })
        .get('note')!.value;
    };
    expect(start('costs $5')).toBe('costs $5');
    expect(start('$$HOME')).toBe('$HOME');
    expect(() => start('uses $HOME')).toThrow(/refers to 'HOME'/);
  });
});
