import { MAX_RATE_TABLE_ROWS, RateTableInputSchema, type RateTableInput } from './rate-table.js';

/**
 * A rate table (运费模板) as a seller gets it from the carrier's branch (网点报价单), saved from the
 * spreadsheet as CSV (or pasted from it, tab separated): a header, then one row per destination
 * province with its first weight and price and the additional unit and its price.
 *
 * | column | headers taken (either language, any case, full- or half-width brackets) |
 * |---|---|
 * | destination province | 目的省份, 省份, 目的地, 到达省份, 收件省份, province, destination |
 * | first weight | 首重, 首重重量, first_weight |
 * | first price | 首重价格, 首重运费, 首重费用, 首重单价, first_price — or 首重(元) |
 * | additional unit | 续重, 续重单位, 续重重量, additional_weight, additional_unit |
 * | additional price | 续重价格, 续重单价, 续重运费, 续重费用, additional_price — or 续重(元) |
 *
 * Weights are in kilograms unless the header says grams (`首重(g)`, `首重(克)`) or the cell carries
 * its unit (`0.5kg`, `500g`, `1公斤`); branch quotes are in kilograms. Prices are in yuan unless the
 * header says fen (`(分)`); a cell may carry `¥` or `元`. Province `*` (or 其他 / 其它) prices every
 * province without its own row.
 *
 * Optional columns, blank cells meaning none: the destination city priced apart (目的城市, 城市,
 * `city`), the origin province the row is for (始发省份, 发货省份, 始发地, 发货地, `origin`) and a
 * surcharge per parcel in yuan (偏远附加费, 附加费, `surcharge`).
 *
 * Weight bands (按重量段报价) are columns headed by their range, as branches write their quotes:
 * `0-0.5kg`, `0.5-1kg`, `1-2kg` (or `0~500g`, `1-2公斤`, `0.5kg以内`), each cell that band's price
 * in yuan (`(分)` in the header: fen). The bands must follow each other from 0 without gap or
 * overlap, left to right; above the last band the row's 续重 columns price each started unit. A
 * row prices either every band (its 首重 cells then blank) or none (首重 and 首重价格 filled); in a
 * sheet with band columns the 首重 columns may be left out.
 */

export type RateColumn =
  | 'province'
  | 'firstWeightG'
  | 'firstFen'
  | 'additionalUnitG'
  | 'additionalFen'
  | 'city'
  | 'origin'
  | 'surchargeFen'
  /** The n-th weight band's price (0-based, left to right), `bands.0`. */
  | `bands.${number}`;

/** One refused cell or line: 1-based line of the file, the column as the file heads it. */
export interface RateCsvIssue {
  line: number;
  /** Our name of the column (null: the line as a whole, or the header). */
  column: RateColumn | null;
  /** The column's header as written in the file (or what it should have been). */
  heading: string | null;
  value: string | null;
  kind:
    | 'missing_column'
    | 'no_rows'
    | 'too_many_rows'
    | 'empty'
    | 'not_a_weight'
    | 'not_a_price'
    | 'unknown_province'
    | 'unknown_city'
    | 'priced_twice'
    /** A band column whose range does not follow the one before it (or does not start at 0). */
    | 'bad_band'
    /** A row that prices some bands but not all, or neither bands nor a first weight. */
    | 'band_missing'
    /** A row that prices bands and a first weight both. */
    | 'bands_and_first_weight'
    /** A workbook (.xlsx) that cannot be opened, or has no sheet with a row. */
    | 'not_a_workbook'
    | 'invalid';
  problem: string;
  /** For `priced_twice`: the line that priced the province first. */
  firstLine?: number;
}

export type RateCsvParse =
  { ok: true; table: RateTableInput; lines: number[] } | { ok: false; issues: RateCsvIssue[] };

type Unit = 'kg' | 'g' | 'yuan' | 'fen' | null;

const PROVINCE = ['目的省份', '省份', '目的地', '到达省份', '收件省份', '目的省', 'province', 'destination'];
const FIRST_WEIGHT = ['首重', '首重重量', 'first_weight', 'firstweight'];
const FIRST_PRICE = ['首重价格', '首重运费', '首重费用', '首重单价', '首重价', 'first_price', 'firstprice'];
const ADDITIONAL_UNIT = ['续重', '续重单位', '续重重量', 'additional_weight', 'additional_unit'];
const ADDITIONAL_PRICE = [
  '续重价格',
  '续重单价',
  '续重运费',
  '续重费用',
  '续重价',
  'additional_price',
  'additionalprice',
];
const CITY = ['目的城市', '城市', '目的市', '到达城市', 'city', 'destination_city'];
const ORIGIN = ['始发省份', '发货省份', '始发地', '发货地', '始发省', 'origin', 'origin_province'];
const SURCHARGE = ['偏远附加费', '附加费', '偏远费', 'surcharge', 'remote_surcharge'];
const OTHER_PROVINCES = new Set(['*', '其他', '其它', '其他省份', '其它省份']);

/** A header cell as stem and unit: `首重价格（元）` → 首重价格, yuan; `first_weight_kg` → first_weight, kg. */
function readHeading(raw: string): { stem: string; unit: Unit; bare: string } {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/[（【[]/g, '(')
    .replace(/[）】\]]/g, ')')
    .replace(/\s+/g, '');
  const inBrackets = /\(([^)]*)\)/.exec(text)?.[1];
  let stem = text.replace(/\([^)]*\)/g, '');
  const bare = stem;
  let unitWord = inBrackets;
  const suffix = /^(.*?)_?(kg|g|yuan|fen)$/.exec(stem);
  if (!unitWord && suffix && /[a-z]/.test(stem)) {
    stem = suffix[1]!;
    unitWord = suffix[2];
  }
  const unit: Unit =
    unitWord === undefined
      ? null
      : /^(kg|公斤|千克)$/.test(unitWord)
        ? 'kg'
        : /^(g|克)$/.test(unitWord)
          ? 'g'
          : /^(元|yuan|rmb|¥|cny)$/.test(unitWord)
            ? 'yuan'
            : /^(分|fen)$/.test(unitWord)
              ? 'fen'
              : null;
  return { stem, unit, bare };
}

function columnOf(stem: string, unit: Unit): RateColumn | null {
  if (PROVINCE.includes(stem)) return 'province';
  if (CITY.includes(stem)) return 'city';
  if (ORIGIN.includes(stem)) return 'origin';
  if (SURCHARGE.includes(stem)) return 'surchargeFen';
  if (FIRST_PRICE.includes(stem)) return 'firstFen';
  if (ADDITIONAL_PRICE.includes(stem)) return 'additionalFen';
  const money = unit === 'yuan' || unit === 'fen';
  if (FIRST_WEIGHT.includes(stem)) return money ? 'firstFen' : 'firstWeightG';
  if (ADDITIONAL_UNIT.includes(stem)) return money ? 'additionalFen' : 'additionalUnitG';
  return null;
}

const WEIGHT_UNIT = '(kg|g|公斤|千克|克)';

/** Grams of a number in a unit (kg unless g / 克), when whole grams. */
function toGrams(n: string, unit: string | undefined): number | undefined {
  const g = unit && /^(g|克)$/.test(unit) ? Number(n) : Number(n) * 1000;
  const rounded = Math.round(g);
  return Math.abs(g - rounded) < 1e-6 ? rounded : undefined;
}

/**
 * A weight band's header as its range in grams: `0-0.5kg`, `0.5～1公斤`, `0~500g`, `1kg-2kg`,
 * `0.5kg以内` / `≤0.5kg` (from 0); a unit is required (on either bound). Undefined: not a band.
 */
export function readBandHeading(stem: string): { fromG: number; toG: number } | undefined {
  const range = new RegExp(
    `^(\\d+(?:\\.\\d+)?)${WEIGHT_UNIT}?(?:-|~|～|—|–|至|到)(\\d+(?:\\.\\d+)?)${WEIGHT_UNIT}?$`,
  ).exec(stem);
  if (range) {
    const [, from, fromUnit, to, toUnit] = range;
    if (!fromUnit && !toUnit) return undefined;
    const fromG = toGrams(from!, fromUnit ?? toUnit);
    const toG = toGrams(to!, toUnit ?? fromUnit);
    return fromG === undefined || toG === undefined ? undefined : { fromG, toG };
  }
  const within = new RegExp(`^(≤|<=|＜=)?(\\d+(?:\\.\\d+)?)${WEIGHT_UNIT}(以内|以下|内)?$`).exec(stem);
  if (within && (within[1] || within[4])) {
    const toG = toGrams(within[2]!, within[3]);
    return toG === undefined ? undefined : { fromG: 0, toG };
  }
  return undefined;
}

/** Splits one line into cells: the delimiter, double quotes around cells (`""` inside one). */
function cells(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter || (delimiter === ',' && c === '，')) {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

const NUMBER = /^\d+(\.\d+)?$/;

/** Grams from a cell (`1`, `0.5kg`, `500g`, `1公斤`), the header's unit when the cell has none; kg otherwise. */
function grams(value: string, unit: Unit): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(kg|公斤|千克|g|克)?$/i.exec(value.replace(/\s+/g, ''));
  if (!m) return undefined;
  const cellUnit = m[2] ? (/^(g|克)$/i.test(m[2]) ? 'g' : 'kg') : unit === 'g' ? 'g' : 'kg';
  const g = cellUnit === 'g' ? Number(m[1]) : Number(m[1]) * 1000;
  return Number.isInteger(Math.round(g * 1000) / 1000) ? Math.round(g) : undefined;
}

/** Fen from a cell in yuan (`3`, `3.50`, `¥3.5`, `3元`), or in fen when the header says so. */
function fen(value: string, unit: Unit): number | undefined {
  const text = value
    .replace(/\s+/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  if (!NUMBER.test(text)) return undefined;
  if (unit === 'fen') return /^\d+$/.test(text) ? Number(text) : undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  return Math.round(Number(text) * 100);
}

const HEADINGS: Record<
  'province' | 'firstWeightG' | 'firstFen' | 'additionalUnitG' | 'additionalFen',
  string
> = {
  province: '目的省份',
  firstWeightG: '首重(kg)',
  firstFen: '首重价格(元)',
  additionalUnitG: '续重(kg)',
  additionalFen: '续重价格(元)',
};

/**
 * Reads a rate table's CSV. Every bad cell is reported with its line and column (nothing is taken
 * from a file with any); the rows that read are then checked as the JSON upload is (provinces
 * known and priced once, weights whole grams, at most 40 rows).
 */
export function parseRateTableCsv(text: string): RateCsvParse {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const delimiter = raw.find((l) => l.trim() !== '')?.includes('\t') ? '\t' : ',';
  return parseRateTableGrid(raw.map((l, i) => ({ line: i + 1, cells: cells(l, delimiter) })));
}

/** One line of a sheet: its 1-based number in the file (or the sheet's row number) and its cells. */
export interface RateGridLine {
  line: number;
  cells: string[];
}

/**
 * Reads a rate table from a sheet's lines (a CSV's, a workbook's): the first line naming the
 * destination province is the header (a title above it is passed over), the rest one row each, as `parseRateTableCsv` describes; every issue names its line.
 */
export function parseRateTableGrid(grid: readonly RateGridLine[]): RateCsvParse {
  const blank = (g: RateGridLine) => g.cells.every((c) => c.trim() === '');
  // A title above the header (网点报价单 …) is passed over: the header is the first line naming the
  // destination province, else the first line with anything on it (which then misses columns).
  const namesProvince = (g: RateGridLine) =>
    g.cells.some((c) => {
      const { stem, unit } = readHeading(c);
      return columnOf(stem, unit) === 'province';
    });
  const found = grid.findIndex(namesProvince);
  const headerIndex = found >= 0 ? found : grid.findIndex((g) => !blank(g));
  if (headerIndex < 0)
    return {
      ok: false,
      issues: [issue(1, null, null, null, 'no_rows', 'the file is empty: a header and one row per province')],
    };
  const headerLine = grid[headerIndex]!.line;
  const headings = grid[headerIndex]!.cells.map((c) => c.trim());
  const units = new Map<RateColumn, { index: number; unit: Unit; heading: string }>();
  headings.forEach((h, index) => {
    const { stem, unit } = readHeading(h);
    const column = columnOf(stem, unit);
    if (column && !units.has(column)) units.set(column, { index, unit, heading: h });
  });
  // Weight band columns (0-0.5kg, 0.5-1kg, …), left to right; each must start where the last ended.
  const bandColumns: { index: number; heading: string; fromG: number; toG: number }[] = [];
  headings.forEach((h, index) => {
    const { stem, unit, bare } = readHeading(h);
    if (columnOf(stem, unit)) return;
    const band = readBandHeading(bare);
    if (!band) return;
    units.set(`bands.${bandColumns.length}`, { index, unit: unit === 'fen' ? 'fen' : 'yuan', heading: h });
    bandColumns.push({ index, heading: h, ...band });
  });
  const missing = (Object.keys(HEADINGS) as (keyof typeof HEADINGS)[]).filter(
    (c) => !units.has(c) && !(bandColumns.length && (c === 'firstWeightG' || c === 'firstFen')),
  );
  const headerIssues = [
    ...missing.map((c) =>
      issue(
        headerLine,
        c,
        HEADINGS[c],
        null,
        'missing_column',
        `the header has no ${HEADINGS[c]} column (it reads: ${headings.join(', ')})`,
      ),
    ),
    ...bandColumns.flatMap((b, n) => {
      const from = n === 0 ? 0 : bandColumns[n - 1]!.toG;
      if (b.fromG === from && b.toG > b.fromG) return [];
      const why =
        b.toG <= b.fromG
          ? 'ends where it starts or below'
          : n === 0
            ? 'does not start at 0'
            : `does not start where ${bandColumns[n - 1]!.heading} ends (${from} g)`;
      return [
        issue(
          headerLine,
          `bands.${n}`,
          b.heading,
          b.heading,
          'bad_band',
          `line ${headerLine}, ${b.heading}: the weight band ${why}; bands run from 0 up without gap or overlap, left to right (0-0.5kg, 0.5-1kg, 1-2kg)`,
        ),
      ];
    }),
  ];
  if (headerIssues.length) return { ok: false, issues: headerIssues };

  const issues: RateCsvIssue[] = [];
  const rows: RateTableInput['rows'] = [];
  const lines: number[] = [];
  grid.slice(headerIndex + 1).forEach((g) => {
    const line = g.line;
    if (blank(g)) return;
    const before = issues.length;
    const row = g.cells.map((c) => c.trim());
    const unitOf = (c: RateColumn) => units.get(c)?.unit ?? null;
    const headingOf = (c: RateColumn) => units.get(c)?.heading ?? HEADINGS[c as keyof typeof HEADINGS] ?? c;
    /** The cell of a column ('' when the sheet has no such column). */
    const value = (c: RateColumn) => {
      const at = units.get(c);
      return at ? (row[at.index] ?? '') : '';
    };
    const bad = (c: RateColumn, kind: RateCsvIssue['kind'], what: string) =>
      issues.push(
        issue(line, c, headingOf(c), value(c), kind, `line ${line}, ${headingOf(c)}: "${value(c)}" ${what}`),
      );
    const province = value('province');
    /** An optional column's cell: undefined when the file has no such column or leaves it blank. */
    const optional = (c: 'city' | 'origin' | 'surchargeFen') =>
      units.has(c) && value(c) ? value(c) : undefined;
    const [city, origin, surcharge] = [optional('city'), optional('origin'), optional('surchargeFen')];
    const surchargeFen = surcharge === undefined ? undefined : fen(surcharge, unitOf('surchargeFen'));
    if (surcharge !== undefined && surchargeFen === undefined)
      bad('surchargeFen', 'not_a_price', 'is not a price in yuan (such as 3 or 3.50)');
    if (!province) bad('province', 'empty', 'is empty: name the province (or * for every other)');
    const notAPrice = (c: RateColumn) =>
      bad(
        c,
        'not_a_price',
        unitOf(c) === 'fen' ? 'is not a whole number of fen' : 'is not a price in yuan (such as 3 or 3.50)',
      );

    const bandKeys = bandColumns.map((_, n) => `bands.${n}` as const);
    const banded = bandKeys.some((c) => value(c) !== '');
    const firstGiven = (['firstWeightG', 'firstFen'] as const).filter((c) => value(c) !== '');
    let first: Pick<RateTableInput['rows'][number], 'firstWeightG' | 'firstFen' | 'bands'> = {};
    if (banded && firstGiven.length)
      bad(
        firstGiven[0]!,
        'bands_and_first_weight',
        `prices the first weight and the row prices weight bands too: fill the bands or ${HEADINGS.firstWeightG} and ${HEADINGS.firstFen}, not both`,
      );
    else if (banded) {
      const bands = bandColumns.map((b, n) => ({
        upToG: b.toG,
        fen: fen(value(bandKeys[n]!), unitOf(bandKeys[n]!)),
      }));
      bands.forEach((b, n) => {
        if (value(bandKeys[n]!) === '')
          bad(bandKeys[n]!, 'band_missing', 'is empty: a row with weight bands prices every band');
        else if (b.fen === undefined) notAPrice(bandKeys[n]!);
      });
      first = { bands: bands as { upToG: number; fen: number }[] };
    } else if (bandColumns.length && !firstGiven.length)
      bad(
        bandKeys[0]!,
        'band_missing',
        `is empty: price the row's weight bands (or its ${HEADINGS.firstWeightG} and ${HEADINGS.firstFen})`,
      );
    else {
      first = {
        firstWeightG: grams(value('firstWeightG'), unitOf('firstWeightG')),
        firstFen: fen(value('firstFen'), unitOf('firstFen')),
      };
      if (first.firstWeightG === undefined)
        bad(
          'firstWeightG',
          'not_a_weight',
          `is not a weight (kilograms such as 1 or 0.5, or with its unit: 500g)`,
        );
      if (first.firstFen === undefined) notAPrice('firstFen');
    }
    const parsed = {
      province: OTHER_PROVINCES.has(province) ? '*' : province,
      ...(city !== undefined ? { city } : {}),
      ...(origin !== undefined ? { origin } : {}),
      ...first,
      additionalUnitG: grams(value('additionalUnitG'), unitOf('additionalUnitG')),
      additionalFen: fen(value('additionalFen'), unitOf('additionalFen')),
      ...(surchargeFen !== undefined ? { surchargeFen } : {}),
    };
    if (parsed.additionalUnitG === undefined)
      bad(
        'additionalUnitG',
        'not_a_weight',
        `is not a weight (kilograms such as 1 or 0.5, or with its unit: 500g)`,
      );
    if (parsed.additionalFen === undefined) notAPrice('additionalFen');
    if (issues.length === before) {
      rows.push(parsed as RateTableInput['rows'][number]);
      lines.push(line);
    }
  });
  if (issues.length) return { ok: false, issues };
  if (rows.length === 0)
    return {
      ok: false,
      issues: [issue(headerLine, null, null, null, 'no_rows', 'the file has a header but no rows')],
    };
  if (rows.length > MAX_RATE_TABLE_ROWS)
    return {
      ok: false,
      issues: [
        issue(
          lines[MAX_RATE_TABLE_ROWS]!,
          null,
          null,
          null,
          'too_many_rows',
          `the table has ${rows.length} rows, at most ${MAX_RATE_TABLE_ROWS}`,
        ),
      ],
    };
  const table = { rows };
  const checked = RateTableInputSchema.safeParse(table);
  if (checked.success) return { ok: true, table, lines };
  return {
    ok: false,
    issues: checked.error.issues.map((i) => {
      const index = typeof i.path[1] === 'number' ? i.path[1] : undefined;
      const band = i.path[2] === 'bands' && typeof i.path[3] === 'number' ? i.path[3] : undefined;
      const column = (
        band !== undefined ? `bands.${band}` : typeof i.path[2] === 'string' ? i.path[2] : null
      ) as RateColumn | null;
      const line = index === undefined ? headerLine : lines[index]!;
      const heading = column ? (units.get(column)?.heading ?? null) : null;
      const cell =
        index === undefined || !column
          ? undefined
          : band !== undefined
            ? rows[index]!.bands?.[band]?.upToG
            : (rows[index] as Record<string, unknown>)[column];
      const value = cell === undefined ? null : String(cell);
      // The schema counts rows from 0; the seller counts lines of the file.
      const twice = /rows (\d+) and (\d+)/.exec(i.message);
      const message = twice
        ? i.message.replace(twice[0], `lines ${lines[+twice[1]!]} and ${lines[+twice[2]!]}`)
        : i.message;
      const kind =
        column !== 'province' && column !== 'city' && column !== 'origin'
          ? 'invalid'
          : twice
            ? 'priced_twice'
            : column === 'city'
              ? 'unknown_city'
              : 'unknown_province';
      return {
        ...issue(
          line,
          column,
          heading,
          value,
          kind,
          `line ${line}${heading ? `, ${heading}` : ''}: ${message}`,
        ),
        ...(twice ? { firstLine: lines[+twice[1]!]! } : {}),
      };
    }),
  };
}

function issue(
  line: number,
  column: RateColumn | null,
  heading: string | null,
  value: string | null,
  kind: RateCsvIssue['kind'],
  problem: string,
): RateCsvIssue {
  return { line, column, heading, value, kind, problem };
}

/**
 * The text of an uploaded file: UTF-8 (with or without its byte-order mark), else GB18030 — what
 * Excel on a Chinese Windows writes when a sheet is saved as plain "CSV (逗号分隔)".
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
