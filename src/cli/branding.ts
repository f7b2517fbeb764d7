import { Flags } from '@oclif/core';
import type { Branding } from '../client/types.js';
import { parseVersion } from './configs.js';
import type { Column } from './output.js';
import { terminalSafe } from './output.js';

const cssSummary = (css: string | null | undefined) => (css ? `${Buffer.byteLength(css, 'utf8')} bytes (see --json)` : null);

export const BRANDING_COLUMNS: Column[] = [
  { key: 'tenant_slug', header: 'tenant' },
  { key: 'version', get: (row: { version: number }) => `v${row.version}` },
  { key: 'white_label' },
  { key: 'company_name', cut: true },
  { key: 'primary_color' },
  { key: 'secondary_color' },
  { key: 'logo_url', cut: true },
  { key: 'support_email' },
  { key: 'custom_css', get: (row: { custom_css?: string | null }) => cssSummary(row.custom_css) },
  { key: 'updated_at', header: 'updated' },
];

export const BRANDING_VERSION_COLUMNS: Column[] = [
  { key: 'version', get: (row: { version: number }) => `v${row.version}` },
  { key: 'action' },
  { key: 'created_at', header: 'at', priority: 2 },
  { key: 'actor', priority: 1 },
  {
    key: 'changes',
    cut: true,
    get: (row: { changes: string[]; restored_from: number | null }) => `${row.restored_from ? `= v${row.restored_from}: ` : ''}${row.changes.join(' ')}`,
  },
  { key: 'restored_from', extra: true },
];

/** `#rgb` or `#rrggbb` as red, green and blue. */
export function rgbOf(color: string): [number, number, number] {
  const hex = color.slice(1);
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  return [0, 2, 4].map((at) => Number.parseInt(full.slice(at, at + 2), 16)) as [number, number, number];
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
function textOn([r, g, b]: [number, number, number]): [number, number, number] {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.039_28 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return luminance > 0.179 ? [0, 0, 0] : [255, 255, 255];
}

/**
 * The swatch `branding preview` draws on a colour terminal: a band per colour with 24-bit ANSI
 * backgrounds, the company name on the primary one. Everything the server sent is made terminal-safe
 * first; only the escapes written here reach the terminal.
 */
export function swatch(branding: Branding, width: number): string {
  const name = terminalSafe(branding.company_name ?? branding.tenant_slug);
  const band = Math.max(24, Math.min(width, 60));
  const lines: string[] = [];
  const paint = (label: string, color: string | null, text: string) => {
    if (!color) {
      lines.push(`${label.padEnd(10)} (not set)`);
      return;
    }
    const bg = rgbOf(color);
    const fg = textOn(bg);
    const inner = ` ${text}`.slice(0, band).padEnd(band);
    lines.push(`${label.padEnd(10)} \u001b[48;2;${bg.join(';')}m\u001b[38;2;${fg.join(';')}m${inner}\u001b[0m ${color}`);
  };
  paint('primary', branding.primary_color, name);
  paint('secondary', branding.secondary_color, branding.support_email ? terminalSafe(branding.support_email) : '');
  if (!branding.white_label) lines.push('(the tenant has no white-label now: its portals show the default look)');
  return `${lines.join('\n')}\n`;
}

/** `--if-version N`: refuse the change (exit 6, nothing changed) unless the branding is at version N. */
export const brandingIfVersionFlag = {
  'if-version': Flags.custom<number>({ description: 'change only if the branding is at this version (as `branding show` shows it); otherwise exit 6, nothing changed', parse: async (input) => parseVersion(input) })(),
};
