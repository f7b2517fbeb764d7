// npm run build (also run by `npm install` through "prepare"): bundle the CLI, then write the
// oclif manifest. Type checking is `npm run typecheck`.
//
// Three CommonJS bundles, loaded through dist/load.cjs with a V8 code cache (start-up time is
// most of what a CLI command costs):
//   dist/cli.cjs     oclif, every command (as oclif's explicit command table) and the API client
//   dist/server.cjs  the API, the database layer and the workspace code, loaded on first use only
//   dist/load.cjs    the loader
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// zod's namespace object keeps every locale alive (~340 KB); dotmac reports errors in English only.
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: join(root, 'node_modules', 'zod', 'v4', 'locales'),
    }));
  },
};

// In dist/cli.cjs, src/server/load.ts's import('./entry.js') becomes the separately bundled server.
const serverAsSeparateBundle = {
  name: 'server-as-separate-bundle',
  setup(b) {
    b.onResolve({ filter: /^\.\/entry\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'server', 'load.ts')) ? { path: 'server-bundle', namespace: 'dotmac' } : undefined,
    );
    b.onLoad({ filter: /^server-bundle$/, namespace: 'dotmac' }, () => ({
      contents: "module.exports = require('./load.cjs').loadBundle(require('node:path').join(__dirname, 'server.cjs'));",
      loader: 'js',
    }));
  },
};

// oclif's explicit command table: every file under src/commands, keyed by its command id.
const commandFiles = walk(join(root, 'src', 'commands')).sort();
const commandTable = {
  name: 'command-table',
  setup(b) {
    b.onResolve({ filter: /^dotmac:cli-entry$/ }, () => ({ path: 'cli-entry', namespace: 'dotmac' }));
    b.onLoad({ filter: /^cli-entry$/, namespace: 'dotmac' }, () => {
      const imports = commandFiles.map((file, i) => `import C${i} from ${JSON.stringify(file)};`);
      const entries = commandFiles.map((file, i) => {
        const id = relative(join(root, 'src', 'commands'), file).replace(/\.ts$/, '').split(/[\\/]/).join(':');
        return `  ${JSON.stringify(id)}: C${i},`;
      });
      return {
        contents: [`export { main } from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))};`, ...imports, 'export const COMMANDS = {', ...entries, '};'].join('\n'),
        resolveDir: root,
        loader: 'js',
      };
    });
  },
};

// oclif loads its ESM plugins with import(), which code run through vm.Script may not use; it gets
// bin/run.js's import() instead (see src/cli/bundle-loader.ts).
const oclifImportsThroughBin = {
  name: 'oclif-imports-through-bin',
  setup(b) {
    b.onLoad({ filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]module-loader\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('await import(', 'await globalThis.__dotmacImport('),
      loader: 'js',
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  supported: { 'dynamic-import': false },
};

rmSync(dist, { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src', 'cli', 'bundle-loader.ts')], outfile: join(dist, 'load.cjs') }),
  build({
    ...common,
    entryPoints: [join(root, 'src', 'server', 'entry.ts')],
    outfile: join(dist, 'server.cjs'),
    external: ['better-sqlite3', 'pg', 'pg-native'],
    plugins: [englishOnlyZod],
  }),
  build({
    ...common,
    entryPoints: ['dotmac:cli-entry'],
    outfile: join(dist, 'cli.cjs'),
    // Native or optional; the oclif plugins are loaded by oclif from node_modules; undici only behind a proxy.
    external: ['better-sqlite3', 'pg', 'pg-native', 'undici', '@oclif/plugin-*', 'typescript', 'ts-node', 'tsx', './load.cjs'],
    plugins: [commandTable, serverAsSeparateBundle, oclifImportsThroughBin],
  }),
]);

execFileSync(process.execPath, [join(dirname(require.resolve('oclif/package.json')), 'bin', 'run.js'), 'manifest'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' },
});

// Sorted, the manifest is reproducible and CI can tell a stale one from a fresh one.
const manifestPath = join(root, 'oclif.manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.commands = Object.fromEntries(Object.keys(manifest.commands).sort().map((id) => [id, manifest.commands[id]]));
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
