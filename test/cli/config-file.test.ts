import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonErrorPosition, keyLines, readConfigFile } from '../../src/cli/config-file.js';

const at = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'dotmac-config-file-')), name);
  writeFileSync(path, text);
  return path;
};

describe('configuration files', () => {
  it('reads YAML and JSON keyed by category.name', async () => {
    expect(await readConfigFile(at('a.yaml', 'billing.currency: USD\nsecurity.mfa_required: true\nbranding.motto:\n  en: Fast\n'))).toEqual({
      'billing.currency': 'USD',
      'security.mfa_required': true,
      'branding.motto': { en: 'Fast' },
    });
    expect(await readConfigFile(at('a.json', '{"billing.currency": "USD", "network.radius_port": 1812}'))).toEqual({ 'billing.currency': 'USD', 'network.radius_port': 1812 });
  });

  it('refuses a YAML file nested too deep for its parser as bad input, never a stack overflow (JSON.parse has no such limit; the depth check comes after)', async () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    await expect(readConfigFile(at('deep.yaml', `notifications.deep: ${deep(5000)}\n`))).rejects.toThrow(/^.*deep\.yaml: line 1, column \d+: values nest too deeply to read$/);
  });

  it('names the line of a JSON error wherever JSON.parse gave up, with or without a position', async () => {
    const cases: [string, number][] = [
      ['{\n  "a.b": 1,\n  "c.d": tru\n}', 3],
      ['{\n  "a.b": 1\n  "c.d": 2\n}', 3],
      ['{\n  "a.b": 1,\n}', 3],
      ['{\n  "a.b": "x\ny"\n}', 2],
      ['{\n  "a.b": [1, 2\n', 3],
      ['{"a.b": 01}', 1],
    ];
    for (const [text, line] of cases) {
      await expect(readConfigFile(at('bad.json', text)), text).rejects.toThrow(new RegExp(`bad\\.json: line ${line}, column \\d+: not valid JSON`));
    }
    expect(jsonErrorPosition('{"a": 1}')).toBe(8);
    // the message says where, never what: the text there may be a secret
    const leak = await readConfigFile(at('secret.json', '{"network.radius_secret": "s3cret\u0001tail"}')).catch((error: Error) => error.message);
    expect(leak).toMatch(/secret\.json: line 1, column \d+: not valid JSON$/);
    expect(leak).not.toContain('s3cret');
  });

  it('names the line of a YAML error, and refuses a file that is not one mapping of category.name keys', async () => {
    await expect(readConfigFile(at('dup.yaml', 'billing.currency: USD\nbilling.currency: EUR\n'))).rejects.toThrow(/dup\.yaml: line 2, column 1: not valid YAML/);
    await expect(readConfigFile(at('tab.yaml', 'billing.currency: USD\nsecurity:\n\t- x\n'))).rejects.toThrow(/tab\.yaml: line 3/);
    // a bracket or quote left open is named where it opens, not where the parser gave up on it
    const open: [string, string, string][] = [
      ['billing.currency: USD\nnetwork.dns: [1.1.1.1, 8.8.8.8\nsecurity.session_timeout_minutes: 30\n', 'line 2, column 14', 'at line 3'],
      ['billing.currency: USD\nnetwork.dns: {a: 1\n', 'line 2, column 14', 'at the end of the file'],
      ['billing.currency: "USD\nsecurity.session_timeout_minutes: 30\n', 'line 1, column 19', 'at the end of the file'],
      ["billing.currency: USD\nnetwork.x:\n  inner: [1,\n    2\nsecurity.session_timeout_minutes: 30\n", 'line 3, column 10', 'at line 5'],
      // the open bracket, not a closed item inside it; beside pairs with empty values (which the walk visits as null)
      ['network.a: [1, [2, 3]\nbilling.tax: 5\n', 'line 1, column 12', 'at line 2'],
      ['network.a: {x: 1, y: "z"\nbilling.tax: 5\n', 'line 1, column 12', 'at line 2'],
      ["network.a: [1, 'it''s'\nbilling.tax: 5\n", 'line 1, column 12', 'at line 2'],
      ['network.a: {x, y}\nnetwork.b: [1, 2\nbilling.tax: 5\n', 'line 2, column 12', 'at line 3'],
      ['? network.a\nnetwork.b: [1\n', 'line 2, column 12', 'at the end of the file'],
      ['network.a: {x\nbilling.tax: 5\n', 'line 1, column 12', 'at line 2'],
      ['network.dns: [1.1.1.1, [8.8.8.8, {a: [1, 2]}\nb.c: 5\n', 'line 1, column 24', 'at line 2'],
      ['network.a: ["x]", \'y}\'\nb.c: 5\n', 'line 1, column 12', 'at line 2'],
    ];
    for (const [text, where, still] of open) {
      await expect(readConfigFile(at('open.yaml', text)), text).rejects.toThrow(new RegExp(`open\\.yaml: ${where}: not valid YAML \\(.*; it opens here and is still open ${still}\\)$`));
    }
    const alias = await readConfigFile(at('alias.yaml', 'network.radius_secret: *s3cr3t\n')).catch((error: Error) => error.message);
    expect(alias).toMatch(/alias\.yaml: not valid YAML \(Unresolved alias \(the anchor must be set before the alias\)\)$/);
    // a bracket or quote that is closed is never blamed for an error after it
    const closedBefore: [string, string][] = [
      ['network.a: [1, 2]\n  bad: indent\n', 'line 2, column 1'],
      ['network.radius_secret: "hunter2"\n  bad: indent\n', 'line 2, column 1'],
      ['network.a: [\n  1,\n  2,\n]\n  bad: x\n', 'line 5, column 1'],
      ['network.a: [{x: 1}\n  {y: 2}]\n', 'line 2, column 3'],
    ];
    for (const [text, where] of closedBefore) {
      const message = await readConfigFile(at('closed.yaml', text)).catch((error: Error) => error.message);
      expect(message, text).toMatch(new RegExp(`^.*closed\\.yaml: ${where}: not valid YAML \\(`));
      expect(message, text).not.toContain('it opens here');
      expect(message, text).not.toContain('hunter2');
    }
    await expect(readConfigFile(at('list.yaml', '- a\n- b\n'))).rejects.toThrow(/one mapping/);
    await expect(readConfigFile(at('nested.yaml', 'network:\n  radius_port: 1812\n'))).rejects.toThrow(/"network" is not a key/);
  });
});

describe('the lines of a file\'s keys', () => {
  it('finds plain, double- and single-quoted YAML keys and JSON keys, the first of a repeated one, and skips comments and nested keys', () => {
    const yaml = 'billing.currency: EUR\n# network.radius_port: 1\n"notifications.smtp_host": x\n\'it\'\'s.odd\': 1\nnetwork.radius_port:\n  nested: 2\nbilling.currency: USD\n';
    expect([...keyLines(yaml)]).toEqual([['billing.currency', 1], ['notifications.smtp_host', 3], ["it's.odd", 4], ['network.radius_port', 5]]);
    const json = '{\r\n  "billing.currency": "EUR",\r\n  "a\\"b.c": 1\r\n}';
    expect([...keyLines(json)]).toEqual([['billing.currency', 2], ['a"b.c', 3]]);
  });
});
