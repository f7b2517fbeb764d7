// The floor for a local `dotmac tenants list --json`: Node and better-sqlite3 printing the same
// first page (the same query and the same indented JSON), with nothing else.
// Usage: node bench/floor-cli.js <dotmac.db>
import { createRequire } from 'node:module';

const Database = createRequire(import.meta.url)('better-sqlite3');
const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
const rows = db
  .prepare('select tenants.*, resellers.slug as reseller_slug from tenants left join resellers on resellers.id = tenants.reseller_id order by tenants.id limit 51')
  .all();
process.stdout.write(`${JSON.stringify(rows.slice(0, 50), null, 2)}\n`);
