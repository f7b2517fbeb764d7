// npm run build (also run by `npm install` through "prepare"): bundle the CLI, then write the
// oclif manifest. Type checking is `npm run typecheck`.
//
// CommonJS bundles, loaded through dist/load.cjs with a V8 code cache (start-up time is most of
// what a CLI command costs):
//   dist/cli.cjs        oclif, every command (as oclif's explicit command table) and the API client
//   dist/api-local.cjs  the API in-process, the database layer and the workspace code (first use only)
//   dist/server.cjs     the API behind `server start`
//   dist/load.cjs       the loader
//   dist/tui.mjs        the dashboard (Ink and React stay in node_modules), imported by `dotmac dashboard` only
//   dist/commands.json  the command ids from the manifest, which oclif reads for a run without --help
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// dist/commands.json: the manifest's fields that oclif reads to find and run a command (Config's
// loadCommands and runCommand, Plugin's load, and where a spaced command id ends in argv: a command
// that is not strict or takes arguments ends it); descriptions, flags and examples are for help.
const COMMAND_INDEX = 'commands.json';
const INDEX_FIELDS = ['id', 'aliases', 'hiddenAliases', 'hidden', 'deprecateAliases', 'permutations', 'aliasPermutations', 'pluginAlias', 'pluginName', 'pluginType', 'state', 'strict', 'args'];
const require = createRequire(import.meta.url);
// Bundles are built beside dist/ and renamed into it one file at a time (each rename is atomic), so
// a CLI started while a build runs finds a whole bundle, old or new, never a missing or half-written one.
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });
const staging = mkdtempSync(join(root, '.dist-'));

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

// In dist/cli.cjs, src/server/load.ts's imports become the separately bundled server sides.
const SEPARATE_BUNDLES = { './entry.js': 'api-local.cjs', './http-entry.js': 'server.cjs' };
const serverAsSeparateBundles = {
  name: 'server-as-separate-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/(http-)?entry\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'server', 'load.ts')) ? { path: SEPARATE_BUNDLES[args.path], namespace: 'dotmac-bundle' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'dotmac-bundle' }, (args) => ({
      contents: `module.exports = require('./load.cjs').loadBundle(require('node:path').join(__dirname, ${JSON.stringify(args.path)}));`,
      loader: 'js',
    }));
  },
};

// In dist/cli.cjs, src/tui/load.ts imports dist/tui.mjs, an ES module (Ink's layout engine loads with a
// top-level await, which a CommonJS bundle cannot hold), through bin/run.js's import().
const dashboardAsSeparateModule = {
  name: 'dashboard-as-separate-module',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]tui[\\/]load\.ts$/ }, () => ({
      contents: "export const loadDashboard = () => globalThis.__dotmacImport(require('node:url').pathToFileURL(require('node:path').join(__dirname, 'tui.mjs')).href);",
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
      // Each command's module is evaluated when oclif asks the table for it (require() keeps it lazy
      // in the bundle): with the manifest, oclif looks up only the command it runs. The table is a
      // proxy over plain loaders, not an object of getters: V8 copies an object's descriptors for
      // each accessor added to it, which for ~150 commands cost 3 % of a cold command.
      const entries = commandFiles.map((file) => {
        const id = relative(join(root, 'src', 'commands'), file).replace(/\.ts$/, '').split(/[\\/]/).join(':');
        return `  ${JSON.stringify(id)}: () => require(${JSON.stringify(file)}).default,`;
      });
      return {
        contents: [
          `import { main as runCli } from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))};`,
          `export { notFoundHook } from ${JSON.stringify(join(root, 'src', 'cli', 'main.ts'))};`,
          'const LOADERS = {',
          ...entries,
          '};',
          'export const COMMANDS = new Proxy(LOADERS, { get: (loaders, id) => (typeof id === "string" && Object.hasOwn(loaders, id) ? loaders[id]() : undefined) });',
          'export const main = (root) => runCli(root, Object.keys(LOADERS));',
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      };
    });
  },
};

// Build-time edits to oclif, each for start-up:
// - it loads its ESM plugins with import(), which code run through vm.Script may not use; it gets
//   bin/run.js's import() instead (see src/cli/bundle-loader.ts);
// - it sorts command ids with localeCompare, whose first call builds an ICU collator (~6 ms);
//   the ids are ASCII, so an ordinal comparison gives the same order;
// - it requires node:child_process (with node:net and node:dgram), node:readline and
//   node:perf_hooks as it loads, for a Windows check, for reading piped input that no dotmac command
//   runs and for timings only its debug mode takes; they load when used. Its WSL check
//   imports wsl-utils, which requires node:child_process too, where is-wsl (what it reads) does not;
// - its colour library (ansis) writes a raw U+009B in a regular expression, the one character
//   that kept dist/cli.cjs from being ASCII, which the loader reads without decoding UTF-8;
const OCLIF_EDITS = [
  { file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]module-loader\.js$/, from: 'await import(', to: 'await globalThis.__dotmacImport(' },
  { file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/, from: 'a.id.localeCompare(b.id)', to: '(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)' },
  { file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/, from: 'const node_child_process_1 = require("node:child_process");', to: 'const node_child_process_1 = { get execSync() { return require("node:child_process").execSync; } };' },
  { file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/, from: "(await import('wsl-utils')).isWsl", to: "(await import('is-wsl')).default" },
  { file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]parser[\\/]parse\.js$/, from: 'const node_readline_1 = require("node:readline");', to: 'const node_readline_1 = { get createInterface() { return require("node:readline").createInterface; } };' },
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]performance\.js$/,
    from: 'const node_perf_hooks_1 = require("node:perf_hooks");',
    to: 'const node_perf_hooks_1 = { get performance() { return require("node:perf_hooks").performance; }, get PerformanceObserver() { return require("node:perf_hooks").PerformanceObserver; } };',
  },
  // its check of Node's version against the engines of the package.json above the bundle (dotmac's)
  // evaluates semver and parses a range on every start; dotmac's `>=X.Y.Z` is compared as numbers
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]index\.js$/,
    from: "const semver = require('semver');",
    to: "const semver = { satisfies: (version, range) => { const floor = /^>=\\s*(\\d+)\\.(\\d+)\\.(\\d+)$/.exec(range); if (!floor) return require('semver').satisfies(version, range); const [a, b] = [version.split('.').map(Number), floor.slice(1).map(Number)]; for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i]; return true; } };",
  },
  { file: /[\\/]ansis[\\/]index\.js$/, from: '/[\u001b\u009b][[()#;?]*', to: '/[\\x1b\\x9b][[()#;?]*' },
  // - it parses the whole manifest (every command's flags, examples and descriptions, for help: over
  //   300 KB of JSON) to find the one command it runs; for a run that needs no help, src/cli/main.ts
  //   hands it dist/commands.json (the ids alone, written below from the manifest), read and checked
  //   once there: its path, for oclif's debug line, and its content
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: "(0, node_path_1.join)(this.root, `${dotfile ? '.' : ''}oclif.manifest.json`)",
    to: "(0, node_path_1.join)(this.root, (!dotfile && this.pjson.oclif.commandIndex?.path) || `${dotfile ? '.' : ''}oclif.manifest.json`)",
  },
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: 'const manifest = await (0, fs_1.readJson)(p);',
    to: 'const manifest = (!dotfile && this.pjson.oclif.commandIndex?.manifest) || await (0, fs_1.readJson)(p);',
  },
];
const oclifStartupEdits = {
  name: 'oclif-startup-edits',
  setup(b) {
    const files = new RegExp(OCLIF_EDITS.map((edit) => edit.file.source).join('|'));
    b.onLoad({ filter: files }, (args) => {
      let source = readFileSync(args.path, 'utf8');
      for (const edit of OCLIF_EDITS.filter((e) => e.file.test(args.path))) {
        // a new oclif that changed these lines must fail the build, not quietly lose the edit
        if (!source.includes(edit.from)) throw new Error(`${args.path} no longer contains ${edit.from}`);
        source = source.replaceAll(edit.from, edit.to);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

// Local mode evaluates only the route modules a request needs (src/server/lazy-app.ts). Which paths
// each module serves is read here from the routes themselves, run once from a throw-away bundle, and
// written into dist/api-local.cjs in place of src/server/route-modules.ts (one group of every route).
const routesFile = join(root, 'src', 'server', 'routes.ts');
function routeModuleImports() {
  const source = readFileSync(routesFile, 'utf8');
  const imports = new Map([...source.matchAll(/^import \{ (\w+) \} from '(\.\/modules\/([\w-]+)\/routes\.js)';$/gm)].map((m) => [m[1], { name: m[3], binding: m[1], from: m[2] }]));
  // in the order ROUTES spreads them (the check below fails the build if that is not all of ROUTES)
  const order = [...source.matchAll(/^\s*\.\.\.(\w+),?$/gm)].map((m) => imports.get(m[1]));
  if (order.length === 0 || order.includes(undefined)) throw new Error('src/server/routes.ts: ROUTES must spread the route lists it imports from ./modules/<name>/routes.js, one per line');
  return order;
}
async function routeModulePaths(imports) {
  const entry = [
    ...imports.map((m, i) => `import { ${m.binding} as M${i} } from ${JSON.stringify(m.from)};`),
    `import { ROUTES } from './routes.js';`,
    `const groups = [${imports.map((_, i) => `M${i}`).join(', ')}];`,
    // the lazy app keeps ROUTES order only if ROUTES is exactly these modules' routes, in this order
    `const flat = groups.flat();`,
    `if (flat.length !== ROUTES.length || flat.some((route, i) => route !== ROUTES[i])) throw new Error('ROUTES in src/server/routes.ts must be the spread route lists of the modules it imports, in import order (see src/server/route-modules.ts)');`,
    `process.stdout.write(JSON.stringify(groups.map((routes) => routes.map((route) => route.config.path))));`,
  ].join('\n');
  const out = join(staging, 'route-paths.cjs');
  await build({ ...common, stdin: { contents: entry, resolveDir: join(root, 'src', 'server'), loader: 'ts', sourcefile: 'route-paths.ts' }, outfile: out, external: ['better-sqlite3', 'pg', 'pg-native', 'undici'], plugins: [englishOnlyZod] });
  let paths;
  try {
    paths = JSON.parse(execFileSync(process.execPath, [out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    throw new Error(`reading the routes' paths failed: ${String(error.stderr ?? error.message).split('\n').filter((line) => /^\w*Error\b/.test(line)).join(' ')}`);
  }
  rmSync(out);
  return paths;
}
async function routeModulesPlugin() {
  const imports = routeModuleImports();
  const paths = await routeModulePaths(imports);
  // a path beyond plain segments and {params} (a regular expression, say) is not matched here: that module always loads
  const plain = (list) => list.every((path) => /^(\/([\w.~-]+|\{\w+\}))+$/.test(path));
  const modules = imports.map((m, i) => `  { name: ${JSON.stringify(m.name)}, paths: ${plain(paths[i]) ? JSON.stringify([...new Set(paths[i])]) : 'undefined'}, load: () => import(${JSON.stringify(m.from)}).then((m) => m.${m.binding}) },`);
  return {
    name: 'route-modules',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]server[\\/]route-modules\.ts$/ }, () => ({
        contents: ['export const ROUTE_MODULES = [', ...modules, '];'].join('\n'),
        resolveDir: join(root, 'src', 'server'),
        loader: 'js',
      }));
    },
  };
}

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  supported: { 'dynamic-import': false },
  charset: 'ascii',
};

try {
const routeModules = await routeModulesPlugin();
await Promise.all([
  build({ ...common, entryPoints: [join(root, 'src', 'cli', 'bundle-loader.ts')], outfile: join(staging, 'load.cjs') }),
  // The API in-process: Node's Request/Response/Headers replaced by src/server/web/lite.ts.
  build({
    ...common,
    entryPoints: [join(root, 'src', 'server', 'entry.ts')],
    outfile: join(staging, 'api-local.cjs'),
    // undici only for a health probe, loaded from node_modules when one runs; better-sqlite3's
    // JavaScript is bundled (compiled once into the code cache), its addon named by path (src/db/connect.ts)
    external: ['bindings', 'pg', 'pg-native', 'undici'],
    inject: [join(root, 'src', 'server', 'web', 'lite.ts')],
    plugins: [englishOnlyZod, routeModules],
  }),
  // The API behind `server start`, with Node's own web classes.
  build({
    ...common,
    entryPoints: [join(root, 'src', 'server', 'http-entry.ts')],
    outfile: join(staging, 'server.cjs'),
    external: ['bindings', 'pg', 'pg-native', 'undici'],
    plugins: [englishOnlyZod],
  }),
  build({
    ...common,
    entryPoints: [join(root, 'src', 'tui', 'render.tsx')],
    outfile: join(staging, 'tui.mjs'),
    format: 'esm',
    supported: {},
    jsx: 'automatic',
    external: ['ink', 'react', 'react/jsx-runtime', 'cli-table3'],
  }),
  build({
    ...common,
    entryPoints: ['dotmac:cli-entry'],
    outfile: join(staging, 'cli.cjs'),
    // Native or optional; the oclif plugins are loaded by oclif from node_modules; undici only behind a proxy; pdfkit (exports) and @inquirer/prompts (the quote builder) only when used;
    // yaml only by the configs commands that read or write it.
    external: ['better-sqlite3', 'pg', 'pg-native', 'undici', 'yaml', 'pdfkit', '@inquirer/prompts', '@oclif/plugin-*', 'typescript', 'ts-node', 'tsx', './load.cjs'],
    plugins: [commandTable, serverAsSeparateBundles, dashboardAsSeparateModule, oclifStartupEdits],
  }),
]);
  const built = readdirSync(staging);
  // The loader reads an ASCII bundle as Latin-1; one stray character (esbuild leaves a regular
  // expression's as written) makes it decode the whole file as UTF-8, into a two-byte string:
  // about 2 % of a cold command. Write such characters as escapes.
  for (const name of built.filter((n) => n.endsWith('.cjs'))) {
    const text = readFileSync(join(staging, name), 'utf8');
    const at = text.search(/[^\x00-\x7f]/);
    if (at !== -1) throw new Error(`dist/${name} is not ASCII at character ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}; write the character as an escape in its source`);
  }
  for (const name of built) renameSync(join(staging, name), join(dist, name));
  // dist/commands.json is written after the manifest, below
  for (const name of readdirSync(dist)) if (!built.includes(name) && name !== COMMAND_INDEX) rmSync(join(dist, name), { recursive: true, force: true });
} finally {
  rmSync(staging, { recursive: true, force: true });
}

execFileSync(process.execPath, [join(dirname(require.resolve('oclif/package.json')), 'bin', 'run.js'), 'manifest'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' },
});

// Sorted, the manifest is reproducible and CI can tell a stale one from a fresh one.
const manifestPath = join(root, 'oclif.manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.commands = Object.fromEntries(Object.keys(manifest.commands).sort().map((id) => [id, manifest.commands[id]]));
writeFileSync(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
renameSync(`${manifestPath}.tmp`, manifestPath);

// What oclif needs to find and run a command, and nothing for help: a command run without --help
// reads this instead of the manifest (src/cli/main.ts; the oclif edit above).
const index = {
  version: manifest.version,
  commands: Object.fromEntries(
    Object.entries(manifest.commands).map(([id, command]) => [id, Object.fromEntries(INDEX_FIELDS.filter((field) => field in command).map((field) => [field, command[field]]))]),
  ),
};
writeFileSync(join(dist, `${COMMAND_INDEX}.tmp`), JSON.stringify(index));
renameSync(join(dist, `${COMMAND_INDEX}.tmp`), join(dist, COMMAND_INDEX));

// The command reference is generated from the manifest, so it cannot drift from the CLI either.
execFileSync(process.execPath, [join(root, 'scripts', 'docs.js')], { cwd: root, stdio: 'ignore' });
