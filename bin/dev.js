#!/usr/bin/env node
// Development: rebuild from the TypeScript sources (a few seconds), then run the CLI as bin/run.js does.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.js', import.meta.url))], { stdio: ['ignore', 'ignore', 'inherit'] });
await import('./run.js');
