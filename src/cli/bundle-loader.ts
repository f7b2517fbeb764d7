// Loads the CLI's CommonJS bundles with a V8 code cache. Node 20 compiles every module from source
// on each start (about 60 ms for dist/cli.cjs and dist/server.cjs together); handing V8 the code it
// compiled last time makes that a few milliseconds. Built on its own as dist/load.cjs.
//
// Code compiled by vm.Script cannot call import() without an experimental flag, so the bundles are
// built without it (esbuild turns import() into require()), and oclif's loader of ESM plugins calls
// globalThis.__dotmacImport instead, which bin/run.js defines outside vm.Script.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';

type ModuleInternals = typeof Module & {
  _cache: Record<string, Module>;
  _nodeModulePaths(from: string): string[];
  wrap(source: string): string;
};

const internals = Module as ModuleInternals;

function cacheDir(): string | undefined {
  if (process.env.DOTMAC_CODE_CACHE === '0') return undefined;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(process.env.HOME || homedir(), '.cache');
  return join(base, 'dotmac', 'code-cache');
}

/**
 * Compiled code from the cache runs as this user, so the cache is used only where no one else could
 * have put it: a real directory (and parent) owned by this user that neither group nor others can
 * write, holding files of the same kind.
 */
function ownedPrivately(stats: Stats): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

function trustedDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return [dir, dirname(dir)].every((path) => {
      const stats = lstatSync(path);
      return stats.isDirectory() && ownedPrivately(stats);
    });
  } catch {
    return false;
  }
}

function readTrusted(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    return stats.isFile() && ownedPrivately(stats) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Like require(file), and registered in require's cache so a later require (oclif loading its
 * command table) gets the same module. The compiled code is cached per bundle content (a SHA-256
 * of the bytes about to run, not a size or date that an edit can keep), Node and architecture.
 * Any failure to read or write the cache just means compiling as usual.
 *
 * V8 compiles a function when it first runs, and cached data holds only the functions compiled so
 * far; made right after loading, it would leave out everything a command runs later (its request,
 * its output), about a tenth of a local `tenants list`. So the cache is written as the process
 * exits, and written again the first time another command uses the bundle (the commands that
 * contributed are listed beside it), until it holds what the commands in use need.
 */
export function loadBundle(file: string): unknown {
  const cached = internals._cache[file];
  if (cached) return cached.exports;
  const bytes = readFileSync(file);
  // esbuild writes ASCII; reading it as Latin-1 skips UTF-8 decoding of a megabyte
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const dir = cacheDir();
  let cache: CacheFile | undefined;
  let cachedData: Buffer | undefined;
  if (dir && trustedDir(dir)) {
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    const path = join(dir, `${basename(file)}-${digest}-${process.version}-${process.arch}.v8`);
    cachedData = readTrusted(path);
    const uses = cachedData ? (readTrusted(`${path}.uses`)?.toString('utf8').split('\n') ?? []) : [];
    cache = { dir, bundle: basename(file), path, uses };
  }
  const script = new Script(internals.wrap(source), { filename: file, cachedData });
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = internals._nodeModulePaths(dirname(file));
  internals._cache[file] = mod;
  try {
    script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  } catch (error) {
    delete internals._cache[file];
    throw error;
  }
  mod.loaded = true;
  const use = commandUse();
  if (cache && (!cachedData || script.cachedDataRejected || !cache.uses.includes(use))) {
    const pending = cache;
    process.once('exit', () => writeCache(pending, script, cachedData && !script.cachedDataRejected ? [...pending.uses, use] : [use]));
  }
  return mod.exports;
}

interface CacheFile {
  dir: string;
  bundle: string;
  path: string;
  /** the commands whose code the cache already holds */
  uses: string[];
}

/** The command this process runs (`tenants list`), which decides what of a bundle it compiles. */
function commandUse(): string {
  const words: string[] = [];
  for (const arg of process.argv.slice(2)) {
    if (arg.startsWith('-') || words.length === 3) break;
    words.push(arg.replace(/[^a-z0-9:_-]/gi, '').slice(0, 40));
  }
  return words.join(' ') || '(none)';
}

/** Writes the cache for this version of the bundle and drops those of earlier versions. */
function writeCache(cache: CacheFile, script: Script, uses: string[]): void {
  try {
    replaceFile(cache.path, script.createCachedData());
    replaceFile(`${cache.path}.uses`, Buffer.from(uses.join('\n')));
    // this version's files (and another process's half-written one) all start with its name
    const current = basename(cache.path);
    for (const old of readdirSync(cache.dir)) {
      if (old.startsWith(`${cache.bundle}-`) && !old.startsWith(current)) rmSync(join(cache.dir, old), { force: true });
    }
  } catch {
    // a read-only or full disk only costs speed
  }
}

function replaceFile(path: string, data: Buffer): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
  renameSync(temp, path);
}
