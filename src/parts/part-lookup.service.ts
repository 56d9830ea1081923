import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { shortCode } from '../domain/code.js';
import { parseInput } from '../domain/validate.js';
import { groupBy } from '../domain/collections.js';
import { findPartBriefs, findPartsByMpn, type PartBrief } from './part-brief.repository.js';
import { findPartsBySkus } from './part-lookup.repository.js';
import { PartLookupRequest, type PartLookupResult } from './part-lookup.schemas.js';

/** What names a part on a bag label or an order line. */
export interface PartKey {
  /** A canonical part code, when the row names the part itself. */
  part?: string | undefined;
  supplier?: string | undefined;
  sku?: string | undefined;
  mpn?: string | undefined;
}

export interface PartMatch {
  part: PartBrief | undefined;
  matchedBy: 'code' | 'sku' | 'mpn' | undefined;
  /** Several parts match (never a guess): the caller asks which one. */
  candidates: PartBrief[];
}

/**
 * The part each key names, as a scanned bag label finds it (partOfLabel): the part code;
 * else the distributor's part number (of that distributor when one is given); else the MPN
 * of an unarchived part, in any case. Three statements for any number of keys.
 */
export async function matchParts(db: Database, keys: readonly PartKey[]): Promise<PartMatch[]> {
  const codes = keys.flatMap((k) => (k.part ? [k.part] : []));
  const skus = keys.flatMap((k) => (!k.part && k.sku ? [k.sku] : []));
  const [byCode, skuRows] = await Promise.all([
    findPartBriefs(db, codes),
    skus.length ? findPartsBySkus(db, skus) : [],
  ]);
  const bySku = groupBy(skuRows, (r) => r.sku);
  const skuMatches = keys.map((k) =>
    !k.part && k.sku
      ? (bySku.get(k.sku) ?? []).filter(
          (r) => !k.supplier || r.supplier.toLowerCase() === k.supplier.toLowerCase(),
        )
      : [],
  );
  const mpns = keys.flatMap((k, i) =>
    !k.part && k.mpn && skuMatches[i]!.length !== 1 ? [k.mpn] : [],
  );
  const byMpn = groupBy(mpns.length ? await findPartsByMpn(db, mpns) : [], (p) =>
    p.mpn.toLowerCase(),
  );
  return keys.map((k, i): PartMatch => {
    if (k.part) {
      const part = byCode.get(k.part);
      return { part, matchedBy: part && 'code', candidates: [] };
    }
    const sku = skuMatches[i]!.map(brief);
    if (sku.length === 1) return { part: sku[0], matchedBy: 'sku', candidates: [] };
    const mpn = k.mpn ? (byMpn.get(k.mpn.toLowerCase()) ?? []).map(brief).sort(byName) : [];
    if (mpn.length === 1) return { part: mpn[0], matchedBy: 'mpn', candidates: [] };
    return { part: undefined, matchedBy: undefined, candidates: sku.length > 1 ? sku : mpn };
  });
}

function byName(a: PartBrief, b: PartBrief): number {
  return a.name.localeCompare(b.name) || a.code.localeCompare(b.code);
}

function brief({ code, name, mpn, unit, kind }: PartBrief): PartBrief {
  return { code, name, mpn, unit, kind };
}

/** The lookup route: the part each supplier part number or MPN names, in request order. */
export async function lookUpParts(
  ctx: Context,
  input: PartLookupRequest,
): Promise<PartLookupResult> {
  const { items } = parseInput(PartLookupRequest, input);
  const matches = await matchParts(ctx.db, items);
  const found = (p: PartBrief) => ({ ...p, shortCode: shortCode(p.code) });
  return {
    items: matches.map((m) => ({
      part: m.part ? found(m.part) : null,
      matchedBy: m.matchedBy === 'sku' || m.matchedBy === 'mpn' ? m.matchedBy : null,
      candidates: m.candidates.map(found),
    })),
  };
}
