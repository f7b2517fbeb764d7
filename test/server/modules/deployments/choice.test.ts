import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAG_NAMES, localProvisioning, provisioningProblem, provisionTimeoutSeconds } from '../../../../src/server/modules/deployments/drivers/choice.js';

const dir = mkdtempSync(join(tmpdir(), 'dotmac-choice-'));
const program = join(dir, 'provision');
writeFileSync(program, '#!/bin/sh\nexit 0\n');
chmodSync(program, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the provisioning timeout', () => {
  it('is whole seconds from 1 to 24 h: Node would clamp a longer timer to 1 ms', () => {
    expect(provisionTimeoutSeconds('1')).toBe(1);
    expect(provisionTimeoutSeconds('86400')).toBe(86_400);
    for (const bad of ['0', '86401', '99999999999', 'abc', '1.5', '-5', ''])
      expect(() => provisionTimeoutSeconds(bad), bad).toThrow(`must be a whole number of seconds from 1 to 86400 (24 h), not ${JSON.stringify(bad)}`);
  });
});

describe('the driver and its program', () => {
  it('exec needs a program this user may run, which a directory is not; a program needs exec', () => {
    expect(provisioningProblem({ driver: 'exec', command: program }, FLAG_NAMES)).toBeUndefined();
    expect(provisioningProblem({ driver: 'simulated' }, FLAG_NAMES)).toBeUndefined();
    expect(provisioningProblem({ driver: 'exec' }, FLAG_NAMES)?.message).toBe('--driver exec needs --provision-command');
    expect(provisioningProblem({ driver: 'exec', command: dir }, FLAG_NAMES)?.message).toBe(`--provision-command ${dir} is not an executable file`);
    expect(provisioningProblem({ driver: 'simulated', command: program }, FLAG_NAMES)?.message).toBe('--provision-command needs --driver exec');
  });

  it('local mode reads the same settings from the environment and refuses them with the same words, naming the variable', () => {
    expect(localProvisioning({})).toEqual({ driver: 'simulated', provisionCommand: undefined, provisionTimeoutSeconds: undefined });
    expect(localProvisioning({ DOTMAC_DRIVER: 'exec', DOTMAC_PROVISION_COMMAND: program, DOTMAC_PROVISION_TIMEOUT: '30' })).toEqual({ driver: 'exec', provisionCommand: program, provisionTimeoutSeconds: 30 });
    const refused: [NodeJS.ProcessEnv, string][] = [
      [{ DOTMAC_DRIVER: 'bogus' }, 'Expected DOTMAC_DRIVER=bogus to be one of: simulated, exec'],
      [{ DOTMAC_PROVISION_TIMEOUT: '0' }, 'DOTMAC_PROVISION_TIMEOUT: must be a whole number of seconds from 1 to 86400 (24 h), not "0"'],
      [{ DOTMAC_PROVISION_TIMEOUT: 'abc' }, 'DOTMAC_PROVISION_TIMEOUT: must be a whole number of seconds from 1 to 86400 (24 h), not "abc"'],
      [{ DOTMAC_DRIVER: 'exec' }, 'DOTMAC_DRIVER=exec needs DOTMAC_PROVISION_COMMAND'],
      [{ DOTMAC_DRIVER: 'exec', DOTMAC_PROVISION_COMMAND: dir }, `DOTMAC_PROVISION_COMMAND ${dir} is not an executable file`],
      [{ DOTMAC_PROVISION_COMMAND: program }, 'DOTMAC_PROVISION_COMMAND needs DOTMAC_DRIVER=exec'],
    ];
    for (const [env, message] of refused) expect(localProvisioning(env), JSON.stringify(env)).toMatchObject({ message });
  });
});
