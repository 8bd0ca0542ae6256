import { MAX_ITERATIONS_HELP } from './max-iterations.js';
import { Command, CommanderError, Option } from 'commander';
import { workflowJsonSchema } from '../dsl/json-schema.js';
import { GRAPH_FORMATS, graphCommand, type GraphFormat } from './graph-command.js';
import { EVAL_LIMITS_HELP, evalCommand, protectExpression, type EvalOptions } from './eval-command.js';
import { BatonError, ValidationError } from '../model/errors.js';
import { isConnectionError as isStoreUnreachable } from '../store/postgres/errors.js';
import { ExitCode, type Io } from './io.js';
import { registerClientCommands } from './client/register.js';
import { runCommand, type RunCommandOptions } from './run-command.js';
import { serverCommand, type ServerCommandOptions } from './server-command.js';
import { validateCommand } from './validate-command.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The `baton` command. Returns the exit code instead of exiting, so tests run it in-process with their own Io.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code: number = ExitCode.OK;
  const program = new Command('baton')
    .description('Baton: a workflow orchestrator that speaks Netflix Maestro')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError();

  program
    .command('validate')
    .description(
      'check workflow definitions (JSON, YAML, Maestro YAML DSL) and job templates; exit 2 on any issue',
    )
    .argument('<file...>', 'definition files or folders of them')
    .option('--json', 'print the issues as JSON')
    .option('--limits <json>', 'override limits, e.g. \'{"stepsPerList": 50, "nestingDepth": 4}\'')
    .action((files: string[], opts: { json?: boolean; limits?: string }) => {
      code = validateCommand(io, files, opts);
    });

  program
    .command('graph')
    .description("draw a workflow's DAG")
    .argument('<file>', 'a definition file')
    .addOption(new Option('--format <format>', 'output format').choices(GRAPH_FORMATS).default('mermaid'))
    .action((file: string, opts: { format: GraphFormat }) => {
      code = graphCommand(io, file, opts.format);
    });

  program
    .command('schema')
    .description('print the JSON Schema (draft 2020-12) of the definition format')
    .action(() => {
      io.stdout(`${JSON.stringify(workflowJsonSchema(), null, 2)}\n`);
    });

  program
    .command('run')
    .description(
      'run a workflow once on the embedded store and wait for it; exit 0 if it SUCCEEDED, 1 if not, 2 on bad input',
    )
    .argument('<file>', 'the workflow definition')
    .option('--with <file>', 'another definition to store first (a subworkflow), repeatable', collect, [])
    .option(
      '--param <name=value>',
      'a run param, repeatable; the value is read as JSON when it parses',
      collect,
      [],
    )
    .option(
      '--db <path|url>',
      'keep the run in this SQLite file or postgres:// database (default: $BATON_DB, else a temporary file)',
      process.env['BATON_DB'],
    )
    .option('--json', 'print the final view of the run as JSON on stdout')
    .option(
      '--time-scale <factor>',
      'multiply sleeps, backoffs and timeouts by this factor (0.01 = 100x faster), for tests and demos',
    )
    .option('--lease-ms <ms>', 'how long claimed work stays leased without a heartbeat (default 30000)')
    .option('--max-iterations <n>', MAX_ITERATIONS_HELP)
    .action(async (file: string, opts: RunCommandOptions) => {
      code = await runCommand(io, file, opts);
    });

  program
    .command('server')
    .description("run Baton's roles on a store (the engine, workers and the HTTP API) until SIGINT/SIGTERM")
    .option(
      '--db <path|url>',
      'a SQLite file or a postgres:// database (default: $BATON_DB, else .baton/baton.db)',
      process.env['BATON_DB'] ?? '.baton/baton.db',
    )
    .option(
      '--host <host>',
      'the address the API listens on (default: $BATON_HOST, else 127.0.0.1)',
      process.env['BATON_HOST'] ?? '127.0.0.1',
    )
    .option(
      '--port <port>',
      'the API port; 0 picks a free one (default: $BATON_PORT, else 8080)',
      process.env['BATON_PORT'] ?? '8080',
    )
    .option('--roles <list>', 'the roles to run: engine,worker,scheduler,relay,api (default: all)')
    .option(
      '--examples <folder>',
      'push every workflow in this folder and start each once (what `npm start` does)',
    )
    .option(
      '--time-scale <factor>',
      'multiply sleeps, backoffs and timeouts by this factor (tests and demos)',
    )
    .option('--lease-ms <ms>', 'how long claimed work stays leased without a heartbeat (default 30000)')
    .option('--workers <n>', 'step attempts run at once (default 64)')
    .option('--max-iterations <n>', MAX_ITERATIONS_HELP)
    .option(
      '--events <file>',
      'the events file: sinks the relay role publishes to, signal sources the scheduler and api roles take signals from (default: $BATON_EVENTS)',
    )
    .option(
      '--log-level <level>',
      "the API's JSON log on stderr: fatal, error, warn, info, debug, trace or silent (default: $BATON_LOG_LEVEL, else info)",
    )
    .option(
      '--trigger-catch-up <policy>',
      'the scheduler role, for fire times missed while no scheduler ran: latest, all or none (default: $BATON_TRIGGER_CATCH_UP, else latest)',
    )
    .action(async (opts: ServerCommandOptions) => {
      code = await serverCommand(io, opts, io.stopSignal ?? new Promise(() => {}));
    });

  registerClientCommands(program, io, (c) => (code = c));

  const evalProgram = program
    .command('eval')
    .description('evaluate a SEL expression and print its type and value as JSON; exit 2 on an error')
    .argument('<expression>', 'SEL source (the final ; is optional; it may begin with -, as in "-7 / 2")')
    .option('--params <json>', 'variables: {"name": value} or param definitions {"name": {"type", "value"}}')
    .option('--limits <json>', EVAL_LIMITS_HELP)
    .option('--now <millis>', 'fix the clock (epoch milliseconds)')
    .action((expression: string, opts: EvalOptions) => {
      code = evalCommand(io, expression, opts);
    });
  const parseEvalOptions = Command.prototype.parseOptions;
  evalProgram.parseOptions = function (this: Command, args: string[]) {
    return parseEvalOptions.call(this, protectExpression(args));
  };

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.INVALID;
    // Bad input Baton found (a malformed --db URL) or a store it could not reach: one line, not a stack trace.
    if (error instanceof ValidationError) {
      io.stderr(`baton: ${error.message}\n`);
      return ExitCode.INVALID;
    }
    if (isStoreUnreachable(error)) {
      io.stderr(`baton: cannot reach the database: ${(error as Error).message}\n`);
      return ExitCode.FAILED;
    }
    // A store that cannot be opened as given (a folder, a file that is not SQLite, a database that does not exist).
    if (error instanceof BatonError) {
      io.stderr(`baton: ${error.message}\n`);
      return ExitCode.INVALID;
    }
    throw error;
  }
  return code;
}
