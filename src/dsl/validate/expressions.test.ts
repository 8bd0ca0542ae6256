import { describe, expect, it } from 'vitest';
import { parseDefinition, parseDefinitionText } from '../parse.js';

type Json = Record<string, unknown>;

/** A workflow with a param `base`, a NoOp `a` feeding a Sleep `b`, and one place to put an expression. */
function request(
  workflowParams: Json = {},
  bParams: Json = {},
  condition = 'true',
  extraSteps: Json[] = [],
): Json {
  return {
    properties: { owner: 'tester' },
    workflow: {
      id: 'wf',
      params: { base: { type: 'LONG', value: 1 }, ...workflowParams },
      steps: [
        {
          step: {
            id: 'a',
            type: 'NoOp',
            params: { x: { type: 'LONG', value: 2 } },
            transition: { successors: { b: condition } },
          },
        },
        { step: { id: 'b', type: 'Sleep', params: bParams } },
        ...extraSteps,
      ],
    },
  };
}

const expr = (expression: string, type = 'LONG'): Json => ({ type, expression });

function issues(r: Json) {
  return parseDefinition(r).issues.map((i) => ({ code: i.code, path: i.path.join('/'), message: i.message }));
}

describe('SEL_SYNTAX', () => {
  it('reports a syntax error in a workflow param expression with its position inside the expression', () => {
    const found = issues(request({ bad: expr('1 +\n  * 2') }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'SEL_SYNTAX', path: 'workflow/params/bad/expression' });
    expect(found[0]!.message).toMatch(/line 2, column 3/);
  });

  it('reports bad transition conditions, nested MAP params and signal trigger expressions', () => {
    const r = request({ m: { type: 'MAP', value: { inner: expr('(1') } } }, {}, 'x >');
    (r['workflow'] as Json)['signal_triggers'] = [
      { definitions: { s: {} }, condition: 'if (', dedup_expr: 'return 1;' },
    ];
    expect(issues(r).map((i) => [i.code, i.path])).toEqual([
      ['SEL_SYNTAX', 'workflow/params/m/value/inner/expression'],
      ['SEL_SYNTAX', 'workflow/signal_triggers/0/condition'],
      ['SEL_SYNTAX', 'workflow/steps/0/step/transition/successors/b'],
    ]);
  });

  it('reports an expression that ends too early at its end, not at the appended ;', () => {
    const [found] = issues(request({ bad: expr('base +') }));
    expect(found!.message).toBe(
      'SEL syntax error in the expression: Expected an expression but found the end of the expression at line 1, column 7',
    );
  });

  it("accepts expressions without a final ';' (Maestro appends it)", () => {
    expect(issues(request({ ok: expr('base + 1') }, {}, 'x > 1'))).toEqual([]);
  });

  it('gives the file line of the expression for a JSON file', () => {
    const text = JSON.stringify(request({ bad: expr('1 +') }), null, 2);
    const [found] = parseDefinitionText(text, { file: 'wf.json' }).issues;
    expect(found).toMatchObject({ code: 'SEL_SYNTAX', file: 'wf.json' });
    expect(text.split('\n')[found!.line! - 1]).toContain('"expression": "1 +"');
  });
});

describe('UNKNOWN_REFERENCE', () => {
  it('flags a bare identifier that is no param in scope', () => {
    const found = issues(request({ y: expr('base + typo') }));
    expect(found).toEqual([
      {
        code: 'UNKNOWN_REFERENCE',
        path: 'workflow/params/y/expression',
        message: expect.stringMatching(/'typo'/) as unknown,
      },
    ]);
  });

  it('knows workflow params, own-step params, system params, SEL classes and script variables', () => {
    const b = {
      s: expr('sleep_seconds + base + RUN_TS + Util.tsToDateInt(RUN_TS) + other;'),
      other: { type: 'LONG', value: 3 },
    };
    const w = { v: expr('long n = 2; n = n + TARGET_RUN_DATE; return n + params.get("nope");') };
    expect(issues(request(w, b))).toEqual([]);
  });

  it('does not let a step see another step’s params by bare name, but does via step__param', () => {
    expect(issues(request({}, { y: expr('x + 1') })).map((i) => i.code)).toEqual(['UNKNOWN_REFERENCE']);
    expect(issues(request({}, { y: expr('a__x + 1') }))).toEqual([]);
  });

  it('flags step__param and getFromStep of a step that does not exist', () => {
    const found = issues(request({}, { y: expr("nostep__x + params.getFromStep('gone', 'p')") }));
    expect(found.map((i) => i.message)).toEqual([
      expect.stringMatching(/no step 'nostep'/),
      expect.stringMatching(/no step 'gone'/),
    ]);
  });

  it('knows loop params and loop_index inside a loop body, and only there', () => {
    const loop = {
      foreach: {
        id: 'loop',
        params: {
          loop_params: { type: 'MAP', value: { i: { type: 'LONG_ARRAY', value: [1, 2] } } },
          extra: { type: 'STRING', value: 'e' },
        },
        steps: [{ step: { id: 'in', type: 'NoOp', params: { z: expr('i + loop_index + extra.length()') } } }],
      },
    };
    expect(issues(request({}, {}, 'true', [loop]))).toEqual([]);
    expect(issues(request({}, { z: expr('i + 1') })).map((i) => i.code)).toEqual(['UNKNOWN_REFERENCE']);
  });

  it('checks while conditions against the loop params', () => {
    const loop = {
      while: {
        id: 'w',
        condition: 'i < 10 && j > 0',
        params: { loop_params: { type: 'MAP', value: { i: { type: 'LONG', value: 1 } } } },
        steps: [{ step: { id: 'in', type: 'NoOp' } }],
      },
    };
    const found = issues(request({}, {}, 'true', [loop]));
    expect(found).toEqual([
      {
        code: 'UNKNOWN_REFERENCE',
        path: 'workflow/steps/2/while/condition',
        message: expect.stringMatching(/'j'/) as unknown,
      },
    ]);
  });

  it('signal dependency params see workflow params but not the step’s own', () => {
    const r = request({}, { own: { type: 'LONG', value: 1 } });
    const steps = (r['workflow'] as { steps: { step: Json }[] }).steps;
    steps[1]!.step['signal_dependencies'] = [
      { name: 's', match_params: { p: { param: expr('base + own'), operator: '=' } } },
    ];
    expect(issues(r).map((i) => [i.code, i.message.match(/'(\w+)'/)?.[1]])).toEqual([
      ['UNKNOWN_REFERENCE', 'own'],
    ]);
  });

  it('only checks syntax where the scope is not fully known (steps with job templates, signal triggers)', () => {
    const r = request();
    (r['workflow'] as Json)['signal_triggers'] = [{ definitions: { s: {} }, condition: 'anything_goes > 1' }];
    expect(issues(r)).toEqual([]);
  });
});
