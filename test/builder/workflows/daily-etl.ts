// Every other part of the format in one workflow: properties, triggers, all ten param types with modes and
// validators, conditional transitions, exponential retries, signals in and out, a job template and a template.
import {
  boolean,
  booleanArray,
  double,
  doubleArray,
  expr,
  long,
  longArray,
  map,
  step,
  string,
  stringArray,
  stringMap,
  template,
  workflow,
} from '../../../src/dsl/builder/index.js';

export default workflow('daily-etl', {
  name: 'Daily ETL',
  description: 'Extract orders, transform, load, and announce the table',
  tags: ['etl', { name: 'orders', namespace: 'USER_DEFINED', team: 'sales' }],
  timeout: '6 hours',
  criticality: 'HIGH',
  instance_step_concurrency: 5,
  time_triggers: [
    { type: 'CRON', cron: '0 2 * * *', timezone: 'Europe/Paris', fuzzy_max_delay: '5m' },
    { type: 'PREDEFINED', expression: '@daily' },
  ],
  signal_triggers: [
    {
      definitions: {
        'orders/raw': { match_params: { region: { value: 'eu', operator: '=' } }, join_keys: ['day'] },
        'fx/rates': { join_keys: ['day'] },
      },
      condition: 'true',
      params: { source: string('signal') },
    },
  ],
  properties: {
    owner: { name: 'data-eng', slack: '#data-eng' },
    run_strategy: 'STRICT_SEQUENTIAL',
    step_concurrency: 10,
    description: 'Owned by the data engineering team',
    tags: ['team:data-eng'],
    alerting: { emails: ['data-eng@example.com'] },
    alerting_disabled: false,
    signal_trigger_disabled: true,
    time_trigger_disabled: false,
  },
  is_active: true,
  params: {
    day: string(expr('TARGET_RUN_DATE'), { mode: 'MUTABLE_ON_START' }),
    batch_size: long(1000, { mode: 'CONSTANT', validator: 'param > 0' }),
    sample_rate: double(0.25),
    dry_run: boolean(false, { mode: 'MUTABLE_ON_START_RESTART' }),
    labels: stringMap({ env: 'prod', expression: 'not SEL, just a key named expression' }),
    regions: stringArray(['us', 'eu'], { mode: 'IMMUTABLE' }),
    hours: longArray([0, 6, 12, 18]),
    weights: doubleArray([0.5, 1.5]),
    flags: booleanArray([true, false]),
    limits: map({ rows: long(1_000_000), ratio: double(expr('sample_rate * 2')) }, { validator: '@NotNull' }),
  },
  steps: [
    step('extract', 'Shell', {
      name: 'Extract orders',
      timeout: 1800,
      params: { command: string('./extract.sh ${day}') },
      signal_dependencies: [
        {
          name: 'orders/raw',
          match_params: { day: { param: string(expr('day')), operator: '>=' } },
        },
      ],
      retry_policy: {
        error_retry_limit: 3,
        platform_retry_limit: '${batch_size}',
        timeout_retry_limit: 1,
        backoff: {
          type: 'EXPONENTIAL_BACKOFF',
          error_retry_backoff_in_secs: 30,
          error_retry_exponent: 2,
          error_retry_limit_in_secs: 600,
        },
      },
      next: { transform: 'extract__row_count > 0', skip: 'extract__row_count == 0' },
    }),
    step('transform', 'Notebook', {
      sub_type: 'spark',
      sub_type_version: 'v2',
      tags: [{ name: 'spark', namespace: 'JOB_TEMPLATE' }],
      params: {
        kubernetes: map({ image: string('jupyter/pyspark-notebook:2024-01-01') }),
        notebook: map({ input_path: string('s3://notebooks/transform_orders.ipynb') }),
      },
      failure_mode: 'FAIL_IMMEDIATELY',
      next: ['load'],
    }),
    step('skip', 'NoOp', { description: 'Nothing arrived today' }),
    step('load', 'Sql', {
      params: { query: string('insert into orders select * from staging_orders') },
      signal_outputs: [
        {
          name: 'warehouse/orders',
          params: { day: string(expr('day')), rows: long(expr('load__rows')) },
          payload: { note: string('loaded by daily-etl') },
        },
      ],
      next: ['notify'],
    }),
    template('notify', 'slack-message', { params: { channel: string('#data-eng') } }),
  ],
});
