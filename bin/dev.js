#!/usr/bin/env node
// Development: rebuild from the TypeScript sources (a few seconds), then run the CLI as bin/run.js does.
'use strict';
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.js')], { stdio: ['ignore', 'ignore', 'inherit'] });
require('./run.js');
