import { Option, type Command } from 'commander';
import { createInterface } from 'node:readline';
import { getUserRow } from '../auth/user.service.js';
import type { Context } from '../context.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from '../domain/signature.js';
import type { SignatureInput } from '../signatures/signature.schemas.js';
import { cliActor } from './options.js';

export interface SignFlags {
  signAs?: string;
  meaning?: SignatureMeaning;
}

/**
 * `--sign-as USER --meaning M` on a command whose operation can be signed (21 CFR 11.50,
 * 11.200): the user enters their password, read from the terminal without echo or from the
 * first line of standard input (for scripts: `--sign-as ann --meaning approved < secret`).
 */
export function signOptions<C extends Command>(command: C): C {
  command.option(
    '--sign-as <username>',
    'sign as this user, who does the operation and enters their password (terminal, or the first line of standard input)',
  );
  command.addOption(
    new Option('--meaning <meaning>', 'what the signer declares').choices(SIGNATURE_MEANINGS),
  );
  return command;
}

/**
 * Who does a signable operation from the command line: the command line itself (an admin of
 * the database it opens, who cannot sign), or with --sign-as the user who signs — the operation
 * is theirs, so their role must allow it, and their password is checked by the service like a
 * signature given in the UI (a wrong one refused and logged).
 */
export async function signerOf(
  ctx: Context,
  flags: SignFlags,
): Promise<{ actor: Actor; signature?: SignatureInput }> {
  if (flags.signAs === undefined) {
    if (flags.meaning !== undefined)
      throw new ValidationError('sign-as', 'give the signer with --sign-as USER');
    return { actor: cliActor() };
  }
  if (flags.meaning === undefined)
    throw new ValidationError(
      'meaning',
      `say what the signature means: --meaning ${SIGNATURE_MEANINGS.join(' | ')}`,
    );
  const user = await getUserRow(ctx, flags.signAs);
  if (user.disabled !== 0)
    throw new ForbiddenError(`the user '${user.username}' is disabled`, 'sign-as');
  if (user.role === 'viewer')
    throw new ForbiddenError(`'${user.username}' is a viewer and cannot make changes`, 'sign-as');
  const password = await readPassword(`Password of ${user.username} (to sign): `);
  return {
    actor: { code: user.code, name: user.username, role: user.role },
    signature: { password, meaning: flags.meaning },
  };
}

/** A password from the terminal, not echoed; or the first line of standard input. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const lines = createInterface({ input: stdin });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    throw new ValidationError('sign-as', 'no password on standard input');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let password = '';
  try {
    for await (const chunk of stdin) {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return password;
        if (char === '\u0003') throw new ValidationError('sign-as', 'signing cancelled');
        if (char === '\u007f' || char === '\b') password = password.slice(0, -1);
        else password += char;
      }
    }
    return password;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
