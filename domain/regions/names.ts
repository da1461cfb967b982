/**
 * Region names as people and platforms write them: "浙江" for 浙江省, "广西" for 广西壮族自治区,
 * "恩施州" for 恩施土家族苗族自治州, "西湖" for 西湖区. Matching compares canonical names first and
 * these short forms second, and only accepts a short form that names exactly one candidate.
 */

// Ethnic groups as they appear inside autonomous-region names, longest first so that
// "柯尔克孜" is stripped before "克孜" could be considered.
const ETHNIC_GROUPS = [
  '乌孜别克',
  '柯尔克孜',
  '维吾尔',
  '哈萨克',
  '塔吉克',
  '达斡尔',
  '鄂温克',
  '鄂伦春',
  '俄罗斯',
  '塔塔尔',
  '蒙古',
  '布依',
  '朝鲜',
  '土家',
  '哈尼',
  '傈僳',
  '拉祜',
  '东乡',
  '纳西',
  '景颇',
  '仫佬',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '德昂',
  '保安',
  '裕固',
  '独龙',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
  '回',
  '藏',
  '苗',
  '彝',
  '壮',
  '满',
  '侗',
  '瑶',
  '白',
  '傣',
  '黎',
  '佤',
  '畲',
  '水',
  '土',
  '羌',
  '怒',
  '京',
] as const;

const AUTONOMOUS_SUFFIXES = ['自治区', '自治州', '自治县', '自治旗'] as const;
const PLAIN_SUFFIXES = ['特别行政区', '地区', '林区', '新区', '省', '市', '盟', '区', '县', '旗'] as const;

/** Unicode-normalizes and drops whitespace, so "浙江 省" and full-width forms compare equal. */
export function cleanName(name: string | undefined | null): string {
  return (name ?? '').normalize('NFKC').replace(/\s+/g, '');
}

/**
 * The short form of a region name: "广西壮族自治区" → "广西", "恩施土家族苗族自治州" → "恩施",
 * "杭州市" → "杭州", "西湖区" → "西湖". Never shorter than two characters, because one-character
 * stems ("城" of 城区) would match too much.
 */
export function shortName(name: string): string {
  let s = cleanName(name);
  const autonomous = AUTONOMOUS_SUFFIXES.find((suffix) => s.endsWith(suffix));
  if (autonomous && s.length - autonomous.length >= 2) {
    s = s.slice(0, -autonomous.length);
    s = stripEthnicGroups(s);
    return s;
  }
  const plain = PLAIN_SUFFIXES.find((suffix) => s.endsWith(suffix));
  if (plain && s.length - plain.length >= 2) s = s.slice(0, -plain.length);
  return s;
}

function stripEthnicGroups(name: string): string {
  let s = name;
  for (;;) {
    const before = s;
    for (const group of ETHNIC_GROUPS) {
      // A bare one-character group ("水", "白") would eat real place names; only "水族" counts.
      const forms = group.length >= 2 ? [`${group}族`, group] : [`${group}族`];
      const form = forms.find((f) => s.endsWith(f) && s.length - f.length >= 2);
      if (form) {
        s = s.slice(0, -form.length);
        break;
      }
    }
    if (s === before) return s;
  }
}

/** Every name a region may be written as: its own name, its short form and "恩施州"-style forms. */
export function aliasesOf(name: string): string[] {
  const canonical = cleanName(name);
  const short = shortName(canonical);
  const aliases = new Set([canonical, short]);
  if (canonical.endsWith('自治州')) aliases.add(`${short}州`);
  if (canonical.endsWith('自治县')) aliases.add(`${short}县`);
  if (canonical.endsWith('自治旗')) aliases.add(`${short}旗`);
  return [...aliases];
}

export interface Named {
  name: string;
}

/**
 * Finds the one candidate `input` names: exact name first, then short forms (of both sides).
 * Returns undefined when nothing, or more than one candidate, matches.
 */
export function matchName<T extends Named>(input: string, candidates: readonly T[]): T | undefined {
  const wanted = cleanName(input);
  if (!wanted) return undefined;
  const exact = candidates.filter((c) => cleanName(c.name) === wanted);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return undefined;
  const wantedShort = shortName(wanted);
  const forms = new Set([wanted, wantedShort]);
  const byAlias = candidates.filter((c) => aliasesOf(c.name).some((alias) => forms.has(alias)));
  return byAlias.length === 1 ? byAlias[0] : undefined;
}
