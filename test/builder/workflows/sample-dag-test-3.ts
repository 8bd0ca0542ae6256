// Maestro's sample-dag-test-3 written with the builder: failure modes, fixed-backoff retries, tags, alerting
// and cross-step param references. golden.test.ts checks it against the sample itself.
import { expr, long, string, step, workflow } from '../../../src/dsl/builder/index.js';
import type { RetryPolicyJson } from '../../../src/dsl/builder/index.js';

const retryFast: RetryPolicyJson = {
  error_retry_limit: 10,
  platform_retry_limit: 10,
  backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 1, platform_retry_backoff_in_secs: 1 },
};

export default workflow('sample-dag-test-3', {
  name: 'Test workflow 03',
  description: 'Long description about this workflow',
  tags: [{ name: 'tester', namespace: 'SYSTEM' }, 'test', { name: 'foo' }],
  properties: {
    owner: 'tester',
    run_strategy: 'PARALLEL',
    step_concurrency: 20,
    alerting: {
      emails: ['test+alertconfig_default1@netflix.com', '${foo}+alertconfig_default2@netflix.com'],
      tct: { completed_by_hour: 1, tz: 'UTC' },
    },
  },
  params: { foo: string(expr("'bar1';")) },
  steps: [
    step('job1', 'Sleep', {
      next: ['job.2', 'job3'],
      tags: [{ name: 'Sleep', namespace: 'SYSTEM' }, 'job1'],
      params: { sleep_seconds: long(15) },
      failure_mode: 'IGNORE_FAILURE',
      retry_policy: retryFast,
    }),
    step('job.2', 'Sleep', {
      next: ['job4'],
      params: {
        param1: string(expr("sleep_seconds + '1';")),
        param2: string('${job1__sleep_seconds} + 1'),
        vtts_ts: long(expr("Util.dateIntHourToTs(TARGET_RUN_DATE, TARGET_RUN_HOUR, 'UTC', 0, 0)/1000")),
        sleep_seconds: long(expr('job3__sleep_seconds + 1;')),
      },
      failure_mode: 'FAIL_AFTER_RUNNING',
      retry_policy: retryFast,
    }),
    step('job3', 'Sleep', {
      next: ['job4', 'job.2'],
      params: { sleep_seconds: long(15) },
      failure_mode: 'FAIL_IMMEDIATELY',
      retry_policy: retryFast,
    }),
    step('job4', 'Sleep', { params: { sleep_seconds: long(15) } }),
  ],
});
