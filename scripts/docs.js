// npm run docs: writes docs/commands.md from oclif.manifest.json (run `npm run build` first).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'));
const bin = 'dotmac';
const lines = ['# Command reference', '', `Generated from \`oclif.manifest.json\` by \`npm run build\`; do not edit by hand.`, ''];

const ids = Object.keys(manifest.commands).sort();
for (const id of ids) lines.push(`- [\`${bin} ${id.replaceAll(':', ' ')}\`](#${anchor(id)})`);
lines.push('');

for (const id of ids) {
  const cmd = manifest.commands[id];
  const name = `${bin} ${id.replaceAll(':', ' ')}`;
  lines.push(`## \`${name}\``, '', cmd.summary ?? cmd.description ?? '', '');
  if (cmd.summary && cmd.description) lines.push(cmd.description, '');
  const args = Object.values(cmd.args ?? {});
  const usage = [name, ...args.map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`)), '[FLAGS]'].join(' ');
  lines.push('```', usage, '```', '');
  if (args.length) {
    lines.push('| argument | description |', '| --- | --- |');
    for (const a of args) lines.push(`| \`${a.name.toUpperCase()}\` | ${a.description ?? ''}${a.required ? ' (required)' : ''} |`);
    lines.push('');
  }
  const flags = Object.values(cmd.flags ?? {}).filter((f) => !f.hidden);
  if (flags.length) {
    lines.push('| flag | description |', '| --- | --- |');
    for (const f of flags) {
      const names = [f.char ? `-${f.char}` : null, `--${f.name}${f.type === 'option' ? ' VALUE' : ''}`].filter(Boolean).join(', ');
      const extra = [
        f.required ? 'required' : null,
        f.options ? `one of: ${f.options.join(', ')}` : null,
        f.default !== undefined && f.default !== false ? `default: ${f.default}` : null,
        f.env ? `env: ${f.env}` : null,
      ].filter(Boolean);
      lines.push(`| \`${names}\` | ${(f.summary ?? f.description ?? '').replaceAll('|', '\\|')}${extra.length ? ` (${extra.join('; ')})` : ''} |`);
    }
    lines.push('');
  }
  if (cmd.examples?.length) {
    lines.push('Examples:', '', '```');
    for (const e of cmd.examples) lines.push(String(typeof e === 'string' ? e : e.command).replaceAll('<%= config.bin %>', bin));
    lines.push('```', '');
  }
}
writeFileSync(join(root, 'docs', 'commands.md'), lines.join('\n'));
console.log(`wrote docs/commands.md (${ids.length} commands)`);

function anchor(id) {
  return `${bin}-${id.replaceAll(':', '-')}`.toLowerCase();
}
