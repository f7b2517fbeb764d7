import { describe, expect, it } from 'vitest';
import { runsOwnCommand } from '../../src/cli/main.js';

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
