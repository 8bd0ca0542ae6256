import { describe, expect, it } from 'vitest';
import { parseDefinition } from '../dsl/parse.js';
import type { ForeachStep } from '../model/definition.js';
import { isSecretParam, redactWorkflow, secretParamNames } from './secrets.js';

const parsed = parseDefinition(
  {
    workflow: {
      id: 'wf',
      params: { token: { type: 'STRING', value: 't-1', secret: true }, day: { type: 'LONG', value: 1 } },
      steps: [
        {
          foreach: {
            id: 'loop',
            params: { loop_params: { type: 'MAP', value: { i: { type: 'LONG_ARRAY', value: [1] } } } },
            steps: [
              {
                step: {
                  id: 'inner',
                  type: 'NoOp',
                  params: { pw: { type: 'STRING', value: 'p-1', secret: true } },
                },
              },
            ],
          },
        },
        {
          step: {
            id: 'b',
            type: 'NoOp',
            params: { not_secret: { type: 'STRING', value: 'x', secret: false } },
          },
        },
      ],
    },
  },
  { requireOwner: false },
);
const workflow = parsed.workflow!.workflow;

describe('secret params', () => {
  it('are the params whose definition says secret: true, at any depth', () => {
    expect(parsed.issues).toEqual([]);
    expect([...secretParamNames(workflow)].sort()).toEqual(['pw', 'token']);
    expect(isSecretParam({ type: 'STRING', meta: { secret: 'yes' } })).toBe(false);
  });

  it('lose their values in a redacted copy, the rest and the original staying as they were', () => {
    const redacted = redactWorkflow(workflow);
    expect(redacted.params?.['token']?.value).toBe('********');
    expect(redacted.params?.['day']?.value).toBe(1);
    const inner = (redacted.steps[0] as ForeachStep).steps[0]!;
    expect(inner.params?.['pw']).toMatchObject({ value: '********', meta: { secret: true } });
    expect(redacted.steps[1]!.params?.['not_secret']?.value).toBe('x');
    expect(workflow.params?.['token']?.value).toBe('t-1');
  });
});

describe('validating secret params', () => {
  it('wants secret to be true or false, and keeps a secret value out of a type error', () => {
    const result = parseDefinition(
      {
        workflow: {
          id: 'wf',
          params: {
            a: { type: 'STRING', value: 'x', secret: 'yes' },
            b: { type: 'LONG', value: 'hunter2', secret: true },
          },
          steps: [{ step: { id: 's', type: 'NoOp' } }],
        },
      },
      { requireOwner: false },
    );
    const messages = result.issues.map((i) => `${i.code} ${i.path.join('.')}: ${i.message}`);
    expect(messages).toContainEqual(
      expect.stringMatching(/^INVALID_VALUE workflow\.params\.a\.secret: secret is true/),
    );
    expect(messages).toContainEqual(expect.stringContaining('not the value given (kept secret)'));
    expect(messages.join('\n')).not.toContain('hunter2');
  });
});
