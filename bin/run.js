#!/usr/bin/env node
// The entry is CommonJS: an ES module entry starts Node's ESM loader first, about a fifth of what
// `node -e 0` costs, for nothing the CLI needs (bin/package.json makes this directory CommonJS).
'use strict';

// The bundles run through vm.Script, which cannot import(); oclif's ESM plugins load through this.
globalThis.__dotmacImport = (specifier) => import(specifier);

const { loadBundle } = require('../dist/load.cjs');
const { main } = loadBundle(require.resolve('../dist/cli.cjs'));

main(require('node:path').join(__dirname, '..'));
