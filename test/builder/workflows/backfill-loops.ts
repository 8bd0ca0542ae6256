// Foreach, while and subworkflow together: a backfill that loads each day and region through a child workflow,
// polls until compaction is done, then publishes without waiting.
import {
  boolean,
  expr,
  foreach,
  long,
  longArray,
  map,
  step,
  string,
  stringArray,
  subworkflow,
  whileLoop,
  workflow,
} from '../../../src/dsl/builder/index.js';

export default workflow('backfill-sales', {
  description: 'Reload a week of sales, one child run per day and region',
  instance_step_concurrency: 10,
  properties: { owner: 'data-eng', run_strategy: { rule: 'PARALLEL', workflow_concurrency: 2 } },
  params: { start_day: long(20240101), end_day: long(20240107) },
  steps: [
    foreach('each-day', {
      loop_params: {
        day: longArray(expr('Util.dateIntsBetween(start_day, end_day, 1)')),
        region: stringArray(['us', 'eu']),
      },
      concurrency: 4,
      strict_ordering: true,
      steps: [
        subworkflow('load-day', 'load-sales', {
          version: 'latest',
          sync: true,
          explicit_params: false,
          params: { day: long(expr('day')), region: string(expr('region')) },
          next: ['check-day'],
        }),
        step('check-day', 'Sql', {
          params: { query: string(expr("'select count(*) from sales where day = ' + day")) },
        }),
      ],
      next: ['wait-for-compaction'],
    }),
    whileLoop('wait-for-compaction', {
      condition: 'attempt < 5 && !compacted',
      loop_params: { attempt: long(0), compacted: boolean(false) },
      timeout: '2 hours',
      steps: [
        step('probe', 'Http', {
          params: {
            http: map({ url: string('http://warehouse.internal/compaction/sales'), method: string('GET') }),
            compacted: boolean(expr('status_code == 200')),
          },
          next: ['count'],
        }),
        step('count', 'NoOp', { params: { attempt: long(expr('attempt + 1')) } }),
      ],
      next: ['publish'],
    }),
    subworkflow('publish', 'publish-dashboard', { version: 3, sync: false, explicit_params: true }),
  ],
});
