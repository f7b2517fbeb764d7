import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandIndexFits, runsOwnCommand } from '../../src/cli/main.js';
import { cleanup, ROOT, runCli, tempDir } from '../e2e/cli.js';

afterAll(cleanup);

/** Which invocations start oclif without its plugins (help, autocomplete): this CLI's own commands not asking for help, and --version. */
describe('runsOwnCommand', () => {
  const ids = ['tenants:list', 'tenants:get', 'whoami', 'server:start', 'db:migrate'];

  it('is true for a command of this CLI with its arguments and flags', () => {
    expect(runsOwnCommand(['tenants', 'list', '--json'], ids)).toBe(true);
    expect(runsOwnCommand(['tenants', 'get', 'acme', '--profile', 'x'], ids)).toBe(true);
    expect(runsOwnCommand(['whoami'], ids)).toBe(true);
    expect(runsOwnCommand(['tenants', 'list', '--', '--help'], ids)).toBe(true);
    expect(runsOwnCommand(['--version'], ids)).toBe(true);
  });

  it('is false for help in any form, the plugins\' commands, no command and unknown ones', () => {
    for (const args of [['tenants', 'list', '--help'], ['tenants', 'list', '-h'], ['help', 'tenants'], ['autocomplete'], [], ['--version', '--help'], ['tenant', 'list'], ['tenants']]) {
      expect(runsOwnCommand(args, ids), args.join(' ')).toBe(false);
    }
  });
});

/**
 * A run of one of this CLI's commands has oclif read dist/commands.json (the build's index of
 * command ids) instead of the manifest, whose help text it does not need; help still reads the manifest.
 */
describe('the command index', () => {
  const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { version: string; commands: Record<string, Record<string, unknown>> };

  it('names every command of the manifest, with what oclif needs to find it and none of the help', () => {
    const manifest = read('oclif.manifest.json');
    const index = read('dist/commands.json');
    expect(index.version).toBe(manifest.version);
    expect(Object.keys(index.commands)).toEqual(Object.keys(manifest.commands));
    for (const [id, command] of Object.entries(index.commands)) {
      expect(command.id).toBe(id);
      // where a spaced id ends in argv depends on these: `configs rollback v3` is configs:rollback with v3
      for (const field of ['aliases', 'strict', 'args']) expect(command[field], `${id} ${field}`).toEqual(manifest.commands[id]![field]);
      for (const help of ['flags', 'description', 'summary', 'examples']) expect(command, `${id} ${help}`).not.toHaveProperty(help);
    }
  });

  it('is what oclif reads to run a command, and the manifest what it reads for help', { timeout: 30_000 }, async () => {
    const env = { DEBUG: 'oclif:config:dotmac' };
    const run = await runCli(['--version'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(join(ROOT, 'dist', 'commands.json'));
    const help = await runCli(['tenants', 'list', '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stderr).toContain(join(ROOT, 'oclif.manifest.json'));
    expect(help.stdout).toContain('--limit');
    // a command's positional argument is not read as part of its id
    const get = await runCli(['tenants', 'get', 'no-such-tenant'], { env });
    expect(get.stderr).toContain(join(ROOT, 'dist', 'commands.json'));
    expect(get.stderr).not.toContain('is not a dotmac command');
  });
});

describe('commandIndexFits', () => {
  const ids = ['tenants:list', 'health', 'health:probe'];
  const withIndex = (text: string | undefined) => {
    const root = tempDir();
    mkdirSync(join(root, 'dist'));
    if (text !== undefined) writeFileSync(join(root, 'dist', 'commands.json'), text);
    return root;
  };
  const index = (version: string, listed: string[]) => JSON.stringify({ version, commands: Object.fromEntries(listed.map((id) => [id, { id }])) });

  it('takes an index of exactly the bundled commands, for this version', () => {
    expect(commandIndexFits(withIndex(index('1.0.0', ['health', 'health:probe', 'tenants:list'])), '1.0.0', ids)).toBe(true);
  });

  it('passes over one that is missing, damaged, of another version, or names other commands', () => {
    for (const text of [undefined, '', '{"version":"1.0.0"', 'null', '{}', index('0.9.0', ids), index('1.0.0', ['tenants:list', 'health:probe']), index('1.0.0', [...ids, 'extra']), '{"version":"1.0.0","commands":{"health":null,"health:probe":{"id":"health:probe"},"tenants:list":{"id":"tenants:list"}}}']) {
      expect(commandIndexFits(withIndex(text), '1.0.0', ids), String(text)).toBe(false);
    }
  });
});
