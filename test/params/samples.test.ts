// Maestro's sample workflows through the params layer: every SEL expression in them parses, and their params
// evaluate to what sample-outcomes.json says (`evaluated_params`). Reads ../shared in place; skips where absent.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../../src/dsl/parse.js';
import type { JobTemplate, Step, WorkflowCreateRequest } from '../../src/model/definition.js';
import type { JsonValue } from '../../src/model/json.js';
import type { ParamMap } from '../../src/model/param.js';
import {
  createParamEvaluator,
  defaultWorkflowParams,
  instanceFields,
  mergeWorkflowParams,
  paramValues,
  ParamError,
  type EvaluatedParams,
  type StepState,
} from '../../src/params/index.js';
import { parseSel } from '../../src/sel/index.js';
import { conformanceDir, hasShared, samplesDir, SHARED_SKIP_REASON } from '../support/shared.js';

const read = (file: string) => readFileSync(file, 'utf8');

/** Every SEL expression of a definition with where it is. */
function expressions(request: WorkflowCreateRequest): [string, string][] {
  const out: [string, string][] = [];
  const params = (map: ParamMap | undefined, at: string): void => {
    for (const [name, def] of Object.entries(map ?? {})) {
      if (def.expression !== undefined) out.push([`${at}.${name}`, def.expression]);
      if (def.type === 'MAP' && def.value !== undefined && def.expression === undefined)
        params(def.value as ParamMap, `${at}.${name}`);
    }
  };
  const steps = (list: readonly Step[], at: string): void => {
    for (const s of list) {
      const here = `${at}.${s.id}`;
      params(s.params, `${here}.params`);
      for (const [to, c] of Object.entries(s.transition.successors)) out.push([`${here}→${to}`, c]);
      s.signal_dependencies?.forEach((d, i) => {
        for (const [k, m] of Object.entries(d.match_params ?? {}))
          if (m.param.expression) out.push([`${here}.signal_dependencies[${i}].${k}`, m.param.expression]);
      });
      s.signal_outputs?.forEach((o, i) => {
        params(o.params, `${here}.signal_outputs[${i}].params`);
        params(o.payload, `${here}.signal_outputs[${i}].payload`);
      });
      if (s.kind === 'while') out.push([`${here}.condition`, s.condition]);
      if (s.kind === 'foreach' || s.kind === 'while') steps(s.steps, here);
    }
  };
  const w = request.workflow;
  params(w.params, 'workflow.params');
  w.signal_triggers?.forEach((t, i) => {
    if (t.condition !== undefined) out.push([`signal_triggers[${i}].condition`, t.condition]);
    if (t.dedup_expr !== undefined) out.push([`signal_triggers[${i}].dedup_expr`, t.dedup_expr]);
    params(t.params, `signal_triggers[${i}].params`);
  });
  steps(w.steps, 'steps');
  return out;
}

interface Outcome {
  readonly file: string;
  readonly evaluated_params?: Readonly<Record<string, JsonValue>>;
}

const NOW = Date.parse('2024-05-06T07:08:09Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `<random UUID ...>` and other angle-bracket values mean "nondeterministic": check the shape only. */
function expectValue(actual: JsonValue | undefined, expected: JsonValue, what: string): void {
  if (typeof expected === 'string' && /^<.*>$/s.test(expected)) {
    expect(actual, what).toBeDefined();
    if (/UUID/.test(expected)) expect(actual, what).toMatch(UUID);
    else if (/epoch seconds/.test(expected)) expect(typeof actual, what).toBe('number');
    return;
  }
  expect(actual, what).toEqual(expected);
}

/** Evaluates the top-level steps' params, each once its upstream steps are evaluated. */
function evaluateSteps(
  request: WorkflowCreateRequest,
  workflow: EvaluatedParams,
  evaluator: ReturnType<typeof createParamEvaluator>,
) {
  const steps = new Map<string, StepState>();
  const pending = [...request.workflow.steps];
  for (let pass = 0; pass < request.workflow.steps.length && pending.length > 0; pass++) {
    for (const s of [...pending]) {
      try {
        const params = evaluator.evaluate({
          params: s.params ?? {},
          outer: workflow,
          context: { steps, instance: {} },
        });
        steps.set(s.id, { params });
        pending.splice(pending.indexOf(s), 1);
      } catch (err) {
        if (!(err instanceof ParamError)) throw err; // an upstream step is not evaluated yet: next pass
      }
    }
  }
  return steps;
}

describe.skipIf(!hasShared)('Maestro samples: params', () => {
  const files = hasShared
    ? readdirSync(samplesDir)
        .filter((f) => /\.(json|ya?ml)$/.test(f))
        .sort()
    : [];
  // Job templates first, as `baton validate` reads a batch: a workflow whose step has a `sub_type` gets its params.
  const texts = new Map(files.map((f) => [f, read(path.join(samplesDir, f))]));
  const templates = new Map<string, JobTemplate>();
  for (const text of texts.values()) {
    const template = parseDefinitionText(text, { requireOwner: false }).jobTemplate;
    if (template) templates.set(template.definition.job_type.toLowerCase(), template.definition);
  }
  const parsed = new Map(
    [...texts].map(([f, text]) => [f, parseDefinitionText(text, { requireOwner: false, templates })]),
  );

  it.each(files)('%s is valid and every SEL expression in it parses', (file) => {
    const result = parsed.get(file)!;
    expect(result.issues, file).toEqual([]);
    const request = result.workflow;
    if (!request) {
      expect(result.jobTemplate, `${file} is neither a workflow nor a job template`).toBeDefined();
      return;
    }
    const found = expressions(request);
    for (const [where, source] of found) {
      expect(() => parseSel(source, { autoSemicolon: true }), where).not.toThrow();
    }
  });

  const outcomes = hasShared
    ? (JSON.parse(read(path.join(conformanceDir, 'sample-outcomes.json'))) as Outcome[]).filter(
        (o) => o.evaluated_params,
      )
    : [];

  it.each(outcomes.map((o) => [o.file, o] as const))(
    '%s params evaluate to evaluated_params',
    (file, outcome) => {
      const request = parsed.get(file)?.workflow;
      expect(request, file).toBeDefined();
      const w = request!.workflow;
      const evaluator = createParamEvaluator({ clock: { now: () => NOW } });
      const params = mergeWorkflowParams({
        defaults: defaultWorkflowParams({ workflowId: w.id, owner: 'tester' }),
        definition: w.params ?? {},
      });
      const instance = instanceFields({ workflowId: w.id, owner: 'tester', initiator: { type: 'MANUAL' } });
      const workflow = evaluator.evaluate({ params, context: { instance } });
      const values = paramValues(workflow);
      const steps = evaluateSteps(request!, workflow, evaluator);
      let checked = 0;
      for (const [key, expected] of Object.entries(outcome.evaluated_params ?? {})) {
        if (key.startsWith('workflow.')) {
          expectValue(values[key.slice('workflow.'.length)], expected, key);
          checked++;
          continue;
        }
        // a description of a value ("i + 2 (3, 4, 5)"), not a value: nothing to compare
        if (typeof expected === 'string' && /\(/.test(expected) && !/^<.*>$/.test(expected)) continue;
        // `<stepId>.<param>` of a top-level step; other keys (transitions, loop iterations) are the engine's to check
        const stepId = request!.workflow.steps.map((s) => s.id).find((id) => key.startsWith(`${id}.`));
        if (stepId === undefined) continue;
        const param = key.slice(stepId.length + 1);
        const evaluated = steps.get(stepId)?.params.get(param);
        expect(evaluated, `${key}: step ${stepId} evaluates its param ${param}`).toBeDefined();
        expectValue(paramValues(new Map([[param, evaluated!]]))[param], expected, key);
        checked++;
      }
      if (Object.keys(outcome.evaluated_params ?? {}).some((k) => k.startsWith('workflow.')))
        expect(checked, 'values checked').toBeGreaterThan(0);
    },
  );
});

describe.skipIf(hasShared)('Maestro samples: params', () => {
  it.skip(SHARED_SKIP_REASON, () => {});
});
