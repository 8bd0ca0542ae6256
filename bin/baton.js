#!/usr/bin/env node
// The `baton` executable: runs the compiled CLI (npm ci builds it through the `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  // Commands that run workflows stop cleanly on the first SIGINT/SIGTERM (and say what they leave); a second one
  // ends the process at once. Other commands keep Ctrl-C's default.
  stopSignal: ['server', 'run', 'restart', 'start', 'status', 'logs'].includes(process.argv[2] ?? '')
    ? new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      })
    : undefined,
});
