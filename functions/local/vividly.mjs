#!/usr/bin/env node
// The `vividly` command: TypeScript sources run through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
await main();
