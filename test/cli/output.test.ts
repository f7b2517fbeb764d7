import { describe, expect, it } from 'vitest';

import { CliError, EXIT } from '../../src/cli/errors.js';
import { type Column, type OutputOptions, colorEnabled, jsonText, parseColumns, renderList, renderRecord, terminalSafe } from '../../src/cli/output.js';

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

describe('table', () => {
  it('prints upper-cased or named headers, derived values and no colour codes', () => {
    const out = renderList(rows, columns, opts('table'));
    expect(out).not.toMatch(ANSI);
    expect(out).toMatch(/│ ID\s+│ TENANT\s+│ PLAN\s+│ CREATEDAT\s+│/);
    expect(out).toContain('Acme Fibre, Ltd "north"');
    expect(out).toMatch(/│ t_1\s+│ Acme[^│]+│ pro\s+│ 2024-01-02T03:04:05.000Z │/);
    expect(out.endsWith('┘\n')).toBe(true);
  });

  it('colours the header only when asked', () => {
    expect(renderList(rows, columns, opts('table', { color: true }))).toMatch(ANSI);
  });

  it('prints a header-only table for an empty list', () => {
    const out = renderList([], columns, opts('table'));
    expect(out.trimEnd().split('\n')).toHaveLength(3);
    expect(out).toContain('CREATEDAT');
  });

  it('prints objects as compact JSON and dates as ISO strings', () => {
    const out = renderList([{ id: { a: [1, 2] }, createdAt: new Date(0) }], [{ key: 'id' }, { key: 'createdAt' }], opts('table'));
    expect(out).toContain('{"a":[1,2]}');
    expect(out).toContain('1970-01-01T00:00:00.000Z');
  });

  it('fits the terminal width by truncating the widest cells', () => {
    const long = [{ ...rows[0], name: 'x'.repeat(200) }];
    const natural = renderList(long, columns, opts('table'));
    expect(Math.max(...natural.trimEnd().split('\n').map(visibleWidth))).toBeGreaterThan(60);
    for (const width of [60, 40]) {
      for (const color of [false, true]) {
        const lines = renderList(long, columns, opts('table', { width, color })).trimEnd().split('\n');
        expect(Math.max(...lines.map(visibleWidth))).toBeLessThanOrEqual(width);
        expect(lines.join('\n')).toContain('…');
      }
    }
    expect(renderList(rows, columns, opts('table', { width: 500 }))).toBe(renderList(rows, columns, opts('table')));
  });

  it('wraps a record to the width instead of truncating it', () => {
    const url = `https://example.net/${'p'.repeat(80)}`;
    const out = renderRecord({ id: 't_1', name: url }, columns, opts('table', { width: 40 }));
    const lines = out.trimEnd().split('\n');
    expect(lines[1]).toMatch(/│ FIELD\s+│ VALUE\s+│/);
    expect(Math.max(...lines.map(visibleWidth))).toBeLessThanOrEqual(40);
    expect(out).not.toContain('…');
    const value = lines.filter((line) => line.includes('│')).map((line) => line.split('│')[2]?.trim() ?? '');
    expect(value.join('')).toContain(url);
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

  it('neutralises table cells and record values, keeping the text visible', () => {
    for (const out of [
      renderList([tenant], tenantColumns, opts('table')),
      renderList([tenant], tenantColumns, opts('table', { width: 60 })),
      renderRecord(tenant, tenantColumns, opts('table')),
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

describe('parseColumns', () => {
  it('returns the selection in order, or undefined when absent', () => {
    expect(parseColumns(undefined, columns)).toBeUndefined();
    expect(parseColumns('', columns)).toBeUndefined();
    expect(parseColumns('plan, id,plan', columns)).toEqual(['plan', 'id']);
  });

  it('rejects unknown keys, listing the available ones', () => {
    let err: unknown;
    try {
      parseColumns('id,colour', columns);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ message: 'unknown column "colour"', hint: 'available columns: id, name, plan, createdAt', exitCode: EXIT.usage });
  });

  it('selects table columns in the given order', () => {
    const out = renderList(rows, columns, opts('table', { columns: ['plan', 'id'] }));
    expect(out).toMatch(/│ PLAN │ ID\s+│/);
    expect(out).not.toContain('Tenant');
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
