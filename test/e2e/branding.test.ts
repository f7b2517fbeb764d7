// `dotmac branding ...` as a new user runs it, in local mode: set and show, white-label refused
// with exit 4 and plan_required, bad input as one-line errors with exit 2 naming the flag, hostile
// CSS stripped with warnings on stderr, history and rollback, a stale --if-version exit 6, and a
// preview that prints the values without a terminal.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Branding, BrandingChange, BrandingVersion } from '../../src/client/types.js';
import { DIALECT } from '../support/harness.js';
import { cleanup, expectOneLineError, newWorkspace, type Workspace } from './cli.js';

let ws: Workspace;
beforeAll(async () => {
  ws = await newWorkspace();
  for (const [slug, plan] of [['fibernet', 'starter'], ['bigco', 'enterprise']]) {
    const made = await ws.run(['tenants', 'create', '--slug', slug!, '--name', slug!, '--plan', plan!]);
    expect(made.code, made.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => cleanup());

describe.skipIf(DIALECT === 'postgres')('dotmac branding', () => {
  it('sets a support email anywhere, and refuses white-label fields without it (exit 4, plan_required)', async () => {
    const set = await ws.json<BrandingChange>(['branding', 'set', '--tenant', 'fibernet', '--support-email', 'help@fibernet.example']);
    expect(set).toMatchObject({ version: 1, support_email: 'help@fibernet.example', white_label: false });
    const refused = await ws.run(['branding', 'set', '--tenant', 'fibernet', '--primary-color', '#0a66c2']);
    expect(refused.code).toBe(4);
    expect(expectOneLineError(refused).message).toMatch(/primary_color is white-label: tenant "fibernet" needs the white-label add-on or the enterprise plan/);
    const json = await ws.run(['branding', 'set', '--tenant', 'fibernet', '--company-name', 'X', '--json']);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'plan_required', exit_code: 4 });
  });

  it('names the flag of a bad value (exit 2) and writes nothing', async () => {
    for (const [flag, value, said] of [
      ['--primary-color', 'red', /--primary-color: a colour as #rgb or #rrggbb/],
      ['--logo-url', 'http://cdn.example/logo.png', /--logo-url: an https:\/\/ URL/],
      ['--logo-url', 'javascript:alert(1)', /--logo-url: /],
      ['--support-email', 'nope', /--support-email: /],
      ['--company-name', 'Evil\u001b]0;pwned\u0007', /--company-name: must not contain control characters/],
    ] as const) {
      const res = await ws.run(['branding', 'set', '--tenant', 'bigco', flag, value]);
      expect(res.code, `${flag} ${value}`).toBe(2);
      expect(expectOneLineError(res).message).toMatch(said);
    }
    expect((await ws.json<Branding>(['branding', 'show', '--tenant', 'bigco'])).version).toBe(0);
    const none = await ws.run(['branding', 'set', '--tenant', 'bigco']);
    expect(none.code).toBe(2);
    const big = join(ws.home, 'big.css');
    writeFileSync(big, 'a'.repeat(51_201));
    const tooBig = await ws.run(['branding', 'set', '--tenant', 'bigco', '--custom-css', big]);
    expect(tooBig.code).toBe(2);
    expect(expectOneLineError(tooBig).message).toMatch(/larger than 51200 bytes/);
  });

  it('strips hostile CSS with a warning per statement, versions every change, rolls back, and guards with --if-version', async () => {
    const css = join(ws.home, 'portal.css');
    writeFileSync(css, '@import "https://evil.example/x.css";\nbody { background: url("javascript:alert(1)"); color: #333 }\nh1 { color: red }\n');
    const set = await ws.run(['branding', 'set', '--tenant', 'bigco', '--primary-color', '#0A66C2', '--company-name', 'BigCo Fibre', '--custom-css', css]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('Warning: custom CSS line 1: stripped a statement with @import');
    expect(set.stderr).toContain('Warning: custom CSS line 2: stripped a statement with javascript: URL');
    const shown = await ws.json<Branding>(['branding', 'show', '--tenant', 'bigco']);
    expect(shown).toMatchObject({ version: 1, primary_color: '#0a66c2', company_name: 'BigCo Fibre', white_label: true });
    expect(shown.custom_css).toContain('h1 { color: red }');
    expect(shown.custom_css).not.toMatch(/import|javascript/i);

    await ws.json(['branding', 'set', '--tenant', 'bigco', '--logo-url', 'https://cdn.bigco.example/logo.svg', '--custom-css', '']);
    const history = await ws.json<BrandingVersion[]>(['branding', 'history', '--tenant', 'bigco']);
    expect(history.map((v) => [v.version, v.changes])).toEqual([[2, ['logo_url', 'custom_css']], [1, ['company_name', 'primary_color', 'custom_css']]]);
    const stale = await ws.run(['branding', 'rollback', 'v1', '--tenant', 'bigco', '--if-version', '1']);
    expect(stale.code).toBe(6);
    expect(expectOneLineError(stale).hint).toMatch(/branding show/);
    const back = await ws.run(['branding', 'rollback', 'v1', '--tenant', 'bigco', '--if-version', '2']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain('bigco: branding v3 restores v1');
    const again = await ws.run(['branding', 'rollback', 'v1', '--tenant', 'bigco']);
    expect(again.stderr).toContain('nothing changed');
    const missing = await ws.run(['branding', 'rollback', 'v9', '--tenant', 'bigco']);
    expect(missing.code).toBe(5);
    expect(expectOneLineError(missing).hint).toMatch(/branding history/);
  });

  it('previews as values without a terminal', async () => {
    const res = await ws.run(['branding', 'preview', '--tenant', 'bigco']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('primary_color\t#0a66c2');
    expect(res.stdout).not.toContain('\u001b');
  });
});
