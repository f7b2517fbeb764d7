import { Flags } from '@oclif/core';
import { usageError } from './errors.js';

/** How `login` and `profiles add` take a token: from standard input, a flag, or DOTMAC_TOKEN. */
export const tokenFlags = {
  'with-token': Flags.boolean({ description: 'read the token from standard input (keeps it out of `ps` and shell history)', default: false, exclusive: ['token'] }),
  token: Flags.string({ description: 'the role token (JWT); prefer --with-token or DOTMAC_TOKEN, a token typed here shows in `ps` and shell history' }),
};

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function tokenFromInput(
  flags: { token?: string; 'with-token': boolean },
  env: NodeJS.ProcessEnv,
  notify: (line: string) => void,
  stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
): Promise<string> {
  let token: string;
  let source: string;
  if (flags['with-token']) {
    if (stdin.isTTY) notify('Paste the token, then press Enter and Ctrl-D:');
    token = (await readAll(stdin)).trim();
    source = 'standard input';
  } else if (flags.token !== undefined) {
    token = flags.token.trim();
    source = '--token';
  } else if (env.DOTMAC_TOKEN) {
    token = env.DOTMAC_TOKEN.trim();
    source = 'DOTMAC_TOKEN';
    notify('Note: using the token from DOTMAC_TOKEN');
  } else {
    throw usageError('no token given', 'pipe it to --with-token (`dotmac login --with-token < token.txt`), or set DOTMAC_TOKEN');
  }
  if (token === '') throw usageError(`the token from ${source} is empty`, 'pass the JWT that `dotmac tokens create` printed');
  if (!JWT_SHAPE.test(token)) throw usageError(`the token from ${source} is not a JWT (three base64url parts joined by dots)`, 'pass the JWT that `dotmac tokens create` printed');
  return token;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
