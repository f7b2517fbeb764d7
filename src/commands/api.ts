import { Args, Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { BaseCommand } from '../cli/base-command.js';
import { usageError } from '../cli/errors.js';
import { jsonText, terminalSafe } from '../cli/output.js';
import { ApiError } from '../client/errors.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

export default class Api extends BaseCommand<typeof Api> {
  static override summary = 'Make a raw API call with the profile\'s token, like `gh api`';
  static override description = 'Prints the response body. A 4xx/5xx answer is printed too, and sets the exit code from the error kind.';
  static override examples = [
    '<%= config.bin %> api GET /v1/me',
    '<%= config.bin %> api GET "/v1/tenants?status=suspended&limit=5"',
    '<%= config.bin %> api POST /v1/tenants --data \'{"slug":"fibernet","name":"FiberNet"}\'',
    '<%= config.bin %> api PATCH /v1/tenants/fibernet --data @patch.json',
  ];
  static override enableJsonFlag = false;
  static override args = {
    method: Args.string({ description: 'HTTP method', required: true }),
    path: Args.string({ description: 'path and query, starting with /', required: true }),
  };
  static override flags = {
    data: Flags.string({ char: 'd', description: 'JSON body: inline, @file, or - for standard input' }),
    reason: Flags.string({ description: 'why; recorded in the audit trail', env: 'DOTMAC_REASON' }),
    include: Flags.boolean({ char: 'i', description: 'print the status line first', default: false }),
  };

  async run(): Promise<void> {
    const method = this.args.method.toUpperCase();
    if (!METHODS.includes(method)) throw usageError(`unknown method "${this.args.method}"`, `use one of ${METHODS.join(', ')}`);
    if (!this.args.path.startsWith('/')) throw usageError(`path "${this.args.path}" must start with /`, 'e.g. /v1/tenants');
    const body = this.flags.data === undefined ? undefined : await readBody(this.flags.data);
    const client = method === 'GET' || method === 'HEAD' ? await this.factory.client() : await this.writableClient();
    const res = await client.raw(method, this.args.path, { body, reason: this.flags.reason });
    if (this.flags.include) process.stdout.write(`HTTP ${res.status}\n`);
    if (res.body) process.stdout.write(`${pretty(res.body)}\n`);
    if (res.status >= 400) throw ApiError.fromResponse(res.status, res.body, res.headers.get('retry-after'));
  }
}

async function readBody(data: string): Promise<string> {
  let text = data;
  if (data === '-') text = await readStdin();
  else if (data.startsWith('@')) {
    text = await readFile(data.slice(1), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw usageError(`cannot read ${data.slice(1)} (${error.code ?? error.message})`, 'check the path after @');
    });
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw usageError(`--data is not valid JSON: ${(error as Error).message}`, 'pass a JSON object, @file or -');
  }
  return text;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function pretty(body: string): string {
  try {
    return jsonText(JSON.parse(body), 2);
  } catch {
    return terminalSafe(body);
  }
}
