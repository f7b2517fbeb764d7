// dist/load.cjs: the V8 code cache that makes cold starts cheaper must never change what runs.
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, newWorkspace, ROOT, runCli, tempDir } from './cli.js';

afterAll(cleanup);

const cacheFiles = (home: string) => {
  const dir = join(home, '.cache', 'dotmac', 'code-cache');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.v8')).sort() : [];
};

describe('code cache', () => {
  it('is written on the first run, reused after, and rewritten when damaged', async () => {
    const home = tempDir();
    const first = await runCli(['--version'], { env: { HOME: home } });
    expect(first.code).toBe(0);
    const files = cacheFiles(home);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^cli\.cjs-[0-9a-f]{32}-v\d+\.\d+\.\d+-\w+\.v8$/);
    const path = join(home, '.cache', 'dotmac', 'code-cache', files[0]!);
    const written = readFileSync(path);

    expect((await runCli(['--version'], { env: { HOME: home } })).stdout).toBe(first.stdout);
    expect(readFileSync(path).equals(written)).toBe(true);

    // the cache of an earlier build is dropped when this one's is written
    const stale = join(home, '.cache', 'dotmac', 'code-cache', 'cli.cjs-1-1-v20.0.0-x64.v8');
    writeFileSync(stale, 'old');
    writeFileSync(path, 'not V8 code');
    const damaged = await runCli(['--version'], { env: { HOME: home } });
    expect([damaged.code, damaged.stdout, damaged.stderr]).toEqual([0, first.stdout, '']);
    expect(readFileSync(path).length).toBeGreaterThan(1000);
    expect(existsSync(stale)).toBe(false);
  });

  it('caches the server bundle only once a command needs it, under XDG_CACHE_HOME', async () => {
    const home = tempDir();
    const cache = join(tempDir(), 'xdg-cache');
    const env = { HOME: home, XDG_CACHE_HOME: cache };
    expect((await runCli(['init', '--dir', join(home, 'ws')], { env })).code).toBe(0);
    const dir = join(cache, 'dotmac', 'code-cache');
    expect(readdirSync(dir).filter((f) => f.endsWith('.v8')).map((f) => f.slice(0, f.indexOf('.cjs-') + 4)).sort()).toEqual(['api-local.cjs', 'cli.cjs']);
  });

  it('holds what a command compiled after loading, and takes in each new command once', async () => {
    const ws = await newWorkspace();
    const dir = join(ws.home, '.cache', 'dotmac', 'code-cache');
    const cli = () => join(dir, cacheFiles(ws.home).find((f) => f.startsWith('cli.cjs-'))!);
    const uses = () => readFileSync(`${cli()}.uses`, 'utf8').split('\n').sort();
    expect((await ws.run(['--version'])).code).toBe(0);
    const afterVersion = readFileSync(cli());
    expect(uses()).toContain('(none)');

    expect((await ws.run(['tenants', 'list', '--json'])).code).toBe(0);
    const afterList = readFileSync(cli());
    // written as the command ended, so it holds the list's own code too
    expect(afterList.length).toBeGreaterThan(afterVersion.length);
    expect(uses()).toEqual(expect.arrayContaining(['(none)', 'tenants list']));

    expect((await ws.run(['tenants', 'list', '--json', '--limit', '3'])).code).toBe(0);
    expect((await ws.run(['--version'])).code).toBe(0);
    expect(readFileSync(cli()).equals(afterList)).toBe(true);
  });

  it('is not used with DOTMAC_CODE_CACHE=0, and a cache that cannot be written only costs time', async () => {
    const home = tempDir();
    expect((await runCli(['--version'], { env: { HOME: home, DOTMAC_CODE_CACHE: '0' } })).code).toBe(0);
    expect(cacheFiles(home)).toEqual([]);

    // a file where the cache directory should be: no user, not even root, can create it
    const blocked = join(tempDir(), 'not-a-dir');
    writeFileSync(blocked, '');
    const res = await runCli(['--version'], { env: { HOME: home, XDG_CACHE_HOME: blocked } });
    expect([res.code, res.stderr]).toEqual([0, '']);
    expect(res.stdout).toMatch(/^dotmac\/\d/);
  });

  /**
   * What an attacker who can write the cache would plant: V8 accepts a cache made for any source of
   * the same length, so code compiled from an edited bundle (here one that throws at once) would run.
   */
  function poison(cachePath: string): void {
    const bundle = join(ROOT, 'dist', 'cli.cjs');
    const source = readFileSync(bundle, 'utf8');
    const at = source.indexOf('"use strict";');
    const evil = `${source.slice(0, at)}throw "PWN"; ${source.slice(at + 13)}`;
    expect(evil.length).toBe(source.length);
    const script = new Script(Module.wrap(evil), { filename: bundle });
    try {
      (script.runInThisContext() as (...args: unknown[]) => void)({}, require, { exports: {} }, bundle, dirname(bundle));
    } catch {
      // it throws, as planned; the compiled code is what matters
    }
    writeFileSync(cachePath, script.createCachedData());
  }

  it('is not trusted in a directory others can write, nor from a file someone else owns', async () => {
    const home = tempDir();
    expect((await runCli(['--version'], { env: { HOME: home } })).code).toBe(0);
    const dir = join(home, '.cache', 'dotmac', 'code-cache');
    const path = join(dir, cacheFiles(home)[0]!);

    chmodSync(dir, 0o777);
    poison(path);
    const shared = await runCli(['--version'], { env: { HOME: home } });
    expect([shared.code, shared.stderr]).toEqual([0, '']);
    expect(shared.stdout).toMatch(/^dotmac\/\d/);

    if (process.getuid?.() === 0) {
      chmodSync(dir, 0o700);
      chownSync(path, 65534, 65534);
      const foreign = await runCli(['--version'], { env: { HOME: home } });
      expect([foreign.code, foreign.stderr]).toEqual([0, '']);
    }
  });
});
