// npm run build (also run by `npm install` through "prepare"): bundle the commands, then write the
// oclif manifest. Bundling matters for start-up: loading kysely, zod and hono as hundreds of ESM
// files costs ~4x what one pre-linked file does. Type checking is `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// zod's namespace object keeps every locale alive (~340 KB of the API's bundle); dotmac only
// ever reports errors in English, so the bundle gets `en` alone.
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: join(root, 'node_modules', 'zod', 'v4', 'locales'),
    }));
  },
};

const commands = walk(join(root, 'src', 'commands'));
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    main: join(root, 'src', 'cli', 'main.ts'),
    ...Object.fromEntries(commands.map((file) => [relative(join(root, 'src'), file).replace(/\.ts$/, ''), file])),
  },
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Native, or loaded only when needed. @oclif/core is bundled once, shared by main and the commands.
  external: ['better-sqlite3', 'pg', 'pg-native', '@oclif/plugin-*', 'typescript', 'ts-node', 'tsx'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __dotmacRequire } from 'node:module'; const require = __dotmacRequire(import.meta.url);" },
  minifySyntax: true,
  plugins: [englishOnlyZod],
  legalComments: 'none',
  logLevel: 'warning',
});
execFileSync(process.execPath, [join(dirname(require.resolve('oclif/package.json')), 'bin', 'run.js'), 'manifest'], { cwd: root, stdio: 'inherit' });

// oclif lists commands in the order its file walk found them, which differs between machines;
// sorted, the manifest is reproducible and CI can tell a stale one from a fresh one.
const manifestPath = join(root, 'oclif.manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.commands = Object.fromEntries(Object.keys(manifest.commands).sort().map((id) => [id, manifest.commands[id]]));
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
