import type { Command } from 'commander';
import { approveBom } from '../../projects/bom-approval.service.js';
import type { Bom } from '../../projects/project.schemas.js';
import { wholeNumber } from '../arguments.js';
import { codeOf } from '../codes.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson } from '../output.js';
import { signerOf, signOptions, type SignFlags } from '../signing.js';

/**
 * `tracelot bom approve PROJECT --revision N`: like `build finish`, the command line acts as
 * the local admin without a password of its own, so it approves unsigned; where an admin
 * requires a signature for bom_approved, it is refused (409) and the approval is signed in the
 * web UI or through the API by a user.
 */
export function bomApprovalCommand(bom: Command): void {
  signOptions(
    withDatabaseOptions(
      bom
        .command('approve')
        .description("approve the project's current BOM revision (once; signable: bom_approved)")
        .argument('<project>', 'code, short code or exact name')
        .requiredOption(
          '--revision <n>',
          'the revision reviewed: must be the current one',
          wholeNumber,
        )
        .option('--note <text>', 'e.g. the change order it answers')
        .option('--json', 'print JSON'),
    ),
  ).action(
    (
      ref: string,
      flags: DatabaseFlags & SignFlags & { revision: number; note?: string; json?: boolean },
    ) =>
      withContext(flags, async (ctx) => {
        const project = await codeOf(ctx, ref, 'project', 'project');
        const { actor, signature } = await signerOf(ctx, flags);
        const bom = await approveBom(ctx, actor, project, {
          revision: flags.revision,
          note: flags.note ?? '',
          signature,
        });
        if (flags.json) return printJson(bom);
        console.log(approvalLine(bom));
      }),
  );
}

/** "Revision 2 — approved by ann at 2026-…, signed (approved)", or "Revision 2 — not approved". */
export function approvalLine(bom: Bom): string {
  const a = bom.approval;
  if (!a) return `Revision ${bom.revision} — not approved`;
  const signed = a.signature ? `, signed (${a.signature.meaning})` : '';
  return `Revision ${bom.revision} — approved by ${a.by.name} at ${a.at}${signed}${a.note ? `: ${a.note}` : ''}`;
}
