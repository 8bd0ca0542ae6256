#!/usr/bin/env node
// The `baton` executable: runs the compiled CLI (npm ci builds it through the `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
  // Only the long-running server waits for a signal to shut down cleanly; other commands keep Ctrl-C's default.
  stopSignal:
    process.argv[2] === 'server'
      ? new Promise((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        })
      : undefined,
});
