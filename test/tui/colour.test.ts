// Colour is Ink's chalk, decided when Ink loads: forced on here, so a frame drawn with colour shows
// escape codes and the same frame under NO_COLOR (colour off) shows none.
process.env.FORCE_COLOR = '3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/harness.js';
import { themeFor } from '../../src/tui/theme.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await api.admin.tenants.create({ slug: 'acme', name: 'Acme ISP' });
});
afterAll(() => api.close());

it('draws colour when allowed and none at all with NO_COLOR', async () => {
  const { startDashboard } = await import('./dashboard-support.js');
  const coloured = await startDashboard(api.admin, { color: true });
  expect(await coloured.waitFor('acme')).toMatch(/\u001b\[[0-9;]*m/);
  coloured.unmount();
  const plain = await startDashboard(api.admin, { color: false });
  const frame = await plain.waitFor('acme');
  expect(frame).not.toMatch(/\u001b\[(?:3\d|4\d|9\d|7)(?:;[0-9;]*)?m/);
  // bold is not colour: the selection still shows without it, by its marker
  expect(frame.replace(/\u001b\[(?:1|22)m/g, '')).toMatch(/^> acme/m);
  plain.unmount();
});

it('takes a tenant brand colour only as #rrggbb, and none without colour', () => {
  expect(themeFor(true, { primary_color: '#112233' }).accent).toBe('#112233');
  expect(themeFor(true, { primary_color: 'red; \u001b[5m' }).accent).toBe('cyan');
  expect(themeFor(false, { primary_color: '#112233' })).toEqual({ color: false });
});
