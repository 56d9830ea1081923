import { Option, type Command } from 'commander';
import { megabytes } from '../arguments.js';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  getAttachment,
  listAttachments,
  openAttachmentContent,
  removeAttachment,
  uploadAttachment,
} from '../../attachments/attachment.service.js';
import { DEFAULT_MAX_UPLOAD_BYTES, formatBytes } from '../../attachments/file-store.js';
import { ValidationError } from '../../domain/errors.js';
import {
  cliActor,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  showCommand,
  filesOf,
} from '../options.js';
import { printFields, printJson, printTable } from '../output.js';
import { codeOf } from '../codes.js';

// Files live in the data folder (--data) whichever database holds the records.
export function attachmentCommands(program: Command): void {
  withDatabaseOptions(
    program
      .command('attach')
      .description('attach a file to a lot, part, build, project, location or service event')
      .argument('<subject>', 'code of the object')
      .argument('<file>', 'path of the file')
      .option('--note <text>', 'a note shown with the file', '')
      .option('--name <name>', 'file name to show (default: the file’s own name)')
      .addOption(
        new Option('--max-upload-mb <mb>', 'largest file accepted, in MB')
          .env('TRACELOT_MAX_UPLOAD_MB')
          .default(DEFAULT_MAX_UPLOAD_BYTES / 1024 / 1024)
          .argParser(megabytes),
      )
      .option('--json', 'print JSON'),
  ).action(
    async (
      subject: string,
      file: string,
      flags: DatabaseFlags & { note: string; name?: string; maxUploadMb: number; json?: boolean },
    ) => {
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new ValidationError('file', `'${file}' is not a readable file`);
      await withContext(flags, async (ctx) => {
        const store = await filesOf(ctx, flags, Math.round(flags.maxUploadMb * 1024 * 1024));
        const attachment = await uploadAttachment(
          ctx,
          store,
          cliActor(),
          {
            subject: await codeOf(ctx, subject, 'subject'),
            name: flags.name ?? path.basename(file),
            note: flags.note,
          },
          createReadStream(file),
        );
        if (flags.json) return printJson(attachment);
        console.log(
          `Attached ${attachment.fileName} (${attachment.mediaType}, ${formatBytes(attachment.size)}) as ${attachment.code}`,
        );
      });
    },
  );

  withDatabaseOptions(
    program
      .command('attachments')
      .description("list an object's attachments, oldest first")
      .argument('<subject>', 'code of the object')
      .option('--removed', 'include removed attachments')
      .option('--json', 'print JSON'),
  ).action((subject: string, flags: DatabaseFlags & { removed?: boolean; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const items = await listAttachments(ctx, cliActor(), {
        subject: await codeOf(ctx, subject, 'subject'),
        removed: flags.removed ?? false,
      });
      if (flags.json) return printJson({ items });
      printTable(
        items.map((a) => ({
          attachment: a.shortCode,
          name: a.fileName,
          type: a.mediaType,
          size: formatBytes(a.size),
          added: a.createdAt,
          by: a.createdBy.name,
          removed: a.removed ? `${a.removed.at} (${a.removed.reason})` : '',
        })),
        [
          'attachment',
          'name',
          'type',
          'size',
          'added',
          'by',
          ...(flags.removed ? ['removed'] : []),
        ],
        'No attachments.',
      );
    }),
  );

  const attachment = program.command('attachment').description('one attached file');
  showCommand(
    attachment,
    'what an attachment is and where it belongs',
    ['<code>'],
    async (ctx, code, json) => {
      const found = await getAttachment(
        ctx,
        cliActor(),
        await codeOf(ctx, code, 'code', 'attachment'),
      );
      if (json) return printJson(found);
      const { removed, createdBy, url: _url, ...fields } = found;
      printFields({
        ...fields,
        createdBy: createdBy.name,
        removed: removed ? `${removed.at} by ${removed.by}: ${removed.reason}` : 'no',
      });
    },
  );
  withDatabaseOptions(
    attachment
      .command('get')
      .description('write the file of an attachment (removed ones too)')
      .argument('<code>')
      .requiredOption('-o, --output <file>', "where to write it ('-' for stdout)")
      .option('--force', 'overwrite an existing file'),
  ).action((code: string, flags: DatabaseFlags & { output: string; force?: boolean }) =>
    withContext(flags, async (ctx) => {
      const { attachment, content } = await openAttachmentContent(
        ctx,
        await filesOf(ctx, flags),
        cliActor(),
        await codeOf(ctx, code, 'code', 'attachment'),
      );
      if (flags.output === '-') return pipeline(content, process.stdout);
      try {
        await pipeline(
          content,
          createWriteStream(flags.output, { flags: flags.force ? 'w' : 'wx' }),
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw new ValidationError('output', `'${flags.output}' exists: use --force to overwrite`);
        throw error;
      }
      console.error(
        `Wrote ${attachment.fileName} (${formatBytes(attachment.size)}) to ${flags.output}`,
      );
    }),
  );
  withDatabaseOptions(
    attachment
      .command('remove')
      .description('remove an attachment (recorded in the history; the file is kept for admins)')
      .argument('<code>')
      .requiredOption('--reason <text>', 'why it is removed')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: DatabaseFlags & { reason: string; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const removed = await removeAttachment(
        ctx,
        cliActor(),
        await codeOf(ctx, code, 'code', 'attachment'),
        {
          reason: flags.reason,
        },
      );
      if (flags.json) return printJson(removed);
      console.log(`Removed ${removed.fileName} (${removed.code}) from ${removed.subjectCode}`);
    }),
  );
}
