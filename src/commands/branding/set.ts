import { readFile, stat } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { BRANDING_COLUMNS, brandingIfVersionFlag } from '../../cli/branding.js';
import { CliError, EXIT, usageError } from '../../cli/errors.js';
import { reasonFlag, tenantFlag } from '../../cli/flags.js';
import type { BrandingChange, ChangeBranding } from '../../client/types.js';

/** The API's limit on custom CSS, in UTF-8 bytes (docs/api.md "Branding"): checked here before reading a file whole. */
const MAX_CSS_BYTES = 51_200;

export default class BrandingSet extends BaseCommand<typeof BrandingSet> {
  static override summary = 'Change a tenant\'s branding, as one new version';
  static override description = [
    'An empty value clears a field (--logo-url ""). Colours are #rgb or #rrggbb; the logo URL is https:// only; custom CSS',
    `(a file, or - for stdin) is at most ${MAX_CSS_BYTES} bytes and is stored sanitised: what was stripped (@import,`,
    'javascript: URLs, expression(), behavior, -moz-binding, </style>) is listed on stderr.',
    'Everything but --support-email is white-label: it needs the white-label add-on or the enterprise plan (else exit 4, plan_required).',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> branding set --tenant fibernet --primary-color "#0a66c2" --company-name "FiberNet Wireless"',
    '<%= config.bin %> branding set --support-email help@fibernet.example',
    '<%= config.bin %> branding set --custom-css portal.css --if-version 3',
  ];
  static override flags = {
    ...tenantFlag,
    'primary-color': Flags.string({ description: 'the main brand colour, #rgb or #rrggbb' }),
    'secondary-color': Flags.string({ description: 'the accent colour, #rgb or #rrggbb' }),
    'logo-url': Flags.string({ description: 'where the logo is: an https:// URL' }),
    'company-name': Flags.string({ description: 'the name the portals show' }),
    'support-email': Flags.string({ description: 'where the ISP\'s subscribers write for help (needs no white-label)' }),
    'custom-css': Flags.string({ description: `a CSS file (- for stdin) of at most ${MAX_CSS_BYTES} bytes, stored sanitised` }),
    ...brandingIfVersionFlag,
    ...reasonFlag,
  };

  async run(): Promise<BrandingChange> {
    const given: [keyof ChangeBranding, string | undefined][] = [
      ['primary_color', this.flags['primary-color']],
      ['secondary_color', this.flags['secondary-color']],
      ['logo_url', this.flags['logo-url']],
      ['company_name', this.flags['company-name']],
      ['support_email', this.flags['support-email']],
    ];
    const body: ChangeBranding = {};
    for (const [field, value] of given) if (value !== undefined) body[field] = value === '' ? null : value;
    const css = this.flags['custom-css'];
    if (css !== undefined) body.custom_css = css === '' ? null : await readCss(css);
    if (Object.keys(body).length === 0) {
      throw usageError('nothing to change', 'give at least one of --primary-color, --secondary-color, --logo-url, --company-name, --support-email, --custom-css');
    }
    const client = await this.writableClient();
    const tenant = await this.tenantRef(this.flags.tenant);
    const outcome = await client.branding.change(tenant, body, { ifVersion: this.flags['if-version'], reason: this.flags.reason });
    const result = outcome.value;
    for (const cut of result.stripped) this.note(`Warning: custom CSS line ${cut.line}: stripped a statement with ${cut.construct}`);
    this.reportChange(outcome, `${result.tenant_slug}: set ${result.changes.join(', ')}; branding is now v${result.version}`, `${result.tenant_slug} already has that branding (v${result.version})`);
    this.printRecord(result, BRANDING_COLUMNS);
    return result;
  }
}

/** The CSS file: a regular file (or stdin) of at most MAX_CSS_BYTES, read as UTF-8. */
async function readCss(path: string): Promise<string> {
  const tooLarge = () => usageError(`--custom-css: ${path === '-' ? 'stdin' : path} is larger than ${MAX_CSS_BYTES} bytes`, 'trim the CSS; the limit counts UTF-8 bytes');
  let bytes: Buffer;
  try {
    if (path === '-') {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length;
        if (size > MAX_CSS_BYTES) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
      bytes = Buffer.concat(chunks);
    } else {
      const info = await stat(path);
      if (!info.isFile()) throw usageError(`--custom-css: ${path} is not a file`, 'give the path of a CSS file, or - for stdin');
      if (info.size > MAX_CSS_BYTES) throw tooLarge();
      bytes = await readFile(path);
      if (bytes.length > MAX_CSS_BYTES) throw tooLarge();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`--custom-css: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path', EXIT.usage, 'usage');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw usageError(`--custom-css: ${path === '-' ? 'stdin' : path} is not UTF-8 text`, 'save the CSS as UTF-8');
  }
}
