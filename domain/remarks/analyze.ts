import type { CarrierCode } from '../carriers/codes.js';
import { INTENT_INFO, instructionFor, type RemarkIntent } from './intents.js';
import { detectLanguage, languageNameZh } from './language.js';
import { FILLER_SUBSTRINGS, FILLER_WORDS, LEXICON, type LexiconEntry } from './lexicon.js';
import { toSimplified } from './simplified.js';

export interface RemarkIntentMatch {
  intent: RemarkIntent;
  /** The Chinese instruction for the operator or packer. */
  instruction: string;
  /** The words of the remark that expressed the intent. */
  matched: string;
  /** Language of the phrase that matched. */
  language: string;
  benign: boolean;
  carrier?: CarrierCode;
}

export interface RemarkAnalysis {
  /** The remark exactly as the buyer wrote it. */
  original: string;
  /** ISO 639-1 code, or "und". */
  language: string;
  /** The language's Chinese name, for operator screens. */
  languageName: string;
  intents: RemarkIntentMatch[];
  /** Chinese instructions, one per intent, in the order the buyer wrote them. */
  instructions: string[];
  /** Parts of the remark no intent explains; a person has to read them. */
  unrecognized: string[];
  /** True when a person must act: an intent that is not benign, or text nobody understood. */
  needsReview: boolean;
  /**
   * The machine translation the intents were read from, for a remark in a language the lexicon
   * does not know (domain/remarks/translated.ts); `original` stays as written.
   */
  translation?: { text: string; sourceLanguage: string; provider: string };
  /** Why such a remark has no translation (service unconfigured, down, refusing our key). */
  translationUnavailable?: string;
}

const CLAUSE_SEPARATORS = /[,，。.!！?？;；、\n\r~～…]+/u;
const MIN_UNRECOGNIZED_LETTERS = 2;

const fillerWords = new RegExp(
  `(?<![\\p{L}\\p{N}'])(?:${[...FILLER_WORDS]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?![\\p{L}\\p{N}'])`,
  'giu',
);
const fillerSubstrings = new RegExp(
  [...FILLER_SUBSTRINGS]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|'),
  'gu',
);

/**
 * Reads a buyer remark or seller memo: its language, the requests it makes (in Chinese or any of
 * the cross-border languages in the lexicon), a Chinese instruction for each, and whatever is left
 * that nobody understood. Pure and total.
 */
export function analyzeRemark(text: string | null | undefined): RemarkAnalysis {
  const original = typeof text === 'string' ? text : '';
  const prepared = toSimplified(original.normalize('NFKC'));
  const found: { entry: LexiconEntry; matched: string }[] = [];
  const unrecognized: string[] = [];

  for (const clause of prepared.split(CLAUSE_SEPARATORS)) {
    if (!clause.trim()) continue;
    const matches = matchClause(clause);
    for (const m of matches) found.push({ entry: m.entry, matched: clause.slice(m.start, m.end) });
    if (residualLetters(clause, matches) >= MIN_UNRECOGNIZED_LETTERS) unrecognized.push(clause.trim());
  }

  const language = original.trim()
    ? detectLanguage(
        prepared,
        found.map((f) => f.entry.language),
      )
    : 'und';
  const intents = dedupe(found).map(({ entry, matched }) => ({
    intent: entry.intent,
    instruction: instructionFor(entry.intent, entry.carrier),
    matched: matched.trim(),
    language: entry.language,
    benign: INTENT_INFO[entry.intent].benign,
    ...(entry.carrier ? { carrier: entry.carrier } : {}),
  }));
  const instructions = intents.map((i) => i.instruction);
  if (unrecognized.length > 0 && language !== 'zh') {
    instructions.push(`${languageNameZh(language)}留言有未识别内容，请人工确认原文`);
  }
  return {
    original,
    language,
    languageName: languageNameZh(language),
    intents,
    instructions,
    unrecognized,
    needsReview: unrecognized.length > 0 || intents.some((i) => !i.benign),
  };
}

interface Span {
  start: number;
  end: number;
  entry: LexiconEntry;
  order: number;
}

/** Every lexicon hit in the clause, longest first, keeping only hits that do not overlap. */
function matchClause(clause: string): Span[] {
  const candidates: Span[] = [];
  LEXICON.forEach((entry, order) => {
    entry.pattern.lastIndex = 0;
    for (const m of clause.matchAll(entry.pattern)) {
      if (m[0].length === 0) continue;
      candidates.push({ start: m.index, end: m.index + m[0].length, entry, order });
    }
  });
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.order - b.order);
  const chosen: Span[] = [];
  for (const c of candidates) {
    if (chosen.every((s) => c.end <= s.start || c.start >= s.end)) chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

function residualLetters(clause: string, spans: Span[]): number {
  let rest = '';
  let at = 0;
  for (const s of spans) {
    rest += `${clause.slice(at, s.start)} `;
    at = s.end;
  }
  rest += clause.slice(at);
  rest = rest.replace(fillerWords, ' ').replace(fillerSubstrings, ' ');
  return rest.match(/\p{L}/gu)?.length ?? 0;
}

function dedupe(found: { entry: LexiconEntry; matched: string }[]) {
  const specificCarrier = found.some((f) => f.entry.intent === 'carrier' && f.entry.carrier);
  const seen = new Set<string>();
  return found.filter(({ entry }) => {
    if (entry.intent === 'carrier' && !entry.carrier && specificCarrier) return false;
    const key = `${entry.intent}:${entry.carrier ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
