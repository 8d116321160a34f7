/**
 * What a font's GSUB table can do to Latin text under fontkit's default features, read once per
 * font so that text shaping would not change need not be shaped (pdf.text.ts). pdf-lib reads only
 * the glyphs of a shaped run (their ids to encode, their advance widths to measure), never their
 * positions, so only substitutions matter. Whatever is not understood here answers "shape it".
 */

interface Coverage {
  version: number;
  glyphs?: number[];
  rangeRecords?: { start: number; end: number }[];
}
interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: number[];
  classRangeRecord?: { start: number; end: number; class: number }[];
}
interface ChainRule {
  backtrack: number[];
  input: number[];
  lookahead: number[];
  lookupRecords?: { lookupListIndex: number }[];
}
interface SubTable {
  version?: number;
  coverage?: Coverage;
  inputCoverage?: Coverage[];
  coverages?: Coverage[];
  backtrackCoverage?: Coverage[];
  lookaheadCoverage?: Coverage[];
  ligatureSets?: ({ components: number[] }[] | null)[];
  chainRuleSets?: (ChainRule[] | null)[];
  chainClassSet?: (ChainRule[] | null)[];
  backtrackClassDef?: ClassDef;
  inputClassDef?: ClassDef;
  lookaheadClassDef?: ClassDef;
  lookupRecords?: { lookupListIndex: number }[];
}
interface Lookup {
  lookupType: number;
  subTables: ArrayLike<SubTable>;
}
interface LangSys {
  reqFeatureIndex: number;
  featureIndexes: number[];
}
interface GsubTable {
  scriptList: { tag: string; script: { defaultLangSys?: LangSys; langSysRecords: { langSys: LangSys }[] } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: { toArray(): Lookup[] };
}
type Font = { GSUB?: GsubTable; morx?: unknown };

/** The features fontkit applies to left-to-right text by default (GSUB and GPOS tags alike; GPOS ones find nothing in GSUB). */
const DEFAULT_FEATURES = new Set(['rvrn', 'ltra', 'ltrm', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern']);

/** The GSUB lookups of the default features for Latin and the default script, every language; null for a table not understood. */
function defaultLookups(font: unknown): { all: Lookup[]; used: Set<number> } | null {
  const f = font as Font;
  if (f.morx) return null;
  if (!f.GSUB) return { all: [], used: new Set() };
  const all = f.GSUB.lookupList.toArray();
  const used = new Set<number>();
  for (const entry of f.GSUB.scriptList) {
    if (!['latn', 'DFLT', 'dflt'].includes(entry.tag)) continue;
    for (const ls of [entry.script.defaultLangSys, ...entry.script.langSysRecords.map((r) => r.langSys)]) {
      if (!ls) continue;
      const indexes = ls.reqFeatureIndex !== 0xffff ? [...ls.featureIndexes, ls.reqFeatureIndex] : ls.featureIndexes;
      for (const i of indexes) {
        const record = f.GSUB.featureList[i];
        if (record && DEFAULT_FEATURES.has(record.tag)) for (const l of record.feature.lookupListIndexes) used.add(l);
      }
    }
  }
  return { all, used };
}

function coverageGlyphs(coverage: Coverage): number[] | null {
  if (coverage.version === 1 && coverage.glyphs) return coverage.glyphs;
  if (coverage.version === 2 && coverage.rangeRecords) {
    const out: number[] = [];
    for (const r of coverage.rangeRecords) for (let g = r.start; g <= r.end; g++) out.push(g);
    return out;
  }
  return null;
}

/**
 * Glyphs a GSUB lookup of the default features can start at: a substitution, ligature or contextual
 * rule must match its first input glyph against its coverage. Text none of whose glyphs is there
 * comes out of shaping as its characters' own glyphs, so it can be mapped through the cmap.
 */
export function gsubTriggers(font: unknown): Set<number> | null {
  try {
    const lookups = defaultLookups(font);
    if (!lookups) return null;
    const triggers = new Set<number>();
    for (const l of lookups.used) {
      for (const sub of Array.from(lookups.all[l]!.subTables)) {
        const coverage = sub.coverage ?? sub.inputCoverage?.[0] ?? sub.coverages?.[0];
        const glyphs = coverage ? coverageGlyphs(coverage) : null;
        if (!glyphs) return null;
        for (const g of glyphs) triggers.add(g);
      }
    }
    return triggers;
  } catch {
    return null;
  }
}

/** fontkit gives some lists as lazy arrays (toArray) and some as arrays. */
function list<T>(x: ArrayLike<T> | { toArray(): T[] } | null | undefined): T[] {
  if (x == null) return [];
  if (Array.isArray(x)) return x;
  return 'toArray' in x && typeof x.toArray === 'function' ? x.toArray() : Array.from(x as ArrayLike<T>);
}

function classOf(def: ClassDef | undefined, glyph: number): number | null {
  if (!def) return 0;
  if (def.version === 1 && def.classValueArray && def.startGlyph !== undefined) return def.classValueArray[glyph - def.startGlyph] ?? 0;
  if (def.version === 2 && def.classRangeRecord) return def.classRangeRecord.find((r) => glyph >= r.start && glyph <= r.end)?.class ?? 0;
  return null;
}

/**
 * Whether no substitution of the default features can take in, look at or produce across the given
 * glyph (the space): then a line shapes as its words shaped one by one with that glyph between them,
 * and the words, which repeat from line to line and document to document, can be shaped once. True
 * only when every lookup involved (and every lookup a contextual rule calls) is one of the kinds
 * read here and the glyph is in none of its coverages, ligature components or rule sequences.
 */
export function glyphSeparatesShaping(font: unknown, glyph: number): boolean {
  try {
    const lookups = defaultLookups(font);
    if (!lookups) return false;
    const pending = [...lookups.used];
    const seen = new Set<number>();
    const has = (c: Coverage | undefined) => {
      if (!c) return false;
      const glyphs = coverageGlyphs(c);
      if (!glyphs) throw new Error('coverage not understood');
      return glyphs.includes(glyph);
    };
    while (pending.length > 0) {
      const index = pending.pop()!;
      if (seen.has(index)) continue;
      seen.add(index);
      const lookup = lookups.all[index];
      if (!lookup) return false;
      for (const sub of Array.from(lookup.subTables)) {
        switch (lookup.lookupType) {
          case 1: // single
          case 2: // multiple
          case 3: // alternate
            if (!sub.coverage || has(sub.coverage)) return false;
            break;
          case 4: // ligature
            if (!sub.coverage || has(sub.coverage)) return false;
            for (const set of list(sub.ligatureSets)) for (const lig of list(set)) if (list(lig.components).includes(glyph)) return false;
            break;
          case 6: {
            // chaining context
            const rules: ChainRule[] = [];
            if (sub.version === 1) {
              if (!sub.coverage || has(sub.coverage)) return false;
              for (const set of list(sub.chainRuleSets)) for (const r of list(set)) {
                if ([...list(r.backtrack), ...list(r.input), ...list(r.lookahead)].includes(glyph)) return false;
                rules.push(r);
              }
            } else if (sub.version === 2) {
              if (!sub.coverage || has(sub.coverage)) return false;
              const [b, i, l] = [classOf(sub.backtrackClassDef, glyph), classOf(sub.inputClassDef, glyph), classOf(sub.lookaheadClassDef, glyph)];
              if (b === null || i === null || l === null) return false;
              // The first input glyph is matched by the coverage above; set k of the rules is for input class k.
              for (const set of list(sub.chainClassSet)) for (const r of list(set)) {
                if (list(r.backtrack).includes(b) || list(r.input).includes(i) || list(r.lookahead).includes(l)) return false;
                rules.push(r);
              }
            } else if (sub.version === 3) {
              if ([...list(sub.backtrackCoverage), ...list(sub.inputCoverage), ...list(sub.lookaheadCoverage)].some(has)) return false;
              if (list(sub.inputCoverage).length === 0) return false;
              rules.push({ backtrack: [], input: [], lookahead: [], lookupRecords: list(sub.lookupRecords) });
            } else return false;
            for (const r of rules) for (const rec of list(r.lookupRecords)) pending.push(rec.lookupListIndex);
            break;
          }
          default:
            return false;
        }
      }
    }
    return true;
  } catch {
    return false;
  }
}
