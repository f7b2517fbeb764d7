import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type ConfigFile, configPath, defaultDataDir, normalizeApi, parseApi, readConfig, writeConfig } from '../../src/cli/config.js';
import { freeProfileName, removeProfile, resolveProfile, saveProfile, upsertProfile, useProfile } from '../../src/cli/profiles.js';
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

  it('refuses a config file other users can change, and warns about one they can read', async () => {
    await writeConfig(path, saved);
    await chmod(path, 0o666);
    const refused = await readConfig(path).catch((e: unknown) => e);
    expect(refused).toMatchObject({ message: `config file ${path} can be changed by other users (mode 0666); refusing to use it`, exitCode: EXIT.error });
    await chmod(path, 0o644);
    const warnings: string[] = [];
    expect(await readConfig(path, (w) => warnings.push(w))).toEqual(saved);
    expect(warnings).toEqual([`Warning: config file ${path} is readable by other users (mode 0644) and holds tokens; run \`chmod 600 ${path}\``]);
    await chmod(path, 0o600);
    warnings.length = 0;
    await readConfig(path, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
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
  it('uses the current profile, saying where the API and token came from', () => {
    expect(resolveProfile(saved, { env: {} })).toEqual({
      name: 'prod',
      api: 'https://api.example.net',
      token: 'tok_prod',
      readOnly: false,
      selectedBy: 'current',
      apiSource: 'profile "prod"',
      tokenSource: 'profile "prod"',
      notices: [],
    });
  });

  it('prefers the flag over DOTMAC_PROFILE over current, and says when DOTMAC_PROFILE overrides current', () => {
    const byEnv = resolveProfile(saved, { env: { DOTMAC_PROFILE: 'dev' } });
    expect(byEnv).toMatchObject({ name: 'dev', selectedBy: 'DOTMAC_PROFILE' });
    expect(byEnv.notices).toEqual(['Note: DOTMAC_PROFILE selects profile "dev", not the current profile "prod"']);
    expect(resolveProfile(saved, { profile: 'prod', env: { DOTMAC_PROFILE: 'dev' } })).toMatchObject({ name: 'prod', selectedBy: 'flag', notices: [] });
    expect(resolveProfile(saved, { profile: 'dev', env: {} })).toMatchObject({ readOnly: true, dataDir: '/tmp/dev' });
  });

  it('uses a --profile exactly as saved: the environment is ignored, and that is said', () => {
    const env = { DOTMAC_TOKEN: 'tok_env', DOTMAC_API_URL: 'https://other.example', DOTMAC_DB: '/x.sqlite' };
    const resolved = resolveProfile(saved, { profile: 'prod', env });
    expect(resolved).toMatchObject({ name: 'prod', api: 'https://api.example.net', token: 'tok_prod', tokenSource: 'profile "prod"' });
    expect(resolved.notices).toEqual(['Note: --profile prod given; ignoring DOTMAC_API_URL, DOTMAC_TOKEN, DOTMAC_DB from the environment']);
  });

  it('applies env overrides on top of a saved profile and announces each', () => {
    const env = { DOTMAC_API_URL: 'https://staging.example.net/', DOTMAC_TOKEN: 'tok_env' };
    expect(resolveProfile(saved, { env })).toEqual({
      name: 'prod',
      api: 'https://staging.example.net',
      token: 'tok_env',
      readOnly: false,
      selectedBy: 'current',
      apiSource: 'DOTMAC_API_URL',
      tokenSource: 'DOTMAC_TOKEN',
      notices: [
        'Note: DOTMAC_API_URL overrides the API of profile "prod" (https://api.example.net)',
        'Note: DOTMAC_TOKEN overrides the token of profile "prod"',
      ],
    });
  });

  it('strips a trailing /v1 from DOTMAC_API_URL and says so', () => {
    const resolved = resolveProfile({ profiles: {} }, { env: { DOTMAC_API_URL: 'https://a.example/v1/', DOTMAC_TOKEN: 't' } });
    expect(resolved.api).toBe('https://a.example');
    expect(resolved.notices).toEqual(['Note: DOTMAC_API_URL ends in /v1; using https://a.example, the API\'s base URL']);
  });

  it('treats DOTMAC_DB as a local workspace unless DOTMAC_API_URL is also set', () => {
    expect(resolveProfile(saved, { env: { DOTMAC_DB: '/x.sqlite' } })).toMatchObject({ name: 'prod', api: 'local', db: '/x.sqlite', apiSource: 'DOTMAC_DB' });
    const both = { DOTMAC_DB: '/x.sqlite', DOTMAC_API_URL: 'http://localhost:8080' };
    expect(resolveProfile(saved, { env: both })).toMatchObject({ api: 'http://localhost:8080', db: '/x.sqlite' });
  });

  it('builds an "env" profile from environment variables alone, with no notices', () => {
    expect(resolveProfile({ profiles: {} }, { env: { DOTMAC_API_URL: 'https://a.example', DOTMAC_TOKEN: 't' } })).toEqual({
      name: 'env',
      api: 'https://a.example',
      token: 't',
      readOnly: false,
      selectedBy: 'environment only',
      apiSource: 'DOTMAC_API_URL',
      tokenSource: 'DOTMAC_TOKEN',
      notices: [],
    });
    expect(resolveProfile({ profiles: {} }, { env: { DOTMAC_DB: '/w.sqlite' } })).toMatchObject({ name: 'env', api: 'local', db: '/w.sqlite', tokenSource: null });
  });

  it('rejects an unknown profile asked for by flag or env', () => {
    const byFlag = caught(() => resolveProfile(saved, { profile: 'nope', env: {} }));
    expect(byFlag.message).toBe('profile "nope" does not exist');
    expect(byFlag.hint).toBe('run `dotmac profiles list` to see the saved profiles');
    expect(byFlag.exitCode).toBe(EXIT.usage);
    expect(caught(() => resolveProfile(saved, { env: { DOTMAC_PROFILE: 'nope' } })).message).toBe('profile "nope" does not exist (named by DOTMAC_PROFILE)');
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

  it('saves a new token for the same place, and says what it did', () => {
    const next = saveProfile(saved, 'prod', { api: 'https://api.example.net', token: 'tok_new' });
    expect(next.cfg.profiles.prod).toEqual({ api: 'https://api.example.net', token: 'tok_new' });
    expect(next.message).toBe('Updated profile "prod" (https://api.example.net).');
    expect(saveProfile(saved, 'fresh', { api: 'local', db: '/w.db' }).message).toBe('Saved profile "fresh" (local workspace /w.db).');
  });

  it('never replaces a profile naming another API or database, or a read-only one, without force', () => {
    const elsewhere = caught(() => saveProfile(saved, 'prod', { api: 'https://evil.example', token: 't' }));
    expect(elsewhere).toMatchObject({ message: 'profile "prod" already exists and names https://api.example.net; nothing was changed', exitCode: EXIT.conflict });
    expect(elsewhere.hint).toContain('--force');
    const otherDb = caught(() => saveProfile(saved, 'dev', { api: 'local', db: '/other.sqlite', readOnly: true }));
    expect(otherDb.message).toBe('profile "dev" already exists and names local workspace /tmp/dev.sqlite; nothing was changed');
    const dropsReadOnly = caught(() => saveProfile(saved, 'dev', { api: 'local', db: '/tmp/dev.sqlite', token: 't' }));
    expect(dropsReadOnly.message).toBe('profile "dev" already exists and is read-only; nothing was changed');
    const forced = saveProfile(saved, 'prod', { api: 'https://evil.example', token: 't' }, { force: true });
    expect(forced.message).toBe('Replaced profile "prod" (was https://api.example.net; now https://evil.example).');
  });

  it('names a new local profile after its directory when "local" names another workspace', () => {
    const cfg: ConfigFile = { current: 'local', profiles: { local: { api: 'local', db: '/a/dotmac.db' }, ws: { api: 'https://x.example' } } };
    expect(freeProfileName(cfg, 'local', '/a/dotmac.db', 'a')).toBe('local');
    expect(freeProfileName(cfg, 'local', '/b/dotmac.db', 'b')).toBe('b');
    expect(freeProfileName(cfg, 'local', '/ws/dotmac.db', 'ws')).toBe('ws-2');
    expect(freeProfileName(cfg, 'local', '/c d/dotmac.db', '.c d')).toBe('c-d');
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
    expect(parseApi('http://localhost:3000/v1')).toBe('http://localhost:3000');
    expect(normalizeApi('http://localhost:3000/v1/', 'DOTMAC_API_URL')).toEqual({
      api: 'http://localhost:3000',
      note: 'DOTMAC_API_URL ends in /v1; using http://localhost:3000, the API\'s base URL',
    });
    expect(normalizeApi('https://h.example/api')).toEqual({ api: 'https://h.example/api' });
  });

  it.each(['ftp://x.example', 'api.example.net', '', 'LOCAL'])('rejects %j', (value) => {
    const err = caught(() => parseApi(value));
    expect(err.message).toBe('--api must be "local" or an http(s) URL');
    expect(err.exitCode).toBe(EXIT.usage);
  });
});
