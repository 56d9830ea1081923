import { formatEventId, KIND_OF, type LiveEvent } from './live-events.js';
import { webhookEventsOf, type RecordForWebhooks } from './webhook-events.js';

/**
 * The live events of a record, numbered 0, 1, … in the order webhookEventsOf gives them (the
 * same every time the record is read, so a position stays valid). `buildOf` names the build a
 * unit belongs to (absent: not a unit of a build).
 */
export function liveEventsOf(
  record: RecordForWebhooks & { site: string; seq: number },
  buildOf: (code: string) => string | undefined,
): (LiveEvent & { index: number })[] {
  return webhookEventsOf(record).map((event, index) => {
    const builds = new Set<string>();
    for (const subject of event.subjects) {
      if (KIND_OF[event.type] === 'build') builds.add(subject);
      const build = buildOf(subject);
      if (build !== undefined) builds.add(build);
    }
    return {
      index,
      id: formatEventId({ site: record.site, seq: record.seq, index }),
      type: event.type,
      subjects: event.subjects,
      builds: [...builds],
      at: record.at,
      actor: { code: record.actor.code, name: record.actor.name },
      record: record.id,
    };
  });
}
