#!/usr/bin/env node
// The `vividly` command: TypeScript sources run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
// Output piped into a reader that stops early (`vividly resolve ... | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
const { main } = await import('./cli.ts');
await main();
