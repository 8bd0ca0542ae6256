import type { Command } from 'commander';
import type { ExitCode, Io } from '../io.js';
import { restartCommand as embeddedRestart, type RestartCommandOptions } from '../restart-command.js';
import { localTokenCreate, localTokenList, localTokenRevoke } from '../token-command.js';
import {
  activateCommand,
  actionCommand,
  deactivateCommand,
  restartCommand,
  type ActionOptions,
  type RestartOptions,
} from './action-commands.js';
import { collect, DEFAULT_URL, runClient, type ClientContext, type ConnectionOptions } from './context.js';
import { lsCommand, type LsOptions } from './ls-command.js';
import { tokenCreateCommand, tokenListCommand, tokenRevokeCommand } from './more-commands.js';
import {
  signalCommand,
  signalGetCommand,
  signalListCommand,
  signalTriggersCommand,
  type SignalOptions,
} from './signal-commands.js';
import { sourceForgetCommand, sourceParkedCommand } from './source-commands.js';
import { signalLineageCommand } from './signal-lineage-command.js';
import { logsCommand, type LogsOptions } from './logs-command.js';
import { pushCommand } from './push-command.js';
import { startCommand, statusCommand, type StartOptions, type StatusOptions } from './run-commands.js';

type Report = (code: ExitCode) => void;

/** What each group of commands is registered with: how to declare a client command, and how to run one. */
interface Registrar {
  readonly program: Command;
  readonly io: Io;
  readonly report: Report;
  client(parent: Command, name: string, description: string, opts?: { isDefault?: boolean }): Command;
  run(name: string, opts: ConnectionOptions, body: (ctx: ClientContext) => Promise<ExitCode>): Promise<void>;
}

/**
 * The commands that talk to a Baton server over its HTTP API (`push`, `start`, `ls`, `status`, `logs`, `stop`,
 * `kill`, `skip`, `restart`, `activate`, `deactivate`, `signal`, `token`). Each takes `--url` (default $BATON_URL,
 * else http://127.0.0.1:8080) and `--json`; $BATON_TOKEN and $BATON_USER (else $USER) say who calls.
 */
export function registerClientCommands(program: Command, io: Io, report: Report): void {
  const r: Registrar = {
    program,
    io,
    report,
    client: (parent, name, description, opts) =>
      parent
        .command(name, opts)
        .description(description)
        .option('--url <url>', `the Baton server (default: $BATON_URL, else ${DEFAULT_URL})`)
        .option('--json', "print the API's JSON answer"),
    run: (name, opts, body) => runClient(io, name, opts, body).then(report),
  };
  registerRunCommands(r);
  registerActionCommands(r);
  registerSignalCommands(r);
  registerRestart(r);
  registerTokenCommands(r);
  registerSourceCommands(r);
}

/** source parked, forget: what the signal sources set aside. */
function registerSourceCommands({ program, client, run }: Registrar): void {
  const source = program.command('source').description('signal sources: the messages they parked');
  client(source, 'parked', 'list the messages a signal source could not turn into a signal, with why')
    .argument('<source>', 'the source name (the events file)')
    .option('--first <n>', 'how many (default 100, at most 200)')
    .option('--cursor <id>', 'the page after this parked message id')
    .action((name: string, opts: { first?: string; cursor?: string } & ConnectionOptions) =>
      run('source parked', opts, (ctx) => sourceParkedCommand(ctx, name, opts)),
    );
  client(source, 'forget', 'remove a parked message (once it was looked at)')
    .argument('<source>', 'the source name')
    .argument('<id>', 'the parked message id')
    .action((name: string, id: string, opts: ConnectionOptions) =>
      run('source forget', opts, (ctx) => sourceForgetCommand(ctx, name, id)),
    );
}

/** push, start, ls, status, logs. */
function registerRunCommands({ program, client, run }: Registrar): void {
  client(program, 'push', 'store workflow definitions on the server: each file becomes a new version')
    .argument('<file...>', 'definition files (.json, .yaml, .yml) or folders of them')
    .action((files: string[], opts: ConnectionOptions) =>
      run('push', opts, (ctx) => pushCommand(ctx, files)),
    );

  client(program, 'start', 'start an instance of a workflow on the server (the server runs it)')
    .argument('<workflow>', 'the workflow id')
    .option('--version <version>', 'a version number, active, latest or default', 'default')
    .option(
      '--param <name=value>',
      'a run param, repeatable; the value is read as JSON when it parses',
      collect,
      [],
    )
    .option('--request-id <id>', 'starts with the same request id start one instance only')
    .option('--wait', 'show the run as it goes until it ends; exit 1 if it did not succeed')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long (exit 1; the run goes on)')
    .action((workflow: string, opts: StartOptions & ConnectionOptions) =>
      run('start', opts, (ctx) => startCommand(ctx, workflow, opts)),
    );

  client(program, 'ls', 'list workflows, or the instances of one (newest first)')
    .argument('[workflow]', 'the workflow id')
    .option('--status <statuses>', 'only instances in these statuses, e.g. FAILED,TIMED_OUT')
    .option('--limit <n>', 'at most this many (default 20 instances, 200 workflows)')
    .action((workflow: string | undefined, opts: LsOptions & ConnectionOptions) =>
      run('ls', opts, (ctx) => lsCommand(ctx, workflow, opts)),
    );

  client(program, 'status', "draw a run of an instance: each step's status, attempt and times")
    .argument('<workflow>', 'the workflow id')
    .argument('<instance>', 'the instance id')
    .argument('[run]', 'the run id (default: the latest)')
    .option('--wait', 'follow the run until it ends; exit 1 if it did not succeed')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long (exit 1)')
    .action(
      (
        workflow: string,
        instance: string,
        runId: string | undefined,
        opts: StatusOptions & ConnectionOptions,
      ) => run('status', opts, (ctx) => statusCommand(ctx, workflow, instance, runId, opts)),
    );

  client(program, 'logs', "print a step attempt's log")
    .argument('<workflow>', 'the workflow id')
    .argument('<instance>', 'the instance id')
    .argument('<step>', 'the step id')
    .option('--run <run>', 'the run id (default: the latest)')
    .option('--attempt <n>', 'the attempt (default: the latest)')
    .option('--stderr', "print the step's stderr instead of its stdout")
    .option('--tail <n>', 'only the last N lines')
    .option('-f, --follow', 'keep printing what the step writes until the attempt ends')
    .action((workflow: string, instance: string, step: string, opts: LogsOptions & ConnectionOptions) =>
      run('logs', opts, (ctx) => logsCommand(ctx, workflow, instance, step, opts)),
    );
}

/** stop, kill, skip, bypass, activate, deactivate. */
function registerActionCommands({ program, client, run }: Registrar): void {
  for (const action of ['stop', 'kill'] as const) {
    client(program, action, `${action} the latest run of an instance, or one of its steps`)
      .argument('<workflow>', 'the workflow id')
      .argument('<instance>', 'the instance id')
      .option('--step <step>', `${action} this step only`)
      .option('--run <run>', `${action} this run rather than the latest`)
      .action((workflow: string, instance: string, opts: ActionOptions & ConnectionOptions) =>
        run(action, opts, (ctx) => actionCommand(ctx, action, workflow, instance, opts)),
      );
  }

  client(program, 'skip', 'skip a step of the latest run of an instance')
    .argument('<workflow>', 'the workflow id')
    .argument('<instance>', 'the instance id')
    .requiredOption('--step <step>', 'the step to skip')
    .action((workflow: string, instance: string, opts: ActionOptions & ConnectionOptions) =>
      run('skip', opts, (ctx) => actionCommand(ctx, 'skip', workflow, instance, opts)),
    );

  client(program, 'bypass', 'release a step waiting for signals: its pending dependencies are SKIPPED')
    .argument('<workflow>', 'the workflow id')
    .argument('<instance>', 'the instance id')
    .requiredOption('--step <step>', 'the step waiting in WAITING_FOR_SIGNALS')
    .action((workflow: string, instance: string, opts: ActionOptions & ConnectionOptions) =>
      run('bypass', opts, (ctx) => actionCommand(ctx, 'bypass', workflow, instance, opts)),
    );

  client(program, 'activate', 'make a version the active one (what triggers and plain starts use)')
    .argument('<workflow>', 'the workflow id')
    .argument('<version>', 'a version number or latest')
    .action((workflow: string, version: string, opts: ConnectionOptions) =>
      run('activate', opts, (ctx) => activateCommand(ctx, workflow, version)),
    );

  client(program, 'deactivate', 'leave a workflow with no active version')
    .argument('<workflow>', 'the workflow id')
    .action((workflow: string, opts: ConnectionOptions) =>
      run('deactivate', opts, (ctx) => deactivateCommand(ctx, workflow)),
    );
}

/**
 * signal NAME k=v… (announce), signal get NAME [SEQ], signal ls NAME, signal triggers WORKFLOW, signal lineage NAME
 * SEQ.
 */
function registerSignalCommands({ program, client, run }: Registrar): void {
  const signal = program
    .command('signal')
    .description(
      'announce a signal (signal triggers and steps waiting on it match its params), or read them',
    );
  // The default subcommand: `baton signal NAME …` announces; `baton signal announce get` announces a signal named get.
  client(signal, 'announce', 'announce a signal: NAME then its params as key=value', { isDefault: true })
    .argument('<name>', 'the signal name')
    .argument('[params...]', 'its params, key=value: a whole number is a LONG, other text a STRING')
    .option(
      '--param <key=value>',
      'a signal param, the same as a key=value argument, repeatable',
      collect,
      [],
    )
    .option('--payload <json>', 'a JSON object carried with the signal (not matched on)')
    .option(
      '--id <id>',
      'the instance id: announcements with the same id count once (default: from name and params)',
    )
    .option('--request-id <id>', 'the same as --id')
    .action((name: string, pairs: string[], opts: SignalOptions & ConnectionOptions) =>
      run('signal', opts, (ctx) => signalCommand(ctx, name, pairs, opts)),
    );
  client(signal, 'get', 'show an instance of a signal (the latest by default)')
    .argument('<name>', 'the signal name')
    .argument('[seq]', 'the seq id, or latest')
    .action((name: string, seq: string | undefined, opts: ConnectionOptions) =>
      run('signal get', opts, (ctx) => signalGetCommand(ctx, name, seq)),
    );
  client(signal, 'ls', "list a signal's instances, newest first")
    .argument('<name>', 'the signal name')
    .option('--limit <n>', 'at most this many (default 20)')
    .action((name: string, opts: { limit?: string } & ConnectionOptions) =>
      run('signal ls', opts, (ctx) => signalListCommand(ctx, name, opts)),
    );
  client(signal, 'triggers', "show a workflow's signal triggers and how far each consumed its signals")
    .argument('<workflow>', 'the workflow id')
    .action((workflow: string, opts: ConnectionOptions) =>
      run('signal triggers', opts, (ctx) => signalTriggersCommand(ctx, workflow)),
    );
  client(
    signal,
    'lineage',
    'what produced a signal instance, which runs it started and which steps it released',
  )
    .argument('<name>', 'the signal name')
    .argument('<seq>', 'the instance: its seq id or latest')
    .action((name: string, seq: string, opts: ConnectionOptions) =>
      run('signal lineage', opts, (ctx) => signalLineageCommand(ctx, name, seq)),
    );
}

/** token create, ls, revoke: on the server; with `--db`, on that database itself (how the first admin token is made). */
function registerTokenCommands({ program, io, report, client, run }: Registrar): void {
  const token = program.command('token').description('API tokens: create, list, revoke');
  const onDb = (c: Command): Command =>
    c.option('--db <path|url>', 'on this SQLite file or postgres:// database itself, not through a server');
  onDb(client(token, 'create', 'create a token and print its secret (shown only this once)'))
    .argument('<name>', 'who calls with it: the caller name runs and versions show')
    .requiredOption('--role <role>', 'what it may do: viewer, operator or admin')
    .action(async (name: string, opts: { role: string; db?: string } & ConnectionOptions) => {
      if (opts.db === undefined)
        return run('token create', opts, (ctx) => tokenCreateCommand(ctx, name, opts.role));
      report(
        await localTokenCreate(io, opts.db, { name, role: opts.role, ...(opts.json ? { json: true } : {}) }),
      );
    });
  onDb(client(token, 'ls', 'list the tokens (never their secrets)')).action(
    async (opts: { db?: string } & ConnectionOptions) => {
      if (opts.db === undefined) return run('token ls', opts, (ctx) => tokenListCommand(ctx));
      report(await localTokenList(io, opts.db, opts.json));
    },
  );
  onDb(client(token, 'revoke', 'revoke a token: requests with it are refused from now on'))
    .argument('<id>', 'the token id')
    .action(async (id: string, opts: { db?: string } & ConnectionOptions) => {
      if (opts.db === undefined) return run('token revoke', opts, (ctx) => tokenRevokeCommand(ctx, id));
      report(await localTokenRevoke(io, opts.db, id, opts.json));
    });
}

/**
 * `restart` on the server; with `--db`, as before: in this process, on that database (for instances `baton run`
 * left there), waiting for the new run.
 */
function registerRestart({ program, io, report, client, run }: Registrar): void {
  type Options = RestartOptions &
    ConnectionOptions & { db?: string; fromStep?: string; timeScale?: string; param: string[] };
  client(program, 'restart', 'restart an ended instance: a new run, from its incomplete steps by default')
    .argument('<workflow>', 'the workflow id')
    .argument('<instance>', 'the instance id')
    .option('--from-beginning', 'run every step again')
    .option('--step <step>', 'run this step and everything downstream of it again')
    .option('--from-step <step>', 'the same as --step')
    .option('--param <name=value>', 'a run param for the new run, repeatable', collect, [])
    .option('--request-id <id>', 'restarts with the same request id make one run only')
    .option(
      '--db <path|url>',
      'restart it here, in this process, on this SQLite file or postgres:// database',
    )
    .option('--time-scale <factor>', 'with --db: multiply sleeps, backoffs and timeouts by this factor')
    .action(async (workflow: string, instance: string, opts: Options) => {
      const step = opts.step ?? opts.fromStep;
      if (opts.db === undefined)
        return run('restart', opts, (ctx) =>
          restartCommand(ctx, workflow, instance, { ...opts, ...(step === undefined ? {} : { step }) }),
        );
      const embedded: RestartCommandOptions = {
        db: opts.db,
        param: opts.param,
        ...(opts.fromBeginning ? { fromBeginning: true } : {}),
        ...(step === undefined ? {} : { fromStep: step }),
        ...(opts.json ? { json: true } : {}),
        ...(opts.timeScale === undefined ? {} : { timeScale: opts.timeScale }),
      };
      report(await embeddedRestart(io, workflow, instance, embedded));
    });
}
