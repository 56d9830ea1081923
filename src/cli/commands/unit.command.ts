import { Option, type Command } from 'commander';
import {
  releaseUnit,
  returnUnit,
  scrapUnitRecord,
  startRepair,
} from '../../units/lifecycle.service.js';
import {
  SERVICE_EVENT_TYPES,
  type ServiceEventType,
  type UnitStatus,
} from '../../units/unit.schemas.js';
import { addServiceEvent, listServiceEvents } from '../../units/service-event.service.js';
import { getUnitStatus, getUnitStatuses } from '../../units/unit.service.js';
import { ValidationError } from '../../domain/errors.js';
import { collectField, readCodes } from '../arguments.js';
import {
  cliActor,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  pageOf,
  type PageFlags,
} from '../options.js';
import { printFields, printJson, printTable } from '../output.js';
import { signerOf, signOptions, type SignFlags } from '../signing.js';
import { codeOf, codesOf } from '../codes.js';

type Flags = DatabaseFlags & { json?: boolean };

export function unitCommand(program: Command): void {
  const unit = program
    .command('unit')
    .description('a device after production: returns, repairs, release, scrap, service events');
  const op = (name: string, description: string) =>
    withDatabaseOptions(
      unit
        .command(name)
        .description(description)
        .argument('<code>', 'unit code')
        .option('--json', 'print JSON'),
    );

  op('show', "the unit's lifecycle state, what it allows, its latest shipment").action(
    (code: string, flags: Flags) =>
      withContext(flags, async (ctx) =>
        print(await getUnitStatus(ctx, await codeOf(ctx, code, 'code', 'lot')), flags),
      ),
  );
  withDatabaseOptions(
    unit
      .command('status')
      .description('the state and latest shipment of many units, one line each')
      .argument('[codes...]', 'units: codes as scanned, short codes or customer serials')
      .option('--file <path>', "read unit codes from a file, one per line ('-': standard input)")
      .option('--json', 'print JSON'),
  ).action((codes: string[], flags: Flags & { file?: string }) =>
    withContext(flags, async (ctx) => {
      const all = [...codes, ...(flags.file ? readCodes(flags.file) : [])];
      if (all.length === 0) throw new ValidationError('codes', 'give unit codes or --file');
      const list = await getUnitStatuses(ctx, { codes: await codesOf(ctx, all) });
      if (flags.json) return printJson(list);
      printTable(
        list.units.map((u) => ({
          unit: u.shortCode,
          label: u.label ?? '',
          part: u.part.name,
          state: u.state,
          shipment: u.shipment ? `${u.shipment.customer} ${u.shipment.reference}` : '',
        })),
        ['unit', 'label', 'part', 'state', 'shipment'],
        'None of the codes is a unit.',
      );
      for (const n of list.notUnits) console.error(`${n.code}: ${n.reason}`);
    }),
  );
  op('return', 'a shipped unit came back: it is held at a location, with the reason')
    .requiredOption('--reason <text>', 'why it came back')
    .requiredOption('--location <code>', 'where it lies now')
    .action((code: string, flags: Flags & { reason: string; location: string }) =>
      withContext(flags, async (ctx) =>
        print(
          await returnUnit(ctx, cliActor(), await codeOf(ctx, code, 'code', 'lot'), {
            reason: flags.reason,
            location: await codeOf(ctx, flags.location, 'location', 'location'),
          }),
          flags,
        ),
      ),
    );
  op('repair', 'start repairing a returned unit')
    .option('--note <text>')
    .action((code: string, flags: Flags & { note?: string }) =>
      withContext(flags, async (ctx) =>
        print(
          await startRepair(ctx, cliActor(), await codeOf(ctx, code, 'code', 'lot'), {
            note: flags.note ?? '',
          }),
          flags,
        ),
      ),
    );
  signOptions(op('release', 'a repaired unit becomes available again'))
    .option('--location <code>', 'where it goes (default: where it lies)')
    .option('--override', 'release although the release gate refuses (needs --note)')
    .option('--note <text>', 'recorded with the release')
    .action(
      (
        code: string,
        flags: Flags & SignFlags & { location?: string; override?: boolean; note?: string },
      ) =>
        withContext(flags, async (ctx) => {
          const unit = await codeOf(ctx, code, 'code', 'lot');
          const location =
            flags.location === undefined
              ? {}
              : { location: await codeOf(ctx, flags.location, 'location', 'location') };
          const { actor, signature } = await signerOf(ctx, flags);
          const released = await releaseUnit(ctx, actor, unit, {
            ...location,
            override: flags.override ?? false,
            note: flags.note ?? '',
            signature,
          });
          print(released, flags);
        }),
    );
  op('scrap', 'scrap an available, returned or repaired unit')
    .requiredOption('--reason <text>')
    .action((code: string, flags: Flags & { reason: string }) =>
      withContext(flags, async (ctx) =>
        print(
          await scrapUnitRecord(ctx, cliActor(), await codeOf(ctx, code, 'code', 'lot'), {
            reason: flags.reason,
          }),
          flags,
        ),
      ),
    );
  op('events', "the unit's service events, oldest first")
    .option('--limit <n>', 'at most this many', '50')
    .option('--offset <n>', 'skip this many', '0')
    .action((code: string, flags: Flags & PageFlags) =>
      withContext(flags, async (ctx) => {
        const page = await listServiceEvents(
          ctx,
          await codeOf(ctx, code, 'code', 'lot'),
          pageOf(flags),
        );
        if (flags.json) return printJson(page);
        printTable(
          page.items.map((e) => ({ at: e.at, type: e.type, by: e.actor.name, text: e.text })),
          ['at', 'type', 'by', 'text'],
          'No service events yet.',
        );
      }),
    );
  const event = unit.command('event').description('service events on a unit');
  withDatabaseOptions(
    event
      .command('add')
      .description('record an inspection, rework, repair, return or note')
      .argument('<code>', 'unit code')
      .addOption(
        new Option('--type <type>', 'what happened')
          .choices([...SERVICE_EVENT_TYPES])
          .makeOptionMandatory(),
      )
      .requiredOption('--text <text>', 'what was found or done')
      .option('--field <key=value>', 'a custom field (repeatable)', collectField)
      .option('--json', 'print JSON'),
  ).action(
    (
      code: string,
      flags: Flags & { type: ServiceEventType; text: string; field?: Record<string, string> },
    ) =>
      withContext(flags, async (ctx) => {
        const unitCode = await codeOf(ctx, code, 'code', 'lot');
        const added = await addServiceEvent(ctx, cliActor(), unitCode, {
          type: flags.type,
          text: flags.text,
          customFields: flags.field ?? {},
        });
        if (flags.json) return printJson(added);
        printFields({ code: added.code, unit: added.unit, type: added.type, text: added.text });
      }),
  );
}

function print(status: UnitStatus, flags: Flags): void {
  if (flags.json) return printJson(status);
  printFields({
    unit: status.code,
    label: status.label ?? '',
    part: status.part.name,
    state: status.state,
    allowed: status.allowed.length ? status.allowed : '(nothing)',
    shipment: status.shipment
      ? `${status.shipment.code} ${status.shipment.customer} ${status.shipment.reference}${
          status.shipment.returnedAt ? ` (returned: ${status.shipment.returnReason ?? ''})` : ''
        }`
      : '',
  });
}
