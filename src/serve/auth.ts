import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { invalidInput } from '../errors.js';

/** Tells whether an Authorization header carries the bearer token; never logs or returns it. */
export type TokenCheck = (authorization: string | undefined) => boolean;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The check compares SHA-256 digests of the presented and the expected token with
 * crypto.timingSafeEqual: equal-length inputs whatever the caller sends, so neither the content
 * nor the length of the token leaks through response times.
 */
export function bearerCheck(token: string): TokenCheck {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(authorization ?? '');
    return timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
  };
}

/** The token of `--token-file`: its content without surrounding whitespace, at least 16 characters. */
export async function readTokenFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw invalidInput(`--token-file ${file} cannot be read (${code})`, { field: 'token-file' });
  }
  const token = text.trim();
  if (!/^[\x21-\x7e]{16,}$/.test(token))
    throw invalidInput(
      `--token-file ${file} must hold one token of at least 16 printable ASCII characters without spaces`,
      { field: 'token-file' },
    );
  return token;
}
