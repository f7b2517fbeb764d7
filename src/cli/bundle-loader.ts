// Loads the CLI's CommonJS bundles with a V8 code cache. Node 20 compiles every module from source
// on each start (about 60 ms for dist/cli.cjs and dist/server.cjs together); handing V8 the code it
// compiled last time makes that a few milliseconds. Built on its own as dist/load.cjs.
//
// Code compiled by vm.Script cannot call import() without an experimental flag, so the bundles are
// built without it (esbuild turns import() into require()), and oclif's loader of ESM plugins calls
// globalThis.__dotmacImport instead, which bin/run.js defines in a real ES module.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
 * Like require(file), and registered in require's cache so a later require (oclif loading its
 * command table) gets the same module; the compiled code is cached per file version, Node and
 * architecture. Any failure to read or write the cache just means compiling as usual.
 */
export function loadBundle(file: string): unknown {
  const cached = internals._cache[file];
  if (cached) return cached.exports;
  const source = readFileSync(file, 'utf8');
  const dir = cacheDir();
  let cachePath: string | undefined;
  let cachedData: Buffer | undefined;
  if (dir) {
    const { size, mtimeMs } = statSync(file);
    cachePath = join(dir, `${basename(file)}-${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}.v8`);
    try {
      cachedData = readFileSync(cachePath);
    } catch {
      cachedData = undefined;
    }
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
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, path);
    for (const old of readdirSync(dir)) {
      if (old.startsWith(`${bundle}-`) && old !== basename(path)) rmSync(join(dir, old), { force: true });
    }
  } catch {
    // a read-only or full disk only costs speed
  }
}
