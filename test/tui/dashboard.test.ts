// The dashboard as a person drives it, in ink-testing-library against the in-process API: every
// view, every key, drill-down and back, filter, actions (confirmed, refused read-only), resize,
// too small, an API that goes away. Frames are waited for, never slept on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/harness.js';
import { deployed } from '../support/jobs.js';
import { cuttableClient, FakeScreen, KEY, startDashboard, withoutRoutes, type Dashboard } from './dashboard-support.js';

let api: TestApi;
let dash: Dashboard | undefined;

beforeEach(async () => {
  api = await startTestApi();
  await api.admin.resellers.create({ slug: 'fiber-partners', name: 'Fiber Partners' });
  await api.admin.tenants.create({ slug: 'acme', name: 'Acme ISP', reseller: 'fiber-partners' });
  await api.admin.tenants.create({ slug: 'beta', name: 'Beta Net' });
  await api.admin.tenants.create({ slug: 'gamma', name: 'Gamma Fiber' });
});

afterEach(async () => {
  dash?.unmount();
  dash = undefined;
  await api.close();
});

const tokenFor = async (body: Parameters<TestApi['admin']['tokens']['create']>[0]) => (await api.admin.tokens.create(body)).token;

describe('the dashboard', () => {
  it('opens on the tenants view with a header naming profile, role, API and the refresh time', async () => {
    dash = await startDashboard(api.admin, { profile: 'local' });
    const frame = await dash.waitFor('acme');
    expect(frame).toMatch(/dotmac │ refreshed \d\d:\d\d:\d\d │ profile local │ master_admin admin@dotmac\.local │ API local/);
    expect(frame).not.toMatch(/read-only/);
    expect(frame).toMatch(/\[tenants\]/);
    expect(frame).toMatch(/Tenants · 3 rows/);
  });

  it('neutralises escape sequences in text from the API', async () => {
    // the API refuses control characters; a row written around it (an old release, a restore) may still hold them
    await api.connection.db.updateTable('tenants').set({ name: 'G\u001b[31mR\u202eF' }).where('slug', '=', 'gamma').execute();
    dash = await startDashboard(api.admin);
    const frame = await dash.waitFor('gamma');
    expect(frame).toContain('G\\x1b[31mR\\u202eF');
    expect(frame).not.toContain('\u001b[31m');
    expect(frame).not.toContain('\u202e');
  });

  it('reaches every view of its role with : and says which cannot be reached', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    for (const [name, title] of [['deployments', 'Deployments'], ['health', 'Health'], ['tickets', 'Tickets'], ['quotes', 'Quotes'], ['pipeline', 'Pipeline'], ['commissions', 'Commissions'], ['customers', 'Customer health'], ['tenants', 'Tenants']]) {
      await dash.press(':');
      await dash.type(name!);
      await dash.press(KEY.enter);
      await dash.waitFor(new RegExp(`\\[${name}\\][\\s\\S]*\\n${title}`));
    }
    await dash.press(':');
    await dash.type('nonsense');
    await dash.waitFor(':nonsense');
    await dash.press(KEY.enter);
    await dash.waitFor('unknown view: nonsense');
  });

  it('says tickets are not available on an API without the tickets route', async () => {
    dash = await startDashboard(withoutRoutes(api, (api.admin as unknown as { token: string }).token, '/v1/tickets'));
    await dash.waitFor('acme');
    await dash.press(':');
    await dash.type('tickets');
    await dash.press(KEY.enter);
    await dash.waitFor('tickets are not available on this API');
  });

  it('shows a tenant admin its own views, not the others', async () => {
    dash = await startDashboard(api.as(await tokenFor({ role: 'tenant_admin', tenant: 'acme' })), { screen: new FakeScreen(140, 30) });
    const frame = await dash.waitFor(/\[health\][\s\S]*acme/);
    expect(frame).toMatch(/tenant_admin \S+ · tenant acme/);
    expect(frame).not.toMatch(/beta|gamma/);
    expect(frame).not.toMatch(/ quotes /);
    await dash.press(':');
    await dash.type('quotes');
    await dash.press(KEY.enter);
    await dash.waitFor('the quotes view is not available to the tenant_admin role');
  });

  it('shows a reseller its own customers and its sales views', async () => {
    dash = await startDashboard(api.as(await tokenFor({ role: 'reseller', reseller: 'fiber-partners' })), { screen: new FakeScreen(140, 30) });
    const frame = await dash.waitFor(/\[tenants\][\s\S]*acme/);
    expect(frame).toMatch(/reseller \S+ · reseller fiber-partners/);
    expect(frame).not.toMatch(/beta/);
    expect(frame).toMatch(/ pipeline .* commissions .* customers/);
  });

  it('moves with j, k and the arrows, drills into a tenant and goes back with Esc', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    const frame = await dash.waitFor(/^> \S+/m);
    const order = [...frame.matchAll(/^[> ] +(acme|beta|gamma)\b/gm)].map((match) => match[1]!);
    expect(order).toHaveLength(3);
    // each key is followed until the selection shows it, never read on a guess of when React commits
    const selects = (slug: string) => dash!.waitFor(new RegExp(`^> ${slug}\\b`, 'm'));
    await selects(order[0]!);
    await dash.press('j');
    await selects(order[1]!);
    await dash.press(KEY.down);
    await selects(order[2]!);
    await dash.press(KEY.up, 'k');
    await selects(order[0]!);
    await dash.press('j', 'j', 'j', 'j');
    // the last row holds: moving past the end stays on it
    await selects(order[2]!);
    const third = order[2]!;
    await dash.press(KEY.enter);
    const detail = await dash.waitFor(new RegExp(`tenant ${third}[\\s\\S]*Health[\\s\\S]*Configuration[\\s\\S]*Deployments[\\s\\S]*Tickets[\\s\\S]*none open`));
    expect(detail).not.toMatch(/loading/);
    await dash.press(KEY.escape);
    await dash.waitFor(/Tenants · 3 rows/);
    await selects(third);
  });

  it('drills into a tenant with a deployment: its deployments and latency', async () => {
    await deployed(api, 'beta', '2.1.0');
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press('/');
    await dash.type('beta');
    await dash.press(KEY.enter);
    await dash.waitFor(/filter "beta" · 1 row/);
    await dash.press(KEY.enter);
    await dash.waitFor(/tenant beta[\s\S]*Deployments\n\s+dep_\S+\s+deploy 2\.1\.0\s+succeeded/);
  });

  it('filters the list through the API, and Esc clears the filter', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press('/');
    await dash.type('net');
    await dash.waitFor('/net');
    await dash.press(KEY.backspace);
    await dash.type('t');
    await dash.press(KEY.enter);
    const filtered = await dash.waitFor(/filter "net" · 1 row/);
    expect(filtered).toContain('beta');
    expect(filtered).not.toMatch(/acme|gamma/);
    await dash.press('/');
    await dash.type('zzz');
    await dash.press(KEY.enter);
    await dash.waitFor('nothing matches');
    await dash.press(KEY.escape);
    await dash.waitFor(/Tenants · 3 rows/);
  });

  it('lists every key with ?, and any key closes it', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press('?');
    const help = await dash.waitFor('Keys (any key closes)');
    for (const key of ['j / ↓', 'k / ↑', 'Enter', 'Esc', ':NAME', '/TEXT', 'a ', 'r ', '? ', 'q ']) expect(help).toContain(key);
    await dash.press('x');
    await dash.waitFor('acme', 'Keys (any key closes)');
  });

  it('refreshes with r: a change made elsewhere shows up', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await api.admin.tenants.create({ slug: 'delta', name: 'Delta' });
    await dash.press('r');
    await dash.waitFor(/Tenants · 4 rows[\s\S]*delta/);
  });

  it('suspends a tenant after confirmation, showing the command line, and the API says so', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press('/');
    await dash.type('acme');
    await dash.press(KEY.enter);
    await dash.waitFor(/filter "acme" · 1 row/);
    await dash.press('a');
    const menu = await dash.waitFor('Actions');
    expect(menu).toMatch(/s  suspend acme\s+\$ dotmac tenants suspend acme/);
    expect(menu).toMatch(/u  resume acme\s+\$ dotmac tenants resume acme/);
    await dash.press('s');
    await dash.waitFor(/suspend acme\?[\s\S]*same as: dotmac tenants suspend acme[\s\S]*y to confirm/);
    expect((await api.admin.tenants.get('acme')).status).toBe('active');
    await dash.press('n');
    await dash.waitFor('suspend acme: not confirmed, nothing was changed');
    expect((await api.admin.tenants.get('acme')).status).toBe('active');

    await dash.press('a', 's', 'y');
    await dash.waitFor(/suspended acme\s+\$ dotmac tenants suspend acme/);
    expect((await api.admin.tenants.get('acme')).status).toBe('suspended');
    await dash.waitFor(/> acme\s+Acme ISP\s+suspended/);
  });

  it('refuses an action on a read-only profile, sending nothing', async () => {
    dash = await startDashboard(api.admin, { readOnly: true, profile: 'prod' });
    const frame = await dash.waitFor('acme');
    expect(frame).toMatch(/^dotmac │ refreshed \d\d:\d\d:\d\d │ read-only │ profile prod/m);
    await dash.press('a', 's');
    await dash.waitFor(/profile "prod" is read-only: suspend \S+ refused, nothing was changed\s+\$ dotmac tenants suspend/);
    expect(frame).not.toMatch(/y to confirm/);
    for (const slug of ['acme', 'beta', 'gamma']) expect((await api.admin.tenants.get(slug)).status).toBe('active');
  });

  it('refuses an action the role may not take before asking', async () => {
    dash = await startDashboard(api.as(await tokenFor({ role: 'reseller', reseller: 'fiber-partners' })));
    await dash.waitFor('acme');
    await dash.press('a', 's');
    await dash.waitFor(/the reseller role may not suspend acme \(master_admin only\)/);
    expect((await api.admin.tenants.get('acme')).status).toBe('active');
  });

  it('keeps the last data with a warning while the API is unreachable, and recovers', async () => {
    const { client, cut } = cuttableClient(api, (api.admin as unknown as { token: string }).token);
    dash = await startDashboard(client);
    const before = await dash.waitFor('acme');
    const refreshed = /refreshed (\d\d:\d\d:\d\d)/.exec(before)![1];
    cut(true);
    await dash.press('r');
    const stale = await dash.waitFor(/API unreachable, showing data from/);
    expect(stale).toContain(`showing data from ${refreshed}`);
    expect(stale).toMatch(/acme[\s\S]*beta/);
    expect(stale).toMatch(/ECONNREFUSED/);
    cut(false);
    await dash.press('r');
    await dash.waitFor('acme', 'API unreachable');
  });

  it('below 80×24 shows only that the terminal is too small, until resized', async () => {
    const screen = new FakeScreen(100, 30);
    dash = await startDashboard(api.admin, { screen });
    await dash.waitFor('acme');
    screen.resize(79, 30);
    expect(await dash.waitFor('terminal too small')).toBe('terminal too small (need 80×24)');
    screen.resize(120, 23);
    await dash.waitFor('terminal too small');
    screen.resize(80, 24);
    const fitted = await dash.waitFor('acme');
    expect(fitted.split('\n').length).toBeLessThanOrEqual(24);
    expect(Math.max(...fitted.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(80);
    screen.resize(160, 50);
    const wide = await dash.waitFor(/refreshed/);
    expect(wide.split('\n').length).toBeLessThanOrEqual(50);
  });

  it('quits with q', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press('q');
    await dash.exited();
    // after exit Ink stops reading keys: a later key changes nothing
    const last = dash.frame();
    await dash.press('j');
    expect(dash.frame()).toBe(last);
  });
});

describe('the deployments view', () => {
  it('names each deployment\'s tenant by slug and filters by a tenant\'s name through the API', async () => {
    await deployed(api, 'beta', '2.1.0');
    await deployed(api, 'gamma', '3.0.0');
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press(':');
    await dash.type('deployments');
    await dash.press(KEY.enter);
    const frame = await dash.waitFor(/Deployments · 2 rows/);
    expect(frame).toMatch(/ beta +deploy +2\.1\.0 /);
    expect(frame).toMatch(/ gamma +deploy +3\.0\.0 /);
    expect(frame).not.toMatch(/ten_/);
    await dash.press('/');
    // the name is not on screen: only the API's search can match it
    await dash.type('Gamma Fib');
    await dash.press(KEY.enter);
    const filtered = await dash.waitFor(/filter "Gamma Fib" · 1 row/);
    expect(filtered).toMatch(/ gamma +deploy +3\.0\.0 /);
    expect(filtered).not.toMatch(/ beta +deploy/);
  });
});

describe('keys that arrive together', () => {
  it('applies a filter typed with its Enter in one chunk, as a fast terminal or a paste sends it', async () => {
    dash = await startDashboard(api.admin);
    await dash.waitFor('acme');
    await dash.press('/');
    await dash.press('beta\r');
    await dash.waitFor(/filter "beta" · 1 row/);
    await dash.press(':deployments\r');
    await dash.waitFor(/\[deployments\]/);
  });
});
