#!/usr/bin/env node
import { createRequire } from 'node:module';

// The bundles run through vm.Script, which cannot import(); oclif's ESM plugins load through this.
globalThis.__dotmacImport = (specifier) => import(specifier);

const require = createRequire(import.meta.url);
const { loadBundle } = require('../dist/load.cjs');
const { main } = loadBundle(require.resolve('../dist/cli.cjs'));

await main(import.meta.url);
