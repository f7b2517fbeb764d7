import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  type ConfigFile,
  configPath,
  defaultDataDir,
  parseApi,
  readConfig,
  removeProfile,
  resolveProfile,
  upsertProfile,
  useProfile,
  writeConfig,
} from '../../src/cli/config.js';
import { CliError, EXIT } from '../../src/cli/errors.js';

function caught(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

const saved: ConfigFile = {
  current: 'prod',
  profiles: {
    prod: { api: 'https://api.example.net', token: 'tok_prod' },
    dev: { api: 'local', db: '/tmp/dev.sqlite', dataDir: '/tmp/dev', readOnly: true },
  },
};

describe('paths', () => {
  it('follows XDG variables and falls back to HOME', () => {
    expect(configPath({ HOME: '/home/ana' })).toBe('/home/ana/.config/dotmac/config.json');
    expect(configPath({ HOME: '/home/ana', XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/dotmac/config.json');
    expect(configPath({ HOME: '/home/ana', XDG_CONFIG_HOME: 'relative' })).toBe('/home/ana/.config/dotmac/config.json');
    expect(defaultDataDir({ HOME: '/home/ana' })).toBe('/home/ana/.local/share/dotmac');
    expect(defaultDataDir({ HOME: '/home/ana', XDG_DATA_HOME: '/data' })).toBe('/data/dotmac');
  });
});

describe('config file', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dotmac-config-'));
    path = configPath({ XDG_CONFIG_HOME: dir });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a missing file as no profiles', async () => {
    expect(await readConfig(path)).toEqual({ profiles: {} });
  });

  it('writes with mode 0600 in a 0700 directory and reads it back', async () => {
    await writeConfig(path, saved);
    expect(await readConfig(path)).toEqual(saved);
    if (process.platform !== 'win32') {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'dotmac'))).mode & 0o777).toBe(0o700);
    }
  });

  it('replaces an existing file and leaves no temp files behind', async () => {
    await writeConfig(path, saved);
    await writeConfig(path, { profiles: {} });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ profiles: {} });
    expect(await readdir(join(dir, 'dotmac'))).toEqual(['config.json']);
  });

  it.each([
    ['{ not json', 'it is not JSON'],
    ['[]', 'it is not a JSON object'],
    ['{}', '"profiles" is missing or not an object'],
    ['{"profiles":{"a":{"api":1}}}', 'profile "a" has no api'],
    ['{"profiles":{"a":{"api":"ftp://x"}}}', 'profile "a" api is not "local" or an http(s) URL'],
    ['{"profiles":{"a":{"api":"local","readOnly":"yes"}}}', 'profile "a" readOnly is not true or false'],
    ['{"current":3,"profiles":{}}', '"current" is not a string'],
  ])('rejects %s with a one-line reason', async (text, reason) => {
    await mkdir(join(dir, 'dotmac'), { recursive: true });
    await writeFile(path, text);
    const err = await readConfig(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({
      message: `config file ${path} is not valid: ${reason}`,
      hint: 'fix or remove it, then run `dotmac init` or `dotmac login` again',
      exitCode: EXIT.error,
      code: 'config',
    });
  });

  it('keeps a profile named __proto__ as data', async () => {
    await mkdir(join(dir, 'dotmac'), { recursive: true });
    await writeFile(path, '{"profiles":{"__proto__":{"api":"local"}}}');
    const cfg = await readConfig(path);
    expect(Object.keys(cfg.profiles)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(cfg.profiles)).toBe(Object.prototype);
  });
});

describe('resolveProfile', () => {
  it('uses the current profile', () => {
    expect(resolveProfile(saved, { env: {} })).toEqual({
      name: 'prod',
      api: 'https://api.example.net',
      token: 'tok_prod',
      readOnly: false,
    });
  });

  it('prefers the flag over DOTMAC_PROFILE over current', () => {
    expect(resolveProfile(saved, { env: { DOTMAC_PROFILE: 'dev' } }).name).toBe('dev');
    expect(resolveProfile(saved, { profile: 'prod', env: { DOTMAC_PROFILE: 'dev' } }).name).toBe('prod');
    expect(resolveProfile(saved, { profile: 'dev', env: {} })).toMatchObject({ readOnly: true, dataDir: '/tmp/dev' });
  });

  it('applies env overrides on top and keeps the profile name', () => {
    const env = { DOTMAC_API_URL: 'https://staging.example.net/', DOTMAC_TOKEN: 'tok_env' };
    expect(resolveProfile(saved, { env })).toEqual({
      name: 'prod',
      api: 'https://staging.example.net',
      token: 'tok_env',
      readOnly: false,
    });
  });

  it('treats DOTMAC_DB as a local workspace unless DOTMAC_API_URL is also set', () => {
    expect(resolveProfile(saved, { env: { DOTMAC_DB: '/x.sqlite' } })).toMatchObject({ name: 'prod', api: 'local', db: '/x.sqlite' });
    const both = { DOTMAC_DB: '/x.sqlite', DOTMAC_API_URL: 'http://localhost:8080' };
    expect(resolveProfile(saved, { env: both })).toMatchObject({ api: 'http://localhost:8080', db: '/x.sqlite' });
  });

  it('builds an "env" profile from environment variables alone', () => {
    expect(resolveProfile({ profiles: {} }, { env: { DOTMAC_API_URL: 'https://a.example', DOTMAC_TOKEN: 't' } })).toEqual({
      name: 'env',
      api: 'https://a.example',
      token: 't',
      readOnly: false,
    });
    expect(resolveProfile({ profiles: {} }, { env: { DOTMAC_DB: '/w.sqlite' } })).toEqual({
      name: 'env',
      api: 'local',
      db: '/w.sqlite',
      readOnly: false,
    });
  });

  it('rejects an unknown profile asked for by flag or env', () => {
    for (const opts of [{ profile: 'nope', env: {} }, { env: { DOTMAC_PROFILE: 'nope' } }]) {
      const err = caught(() => resolveProfile(saved, opts));
      expect(err.message).toBe('profile "nope" does not exist');
      expect(err.hint).toBe('run `dotmac profiles list` to see the saved profiles');
      expect(err.exitCode).toBe(EXIT.usage);
    }
    expect(caught(() => resolveProfile(saved, { profile: 'toString', env: {} })).exitCode).toBe(EXIT.usage);
  });

  it('reports that no profile is configured', () => {
    const err = caught(() => resolveProfile({ profiles: {} }, { env: {} }));
    expect(err).toMatchObject({ message: 'no profile is configured', exitCode: EXIT.unauthenticated, code: 'unauthenticated' });
    expect(err.hint).toContain('dotmac init');
    expect(caught(() => resolveProfile({ current: 'gone', profiles: {} }, { env: {} })).exitCode).toBe(EXIT.unauthenticated);
  });

  it('rejects a DOTMAC_API_URL that is not a URL, naming the variable', () => {
    expect(caught(() => resolveProfile(saved, { env: { DOTMAC_API_URL: 'nope' } })).message).toBe(
      'DOTMAC_API_URL must be "local" or an http(s) URL',
    );
  });
});

describe('profile edits', () => {
  it('upserts, makes the first profile current, and switches on request', () => {
    const one = upsertProfile({ profiles: {} }, 'a', { api: 'local' });
    expect(one).toEqual({ current: 'a', profiles: { a: { api: 'local' } } });
    const two = upsertProfile(one, 'b', { api: 'https://b.example' });
    expect(two.current).toBe('a');
    expect(upsertProfile(two, 'b', { api: 'local' }, { makeCurrent: true })).toMatchObject({ current: 'b', profiles: { b: { api: 'local' } } });
    expect(one.profiles).toEqual({ a: { api: 'local' } });
    expect(caught(() => upsertProfile(one, 'bad name', { api: 'local' })).exitCode).toBe(EXIT.usage);
  });

  it('removes and uses profiles, rejecting unknown names', () => {
    expect(removeProfile(saved, 'prod')).toEqual({ profiles: { dev: saved.profiles.dev } });
    expect(removeProfile(saved, 'dev').current).toBe('prod');
    expect(useProfile(saved, 'dev').current).toBe('dev');
    expect(saved.current).toBe('prod');
    expect(caught(() => removeProfile(saved, 'x')).message).toBe('profile "x" does not exist');
    expect(caught(() => useProfile(saved, 'x')).exitCode).toBe(EXIT.usage);
  });
});

describe('parseApi', () => {
  it('accepts local and http(s) URLs, stripping a trailing slash', () => {
    expect(parseApi('local')).toBe('local');
    expect(parseApi('https://api.example.net/')).toBe('https://api.example.net');
    expect(parseApi('http://localhost:3000/v1')).toBe('http://localhost:3000/v1');
  });

  it.each(['ftp://x.example', 'api.example.net', '', 'LOCAL'])('rejects %j', (value) => {
    const err = caught(() => parseApi(value));
    expect(err.message).toBe('--api must be "local" or an http(s) URL');
    expect(err.exitCode).toBe(EXIT.usage);
  });
});
