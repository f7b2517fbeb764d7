// The floor for GET /v1/tenants?limit=50: node:http and better-sqlite3 with nothing between them,
// answering the API's own first-page query (the same join, order and limit) with JSON.stringify.
// No auth, validation, scoping or headers: what the API does beyond this is what it costs.
// Usage: node bench/floor-server.js <dotmac.db>   (prints "listening on http://…" when ready)
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
const firstPage = db.prepare(
  'select tenants.*, resellers.slug as reseller_slug from tenants left join resellers on resellers.id = tenants.reseller_id order by tenants.id limit ?',
);

const server = createServer((req, res) => {
  const limit = Number(new URL(req.url, 'http://floor').searchParams.get('limit') ?? 50);
  const rows = firstPage.all(limit + 1);
  const data = rows.slice(0, limit);
  const body = JSON.stringify({ data, next_cursor: rows.length > limit ? Buffer.from(data.at(-1).id).toString('base64url') : null });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
