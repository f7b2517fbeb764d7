import { describe, expect, it } from 'vitest';

import { AUDIT_COLUMNS, RESELLER_COLUMNS, TENANT_COLUMNS, TOKEN_COLUMNS } from '../../src/cli/columns.js';
import { CliError, EXIT } from '../../src/cli/errors.js';
import { terminalWidth } from '../../src/cli/factory.js';
import { listFlags } from '../../src/cli/flags.js';
import { type Column, type OutputOptions, colorEnabled, columnName, jsonText, parseColumns, pickFields, renderList, renderRecord, terminalSafe } from '../../src/cli/output.js';

const columns: Column[] = [
  { key: 'id' },
  { key: 'name', header: 'Tenant' },
  { key: 'plan', get: (row: { plan?: { name: string } | null }) => row.plan?.name },
  { key: 'createdAt' },
];

const rows = [
  { id: 't_1', name: 'Acme Fibre, Ltd "north"', plan: { name: 'pro' }, createdAt: '2024-01-02T03:04:05.000Z' },
  { id: 't_2', name: 'Line\nbreak', plan: null, createdAt: null },
];

const opts = (format: OutputOptions['format'], more: Partial<OutputOptions> = {}): OutputOptions => ({
  format,
  color: false,
  ...more,
});

const ANSI = /\u001B\[/;
const visibleWidth = (line: string) => [...line.replace(/\u001B\[[0-9;]*m/g, '')].length;

const lines = (out: string) => out.replace(/\n$/, '').split('\n');

describe('table', () => {
  it('is borderless: upper-cased headers, columns two spaces apart, derived values, no colour codes', () => {
    const out = renderList(rows, columns, opts('table'));
    expect(out).not.toMatch(ANSI);
    expect(out).not.toMatch(/[│┌─┐└┘|]/);
    expect(lines(out)).toEqual([
      'ID   TENANT                   PLAN  CREATEDAT',
      't_1  Acme Fibre, Ltd "north"  pro   2024-01-02T03:04:05.000Z',
      't_2  Line\\nbreak',
    ]);
  });

  it('colours the header only when asked', () => {
    const out = renderList(rows, columns, opts('table', { color: true }));
    expect(lines(out)[0]).toMatch(ANSI);
    expect(lines(out)[1]).not.toMatch(ANSI);
  });

  it('prints only the header for an empty list', () => {
    expect(renderList([], columns, opts('table'))).toBe('ID  TENANT  PLAN  CREATEDAT\n');
  });

  it('prints objects as compact JSON and dates as ISO strings', () => {
    const out = renderList([{ id: { a: [1, 2] }, createdAt: new Date(0) }], [{ key: 'id' }, { key: 'createdAt' }], opts('table'));
    expect(out).toContain('{"a":[1,2]}');
    expect(out).toContain('1970-01-01T00:00:00.000Z');
  });

  it('aligns East Asian wide text by its width on screen', () => {
    const out = lines(renderList([{ id: 't_1', name: '日本' }, { id: 't_2', name: 'ab' }], [{ key: 'name' }, { key: 'id' }], opts('table')));
    expect(out).toEqual(['NAME  ID', '日本  t_1', 'ab    t_2']);
  });
});

describe('a list at the terminal width', () => {
  const tenant = {
    id: 'ten_01m8ajdae80qrnxw437w0m7jvt',
    slug: 'a-rather-long-tenant-slug',
    name: 'A Name That Is Much Too Long For A Narrow Terminal Window',
    status: 'provisioning',
    plan: 'professional',
    region: 'eu-west',
    reseller_slug: 'northwind-partners',
    reseller_id: 'res_01m8ajdae80qrnxw437w0m7jvv',
    contact_email: 'noc@example.net',
    created_at: '2026-11-25T23:59:45.096Z',
    updated_at: '2026-11-25T23:59:45.096Z',
    version: 1,
  };
  const tenants = [tenant, { ...tenant, id: 'ten_01m8ajsc3hg5pvtj9nc0zspxwa', slug: 'beta', name: 'Beta', status: 'active', plan: 'starter', reseller_slug: null }];
  const table = (width: number | undefined, more: Partial<OutputOptions> = {}) => lines(renderList(tenants, TENANT_COLUMNS, opts('table', { width, ...more })));
  const headers = (out: string[]) => out[0]!.trim().split(/\s{2,}/);

  it('shows every default column when the width allows, and never the extra fields', () => {
    const out = table(200);
    expect(headers(out)).toEqual(['SLUG', 'NAME', 'STATUS', 'PLAN', 'REGION', 'RESELLER', 'ID']);
    expect(out).toEqual(table(undefined));
    expect(out.join('\n')).not.toContain('noc@example.net');
  });

  it('drops the least important columns before cutting any text: id, then region, then reseller', () => {
    expect(headers(table(150))).toEqual(['SLUG', 'NAME', 'STATUS', 'PLAN', 'REGION', 'RESELLER']);
    expect(headers(table(135))).toEqual(['SLUG', 'NAME', 'STATUS', 'PLAN', 'RESELLER']);
    const out = table(120);
    expect(headers(out)).toEqual(['SLUG', 'NAME', 'STATUS', 'PLAN']);
    expect(out[1]).toContain(tenant.name);
    expect(out.join('\n')).not.toContain('…');
  });

  it('at 80 columns cuts only the name, and shows slugs, statuses and plans whole', () => {
    for (const color of [false, true]) {
      const out = table(80, { color });
      expect(Math.max(...out.map(visibleWidth))).toBeLessThanOrEqual(80);
      expect(headers(out.map((line) => line.replace(/\u001B\[[0-9;]*m/g, '')))).toEqual(['SLUG', 'NAME', 'STATUS', 'PLAN']);
      expect(out[1]).toBe('a-rather-long-tenant-slug  A Name That Is Much Too …  provisioning  professional');
      expect(out[2]).toBe('beta                       Beta                       active        starter');
    }
  });

  it('at 60 columns drops a name it cannot cut short enough, rather than wrap or cut a slug', () => {
    const out = table(60);
    expect(Math.max(...out.map(visibleWidth))).toBeLessThanOrEqual(60);
    expect(out).toEqual(['SLUG                       STATUS        PLAN', 'a-rather-long-tenant-slug  provisioning  professional', 'beta                       active        starter']);
  });

  it('with --columns keeps every chosen column, cutting only text', () => {
    const out = table(60, { columns: ['id', 'name', 'status'] });
    expect(Math.max(...out.map(visibleWidth))).toBeLessThanOrEqual(60);
    expect(headers(out)).toEqual(['ID', 'NAME', 'STATUS']);
    expect(out[1]).toBe('ten_01m8ajdae80qrnxw437w0m7jvt  A Name That I…  provisioning');
  });

  it('for a pipe prints tab-separated rows: no header, padding, colour or cutting', () => {
    const out = renderList(tenants, TENANT_COLUMNS, opts('tsv', { color: true, width: 40 }));
    expect(out).toBe(
      'a-rather-long-tenant-slug\tA Name That Is Much Too Long For A Narrow Terminal Window\tprovisioning\tprofessional\teu-west\tnorthwind-partners\tten_01m8ajdae80qrnxw437w0m7jvt\n' +
        'beta\tBeta\tactive\tstarter\teu-west\t\tten_01m8ajsc3hg5pvtj9nc0zspxwa\n',
    );
    expect(renderList([{ ...tenant, name: 'Tab\there' }], TENANT_COLUMNS, opts('tsv', { columns: ['name', 'slug'] }))).toBe('Tab\\there\ta-rather-long-tenant-slug\n');
    expect(renderList([], TENANT_COLUMNS, opts('tsv'))).toBe('');
  });

  it('fits the audit and token lists at 80 with actions, roles and ids whole', () => {
    const event = { seq: 12, id: 'aud_1', at: '2026-11-25T23:59:45.508Z', actor: 'usr_01m8ajda1avekxtkx43vj8aeys', role: 'master_admin', action: 'tenant.suspend', target_type: 'tenant', target_id: 'ten_01m8ajdae80qrnxw437w0m7jvt', tenant_id: null, request_id: null, reason: 'invoice 2026-10 unpaid after three reminders', details: {}, prev_hash: 'a', hash: 'b' };
    const audit = lines(renderList([event], AUDIT_COLUMNS, opts('table', { width: 80 })));
    expect(Math.max(...audit.map(visibleWidth))).toBeLessThanOrEqual(80);
    expect(audit[1]).toBe('12   2026-11-25T23:59:45.508Z  tenant.suspend  master_admin  invoice 2026-10 un…');
    const token = { jti: 'tok_01m8ajdav0v9nzkb990kgk5vc6', user_id: 'usr_1', email: 'tenant-admin@a-rather-long-tenant-slug.dotmac.local', role: 'tenant_admin', tenant_id: 'ten_01m8ajdae80qrnxw437w0m7jvt', reseller_id: null, label: 'ci', created_at: '', expires_at: '2026-12-25T23:59:45.504Z', revoked_at: null, created_by: null };
    const tokens = lines(renderList([token], TOKEN_COLUMNS, opts('table', { width: 80 })));
    expect(Math.max(...tokens.map(visibleWidth))).toBeLessThanOrEqual(80);
    expect(tokens[1]).toBe('tok_01m8ajdav0v9nzkb990kgk5vc6  tenant_admin  tenant-admin@a-rather-long…  ci');
  });
});

describe('a record', () => {
  const tenant = { slug: 'alpha', name: 'Alpha ISP', status: 'active', reseller_slug: null, contact_email: 'noc@alpha.example', version: 3 };
  const fields: Column[] = [{ key: 'slug' }, { key: 'name' }, { key: 'status' }, { key: 'reseller_slug', header: 'reseller' }, { key: 'contact_email', header: 'contact', extra: true }, { key: 'version' }];

  it('prints aligned field and value lines, borderless, with every field (extras too)', () => {
    expect(renderRecord(tenant, fields, opts('table'))).toBe(
      ['slug      alpha', 'name      Alpha ISP', 'status    active', 'reseller', 'contact   noc@alpha.example', 'version   3', ''].join('\n'),
    );
  });

  it('never cuts a value: a long one wraps at the terminal edge and copies whole', () => {
    const url = `https://example.net/${'p'.repeat(80)}`;
    const out = renderRecord({ slug: url }, fields, opts('table', { width: 40 }));
    expect(out).toContain(url);
    expect(out).not.toContain('…');
  });

  it('prints field<TAB>value lines for a pipe, and only the chosen fields when asked', () => {
    expect(renderRecord(tenant, fields, opts('tsv'))).toBe('slug\talpha\nname\tAlpha ISP\nstatus\tactive\nreseller\t\ncontact\tnoc@alpha.example\nversion\t3\n');
    expect(renderRecord(tenant, fields, opts('tsv', { columns: ['status', 'slug'] }))).toBe('status\tactive\nslug\talpha\n');
  });
});

describe('csv', () => {
  it('quotes per RFC 4180 with a header row of keys', () => {
    expect(renderList(rows, columns, opts('csv'))).toBe(
      'id,name,plan,createdAt\n' +
        't_1,"Acme Fibre, Ltd ""north""",pro,2024-01-02T03:04:05.000Z\n' +
        't_2,Line\\nbreak,,\n',
    );
  });

  it('renders a record as one row', () => {
    expect(renderRecord(rows[0]!, columns, opts('csv', { columns: ['plan', 'id'] }))).toBe('plan,id\npro,t_1\n');
  });
});

describe('json and yaml', () => {
  it('prints raw rows as JSON, untouched by column getters', () => {
    expect(JSON.parse(renderList(rows, columns, opts('json')))).toEqual(rows);
    expect(JSON.parse(renderList(rows, columns, opts('json', { columns: ['plan', 'id'] })))).toEqual([
      { plan: { name: 'pro' }, id: 't_1' },
      { plan: null, id: 't_2' },
    ]);
    expect(renderRecord(rows[0]!, columns, opts('json', { columns: ['id'] }))).toBe('{\n  "id": "t_1"\n}\n');
    expect(renderList([], columns, opts('json'))).toBe('[]\n');
  });

  it('prints block YAML, quoting strings that need it', () => {
    expect(renderList(rows, columns, opts('yaml'))).toBe(
      [
        '- id: t_1',
        '  name: Acme Fibre, Ltd "north"',
        '  plan: {"name":"pro"}',
        '  createdAt: "2024-01-02T03:04:05.000Z"',
        '- id: t_2',
        '  name: "Line\\nbreak"',
        '  plan: null',
        '  createdAt: null',
        '',
      ].join('\n'),
    );
    const tricky = { a: 'true', b: '', c: '12', d: 'k: v', e: '#x', f: 'plain text', g: 3, h: false };
    expect(renderRecord(tricky, [], opts('yaml'))).toBe(
      'a: "true"\nb: ""\nc: "12"\nd: "k: v"\ne: "#x"\nf: plain text\ng: 3\nh: false\n',
    );
    expect(renderList([], columns, opts('yaml'))).toBe('[]\n');
  });
});

// What a tenant_admin or reseller could put in a name, and what must never reach a terminal raw.
const HOSTILE = 'Acme\u001b]0;owned\u0007 \u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u001b[1;1H\u009b31m\u007f\u202eevil\u202c\u2066x\u2069';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it('shows C0, DEL, C1 and bidi controls as visible escapes', () => {
    expect(terminalSafe('\u001b]0;title\u0007')).toBe('\\x1b]0;title\\x07');
    expect(terminalSafe('a\u007fb\u0085c\u009bd')).toBe('a\\x7fb\\x85c\\x9bd');
    expect(terminalSafe('\u202Aa\u202Eb\u2066c\u2069')).toBe('\\u202aa\\u202eb\\u2066c\\u2069');
    // zero-width, bidi marks and separators: text hidden or lines broken unseen
    expect(terminalSafe('a\u200bb\u200cc\u200ed\u200fe\u061cf\u2028g\u2029h\ufeffi')).toBe('a\\u200bb\\u200cc\\u200ed\\u200fe\\u061cf\\u2028g\\u2029h\\ufeffi');
    expect(jsonText('x\u200by\u2028')).toBe('"x\\u200by\\u2028"');
    expect(terminalSafe('one\ttwo\r\nthree\u0000')).toBe('one\\ttwo\\r\\nthree\\x00');
    expect(terminalSafe(HOSTILE)).not.toMatch(RAW_CONTROL);
  });

  it('leaves ordinary text, accents, CJK and emoji alone', () => {
    for (const text of ['FiberNet Ltd', 'Café Münster', '日本のISP', 'Net 🚀', 'a\\x1b literally', '\u00a0\u00ff\u200d']) expect(terminalSafe(text)).toBe(text);
  });
});

describe('hostile text in every renderer', () => {
  const tenant = { slug: 'acme', name: HOSTILE, status: 'active' };
  const tenantColumns: Column[] = [{ key: 'slug' }, { key: 'name' }, { key: 'status' }];

  it('neutralises table cells, records and tab-separated rows, keeping the text visible', () => {
    for (const out of [
      renderList([tenant], tenantColumns, opts('table')),
      renderList([tenant], tenantColumns, opts('table', { width: 60 })),
      renderRecord(tenant, tenantColumns, opts('table')),
      renderList([tenant], tenantColumns, opts('tsv')),
      renderRecord(tenant, tenantColumns, opts('tsv')),
    ]) {
      expect(out).not.toMatch(RAW_CONTROL);
      expect(out).toContain('\\x1b]0;owned');
    }
  });

  it('neutralises CSV cells and guards formulas, but not numbers', () => {
    const out = renderList([tenant], tenantColumns, opts('csv'));
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('acme,Acme\\x1b]0;owned\\x07 ');
    const cells = (value: unknown) => renderList([{ v: value }], [{ key: 'v' }], opts('csv')).split('\n')[1];
    expect(cells('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(cells('+cmd|calc')).toBe("'+cmd|calc");
    expect(cells('-2+3+cmd|calc')).toBe("'-2+3+cmd|calc");
    expect(cells('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(cells('\t=1')).toBe("'\\t=1");
    expect(cells('\r=1')).toBe("'\\r=1");
    expect(cells('a=b')).toBe('a=b');
    expect(cells(-5)).toBe('-5');
    expect(cells('-5')).toBe('-5');
    expect(cells('+1.5e3')).toBe('+1.5e3');
  });

  it('escapes DEL, C1 and bidi in JSON as \\u sequences: the same value, nothing raw', () => {
    const out = renderList([tenant], tenantColumns, opts('json'));
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('\\u009b31m\\u007f\\u202eevil');
    expect(JSON.parse(out)).toEqual([tenant]);
    expect(JSON.parse(renderRecord(tenant, tenantColumns, opts('json')))).toEqual(tenant);
    expect(jsonText({ a: '\u0085' })).toBe('{"a":"\\u0085"}');
  });

  it('quotes and escapes them in YAML, keys and nested values too', () => {
    const out = renderRecord({ name: HOSTILE, ['k\u202e']: 'v', nested: { n: '\u009b' } }, [], opts('yaml'));
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('name: "Acme\\u001b]0;owned\\u0007');
    expect(out).toContain('"k\\u202e": v');
    expect(out).toContain('nested: {"n":"\\u009b"}');
  });
});

describe('--columns', () => {
  it('returns the keys in the order given, or undefined when absent', () => {
    expect(parseColumns(undefined, columns)).toBeUndefined();
    expect(parseColumns('', columns)).toBeUndefined();
    expect(parseColumns('plan, id,plan', columns)).toEqual(['plan', 'id']);
  });

  it('takes header names in any case, raw field keys, and fields that are not shown by default', () => {
    expect(parseColumns('RESELLER,Contact,created', TENANT_COLUMNS)).toEqual(['reseller_slug', 'contact_email', 'created_at']);
    expect(parseColumns('reseller_slug,CONTACT_EMAIL,created_at,version', TENANT_COLUMNS)).toEqual(['reseller_slug', 'contact_email', 'created_at', 'version']);
    expect(parseColumns('reseller id, Reseller-ID', TENANT_COLUMNS)).toEqual(['reseller_id']);
    expect(parseColumns('Tenant', columns)).toEqual(['name']);
  });

  it('resolves every name and key of every list to its own column', () => {
    for (const set of [TENANT_COLUMNS, RESELLER_COLUMNS, TOKEN_COLUMNS, AUDIT_COLUMNS]) {
      for (const column of set) {
        expect(parseColumns(columnName(column), set)).toEqual([column.key]);
        expect(parseColumns(column.key.toUpperCase(), set)).toEqual([column.key]);
      }
    }
  });

  it('refuses unknown names with exit 2, listing the valid ones', () => {
    let err: unknown;
    try {
      parseColumns('slug,Colour,size', TENANT_COLUMNS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({
      message: 'unknown columns "Colour", "size"',
      hint: 'available columns: slug, name, status, plan, region, reseller, id, reseller_id, contact, created, updated, version',
      exitCode: EXIT.usage,
    });
  });

  it('lists the names in the flag\'s help, from the command\'s own columns', () => {
    expect(listFlags(TENANT_COLUMNS).columns.description).toContain('slug, name, status, plan, region, reseller, id, reseller_id, contact, created, updated, version');
    expect(listFlags(AUDIT_COLUMNS).columns.description).toContain('seq, at, action, role, actor, target, reason, id, target_type, tenant, request, details, prev_hash, hash');
  });

  it('selects table columns in the given order, extras included', () => {
    const out = lines(renderList([{ slug: 'alpha', contact_email: 'noc@alpha.example', plan: 'starter' }], TENANT_COLUMNS, opts('table', { columns: ['plan', 'contact_email', 'slug'] })));
    expect(out).toEqual(['PLAN     CONTACT            SLUG', 'starter  noc@alpha.example  alpha']);
  });

  it('projects JSON: just those fields, in that order', () => {
    const tenant = { id: 'ten_1', slug: 'alpha', name: 'Alpha', contact_email: null, created_at: '2026-01-01T00:00:00.000Z' };
    const out = renderList([tenant], TENANT_COLUMNS, opts('json', { columns: parseColumns('created,SLUG,contact', TENANT_COLUMNS) }));
    expect(out).toBe('[\n  {\n    "created_at": "2026-01-01T00:00:00.000Z",\n    "slug": "alpha",\n    "contact_email": null\n  }\n]\n');
    expect(Object.keys(pickFields(tenant, ['name', 'id']))).toEqual(['name', 'id']);
    expect(pickFields(tenant, undefined)).toBe(tenant);
  });
});

describe('colorEnabled', () => {
  it('honours NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '' })).toBe(false);
  });
});

describe('the width a table is fitted to', () => {
  it('is the terminal\'s, or $COLUMNS, or 80 when the terminal reports no size', () => {
    expect(terminalWidth(120, {})).toBe(120);
    expect(terminalWidth(120, { COLUMNS: '60' })).toBe(120);
    expect(terminalWidth(0, { COLUMNS: '100' })).toBe(100);
    expect(terminalWidth(undefined, {})).toBe(80);
    expect(terminalWidth(0, { COLUMNS: 'wide' })).toBe(80);
  });
});
