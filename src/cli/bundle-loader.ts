// Loads the CLI's CommonJS bundles with a V8 code cache. Node 20 compiles every module from source
// on each start (about 60 ms for dist/cli.cjs and dist/server.cjs together); handing V8 the code it
// compiled last time makes that a few milliseconds. Built on its own as dist/load.cjs.
//
// Code compiled by vm.Script cannot call import() without an experimental flag, so the bundles are
// built without it (esbuild turns import() into require()), and oclif's loader of ESM plugins calls
// globalThis.__dotmacImport instead, which bin/run.js defines in a real ES module.
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
 */
export function loadBundle(file: string): unknown {
  const cached = internals._cache[file];
  if (cached) return cached.exports;
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const dir = cacheDir();
  let cachePath: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir && trustedDir(dir)) {
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    cachePath = join(dir, `${basename(file)}-${digest}-${process.version}-${process.arch}.v8`);
    cachedData = readTrusted(cachePath);
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
  if (cachePath && dir && (!cachedData || script.cachedDataRejected)) writeCache(dir, basename(file), cachePath, script);
  return mod.exports;
}

/** Writes the cache for this version of the bundle and drops those of earlier versions. */
function writeCache(dir: string, bundle: string, path: string, script: Script): void {
  try {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
    for (const old of readdirSync(dir)) {
      if (old.startsWith(`${bundle}-`) && old !== basename(path)) rmSync(join(dir, old), { force: true });
    }
  } catch {
    // a read-only or full disk only costs speed
  }
}
