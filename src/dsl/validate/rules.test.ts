/* eslint-disable @typescript-eslint/no-explicit-any -- the cases edit untyped request JSON in place */
import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../model/limits.js';
import { parseDefinition } from '../parse.js';

/** A valid two-step request; each case below breaks one rule of it. */
function request(patch: (r: Record<string, any>) => void = () => {}) {
  const r: Record<string, any> = {
    properties: { owner: 'tester' },
    workflow: {
      id: 'wf',
      steps: [
        { step: { id: 'a', type: 'NoOp', transition: { successors: { b: 'true' } } } },
        { step: { id: 'b', type: 'Sleep', params: { sleep_seconds: { type: 'LONG', value: 1 } } } },
      ],
    },
  };
  patch(r);
  return r;
}

function issuesOf(r: unknown, options = {}) {
  return parseDefinition(r, options).issues.map((i) => ({
    code: i.code,
    path: i.path.join('/'),
    message: i.message,
  }));
}

describe('the valid base request', () => {
  it('has no issues and gives a frozen model', () => {
    const result = parseDefinition(request());
    expect(result.issues).toEqual([]);
    expect(Object.isFrozen(result.workflow!.workflow.steps[0])).toBe(true);
  });
});

describe('validation rules', () => {
  const cases: [string, (r: Record<string, any>) => void, string, string, RegExp?][] = [
    ['workflow id pattern', (r) => (r['workflow'].id = 'bad id'), 'INVALID_ID', 'workflow/id'],
    ['workflow id reserved prefix', (r) => (r['workflow'].id = 'maestro_x'), 'RESERVED_NAME', 'workflow/id'],
    ['workflow id reserved suffix', (r) => (r['workflow'].id = 'x_maestro'), 'RESERVED_NAME', 'workflow/id'],
    ['workflow id length', (r) => (r['workflow'].id = 'w'.repeat(129)), 'TOO_LONG', 'workflow/id'],
    [
      'step id with __',
      (r) => (r['workflow'].steps[1].step.id = 'b__c'),
      'INVALID_ID',
      'workflow/steps/1/step/id',
    ],
    [
      'step id starting with a digit',
      (r) => (r['workflow'].steps[1].step.id = '1b'),
      'INVALID_ID',
      'workflow/steps/1/step/id',
    ],
    [
      'reserved param name',
      (r) => (r['workflow'].params = { params: { type: 'LONG', value: 1 } }),
      'RESERVED_NAME',
      'workflow/params/params',
    ],
    [
      'duplicate step ids',
      (r) => (r['workflow'].steps[1].step.id = 'a'),
      'DUPLICATE_ID',
      'workflow/steps/1/step/id',
    ],
    [
      'unknown successor',
      (r) => (r['workflow'].steps[0].step.transition.successors = { c: 'true' }),
      'UNKNOWN_SUCCESSOR',
      'workflow/steps/0/step/transition/successors/c',
    ],
    [
      'self loop',
      (r) => (r['workflow'].steps[1].step.transition = { successors: { b: 'true' } }),
      'CYCLE',
      'workflow/steps/1/step/transition/successors/b',
      /b → b/,
    ],
    [
      'cycle',
      (r) => (r['workflow'].steps[1].step.transition = { successors: { a: 'false' } }),
      'CYCLE',
      'workflow/steps/0/step/transition/successors/b',
      /a → b → a/,
    ],
    [
      'predecessors that disagree',
      (r) => (r['workflow'].steps[1].step.transition = { predecessors: ['x'] }),
      'PREDECESSOR_MISMATCH',
      'workflow/steps/1/step/transition/predecessors',
    ],
    ['empty step list', (r) => (r['workflow'].steps = []), 'EMPTY_STEPS', 'workflow/steps'],
    [
      'value and expression',
      (r) => (r['workflow'].params = { x: { type: 'LONG', value: 1, expression: '1' } }),
      'VALUE_AND_EXPRESSION',
      'workflow/params/x',
    ],
    [
      'neither value nor expression',
      (r) => (r['workflow'].params = { x: { type: 'LONG' } }),
      'NO_VALUE',
      'workflow/params/x',
    ],
    [
      'literal of the wrong type',
      (r) => (r['workflow'].params = { x: { type: 'LONG_ARRAY', value: [1, 'two'] } }),
      'PARAM_TYPE_MISMATCH',
      'workflow/params/x/value',
    ],
    [
      'nested MAP literal',
      (r) => (r['workflow'].params = { m: { type: 'MAP', value: { y: { type: 'BOOLEAN', value: 'yes' } } } }),
      'PARAM_TYPE_MISMATCH',
      'workflow/params/m/value/y/value',
    ],
    [
      'empty expression',
      (r) => (r['workflow'].params = { x: { type: 'LONG', expression: '  ' } }),
      'EMPTY_EXPRESSION',
      'workflow/params/x/expression',
    ],
    [
      'empty condition',
      (r) => (r['workflow'].steps[0].step.transition.successors = { b: '' }),
      'EMPTY_EXPRESSION',
      'workflow/steps/0/step/transition/successors/b',
    ],
    [
      'concurrency on a sequential strategy',
      (r) => (r['properties'].run_strategy = { rule: 'sequential', workflow_concurrency: 3 }),
      'RUN_STRATEGY',
      'properties/run_strategy/workflow_concurrency',
    ],
    [
      'parallel concurrency too high',
      (r) => (r['properties'].run_strategy = 5000),
      'OUT_OF_RANGE',
      'properties/run_strategy/workflow_concurrency',
    ],
    [
      'step concurrency too high',
      (r) => (r['properties'].step_concurrency = 1001),
      'OUT_OF_RANGE',
      'properties/step_concurrency',
    ],
    [
      'instance step concurrency zero',
      (r) => (r['workflow'].instance_step_concurrency = 0),
      'OUT_OF_RANGE',
      'workflow/instance_step_concurrency',
    ],
    ['no owner', (r) => delete r['properties'], 'MISSING', 'properties'],
    [
      'retry limit above 99',
      (r) => (r['workflow'].steps[0].step.retry_policy = { error_retry_limit: 100 }),
      'OUT_OF_RANGE',
      'workflow/steps/0/step/retry_policy/error_retry_limit',
    ],
    [
      'backoff above a day',
      (r) => (r['workflow'].steps[0].step.retry_policy = { backoff: { error_retry_backoff_in_secs: 86401 } }),
      'OUT_OF_RANGE',
      'workflow/steps/0/step/retry_policy/backoff/error_retry_backoff_in_secs',
    ],
    [
      'retry limit as text that is not a param',
      (r) => (r['workflow'].steps[0].step.retry_policy = { error_retry_limit: 'three' }),
      'INVALID_VALUE',
      'workflow/steps/0/step/retry_policy/error_retry_limit',
    ],
    [
      'timeout over 120 days',
      (r) => (r['workflow'].timeout = 121 * 86400),
      'OUT_OF_RANGE',
      'workflow/timeout',
    ],
    [
      'timeout of zero',
      (r) => (r['workflow'].steps[0].step.timeout = 0),
      'OUT_OF_RANGE',
      'workflow/steps/0/step/timeout',
    ],
    [
      'timeout that is not a duration',
      (r) => (r['workflow'].timeout = 'a while'),
      'INVALID_DURATION',
      'workflow/timeout',
    ],
    [
      'foreach without loop_params',
      (r) =>
        (r['workflow'].steps[1] = { foreach: { id: 'b', steps: [{ step: { id: 'c', type: 'NoOp' } }] } }),
      'REQUIRED_PARAM',
      'workflow/steps/1/foreach/params',
    ],
    [
      'foreach loop param that is not an array',
      (r) =>
        (r['workflow'].steps[1] = {
          foreach: {
            id: 'b',
            params: { loop_params: { type: 'MAP', value: { i: { type: 'LONG', value: 1 } } } },
            steps: [{ step: { id: 'c', type: 'NoOp' } }],
          },
        }),
      'PARAM_TYPE_MISMATCH',
      'workflow/steps/1/foreach/params/loop_params/value/i/type',
    ],
    [
      'foreach concurrency above 500',
      (r) =>
        (r['workflow'].steps[1] = {
          foreach: {
            id: 'b',
            concurrency: 501,
            params: { loop_params: { type: 'MAP', value: { i: { type: 'LONG_ARRAY', value: [1] } } } },
            steps: [{ step: { id: 'c', type: 'NoOp' } }],
          },
        }),
      'OUT_OF_RANGE',
      'workflow/steps/1/foreach/concurrency',
    ],
    [
      'while without loop_params',
      (r) =>
        (r['workflow'].steps[1] = {
          while: { id: 'b', condition: 'true', steps: [{ step: { id: 'c', type: 'NoOp' } }] },
        }),
      'REQUIRED_PARAM',
      'workflow/steps/1/while/params',
    ],
    [
      'subworkflow without subworkflow_id',
      (r) => (r['workflow'].steps[1] = { subworkflow: { id: 'b' } }),
      'REQUIRED_PARAM',
      'workflow/steps/1/subworkflow/params',
    ],
    [
      'Http step without a url',
      (r) => (r['workflow'].steps[1].step = { id: 'b', type: 'Http' }),
      'REQUIRED_PARAM',
      'workflow/steps/1/step/params',
      /'http\.url'/,
    ],
    [
      'step with neither type nor sub_type',
      (r) => delete r['workflow'].steps[1].step.type,
      'MISSING',
      'workflow/steps/1/step/type',
    ],
    [
      'invalid cron',
      (r) => (r['workflow'].time_triggers = [{ type: 'CRON', cron: '61 * * * *' }]),
      'INVALID_CRON',
      'workflow/time_triggers/0/cron',
    ],
    [
      'cron more often than every 2 minutes',
      (r) => (r['workflow'].time_triggers = [{ type: 'cron', cron: '* * * * *' }]),
      'CRON_TOO_FREQUENT',
      'workflow/time_triggers/0/cron',
      /every 60 seconds/,
    ],
    [
      'unknown time zone',
      (r) => (r['workflow'].time_triggers = [{ type: 'cron', cron: '0 0 * * *', timezone: 'Mars/Olympus' }]),
      'INVALID_TIMEZONE',
      'workflow/time_triggers/0/timezone',
    ],
    [
      'unknown predefined schedule',
      (r) => (r['workflow'].time_triggers = [{ type: 'PREDEFINED', expression: '@fortnightly' }]),
      'INVALID_CRON',
      'workflow/time_triggers/0/expression',
    ],
    [
      'unknown signal operator',
      (r) =>
        (r['workflow'].signal_triggers = [
          { definitions: { s: { match_params: { p: { value: 1, operator: '!=' } } } } },
        ]),
      'INVALID_VALUE',
      'workflow/signal_triggers/0/definitions/s/match_params/p/operator',
    ],
    [
      'signal match value that is not a LONG',
      (r) =>
        (r['workflow'].signal_triggers = [
          { definitions: { s: { match_params: { w: { value: 1.5, operator: '>=' } } } } },
        ]),
      'SIGNAL_RULE',
      'workflow/signal_triggers/0/definitions/s/match_params/w/value',
      /not a whole number/,
    ],
    [
      'join keys of different lengths',
      (r) =>
        (r['workflow'].signal_triggers = [
          { definitions: { s: { join_keys: ['a'] }, t: { join_keys: ['a', 'b'] } } },
        ]),
      'SIGNAL_RULE',
      'workflow/signal_triggers/0/definitions/t/join_keys',
    ],
    [
      'join key that is also a match param',
      (r) =>
        (r['workflow'].signal_triggers = [
          { definitions: { s: { join_keys: ['a'], match_params: { a: { value: 1, operator: '=' } } } } },
        ]),
      'SIGNAL_RULE',
      'workflow/signal_triggers/0/definitions/s/join_keys',
    ],
    [
      'more than 8 signals in a trigger',
      (r) =>
        (r['workflow'].signal_triggers = [
          { definitions: Object.fromEntries([...'abcdefghi'].map((n) => [n, {}])) },
        ]),
      'SIGNAL_RULE',
      'workflow/signal_triggers/0/definitions',
    ],
    [
      'signal dependency param of type DOUBLE',
      (r) =>
        (r['workflow'].steps[0].step.signal_dependencies = [
          { name: 's', match_params: { p: { param: { type: 'DOUBLE', value: 1.5 }, operator: '>' } } },
        ]),
      'PARAM_TYPE_MISMATCH',
      'workflow/steps/0/step/signal_dependencies/0/match_params/p/param/type',
    ],
    [
      'signal output param called name',
      (r) =>
        (r['workflow'].steps[0].step.signal_outputs = [
          { name: 's', params: { name: { type: 'STRING', value: 'x' } } },
        ]),
      'RESERVED_NAME',
      'workflow/steps/0/step/signal_outputs/0/params/name',
    ],
    [
      'duplicate tags',
      (r) => (r['workflow'].tags = ['x', { name: 'x' }]),
      'DUPLICATE_TAG',
      'workflow/tags/1',
    ],
    [
      'unknown key',
      (r) => (r['workflow'].steps[0].step.retries = 3),
      'UNKNOWN_KEY',
      'workflow/steps/0/step/retries',
    ],
    [
      'wrong type',
      (r) => (r['workflow'].steps[0].step.timeout = true),
      'INVALID_TYPE',
      'workflow/steps/0/step/timeout',
    ],
    [
      'unknown step type',
      (r) => (r['workflow'].steps[0].step.type = 'Spark'),
      'INVALID_VALUE',
      'workflow/steps/0/step/type',
      /not "Spark"/,
    ],
    [
      'two kinds in one step',
      (r) => (r['workflow'].steps[1] = { step: { id: 'b', type: 'NoOp' }, subworkflow: { id: 'c' } }),
      'INVALID_VALUE',
      'workflow/steps/1',
      /exactly one key/,
    ],
  ];

  it.each(cases)('%s', (_name, patch, code, path, message) => {
    const issues = issuesOf(request(patch));
    expect(issues).toContainEqual(expect.objectContaining({ code, path }));
    if (message) expect(issues.find((i) => i.code === code)!.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(
      request((r) => {
        r['workflow'].id = 'maestro_x';
        r['workflow'].steps[0].step.transition.successors = { zz: 'true' };
        r['workflow'].params = { x: { type: 'LONG', value: 'one' } };
      }),
    );
    expect(issues.map((i) => i.code).sort()).toEqual([
      'PARAM_TYPE_MISMATCH',
      'RESERVED_NAME',
      'UNKNOWN_SUCCESSOR',
    ]);
  });

  it('does not repeat a structure problem as a rule problem inside the same value', () => {
    const issues = issuesOf(request((r) => (r['workflow'].steps[1] = { step: 'not a step' })));
    expect(issues.map((i) => i.code)).toEqual(['INVALID_TYPE']);
  });

  it('honours configured limits', () => {
    const r = request();
    expect(issuesOf(r, { limits: resolveLimits({ stepsPerList: 1 }) })).toContainEqual(
      expect.objectContaining({ code: 'TOO_MANY_STEPS', path: 'workflow/steps' }),
    );
    const deep = request((x) => {
      x['workflow'].steps[1] = {
        while: {
          id: 'b',
          condition: 'true',
          params: { loop_params: { type: 'MAP', value: {} } },
          steps: [
            {
              while: {
                id: 'c',
                condition: 'true',
                params: { loop_params: { type: 'MAP', value: {} } },
                steps: [{ step: { id: 'd', type: 'NoOp' } }],
              },
            },
          ],
        },
      };
    });
    expect(issuesOf(deep, { limits: resolveLimits({ nestingDepth: 1 }) })).toContainEqual(
      expect.objectContaining({ code: 'TOO_DEEP', path: 'workflow/steps/1/while/steps/0/while/steps' }),
    );
    expect(issuesOf(deep)).toEqual([]);
  });

  it('treats names of Object.prototype members as plain text, never as lookups', () => {
    const issues = issuesOf(
      request((r) => {
        r['workflow'].params = { x: { type: 'constructor', value: 1 } };
        r['workflow'].steps[1] = { toString: { id: 'b' } };
        r['workflow'].steps[0].step.type = 'hasOwnProperty';
        r['workflow'].time_triggers = [{ type: 'PREDEFINED', expression: 'constructor' }];
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'workflow/params/x/type',
        'workflow/steps/1/toString',
        'workflow/steps/0/step/type',
        'workflow/time_triggers/0/expression',
      ]),
    );
  });

  it('leaves values that name params to run time', () => {
    const r = request((x) => {
      x['workflow'].timeout = '${base_timeout}';
      x['workflow'].steps[0].step.retry_policy = { error_retry_limit: '$retries' };
    });
    expect(issuesOf(r)).toEqual([]);
  });
});
