/**
 * How the API's refusals read in each language. The API answers in English with machine codes
 * (`code`, `params`, and per field `issues[].code`/`params`); the page says them in the reader's
 * language here, so a Chinese page never shows an English sentence where a code says enough.
 */

export interface ProblemLike {
  statusCode: number;
  code?: string;
  message: string;
  params?: Record<string, unknown>;
}

export interface IssueLike {
  field: string;
  problem: string;
  code?: string;
  params?: Record<string, unknown>;
}

type Catalog = Record<string, string>;

/**
 * Codes whose sentence is general (the status's own, or one code for several refusals): the API's
 * words follow it, since they name what exactly (which order, which state).
 */
const GENERAL = new Set([
  'INVALID_DATA',
  'NOT_FOUND',
  'CONFLICT',
  'UNPROCESSABLE',
  'FORBIDDEN',
  'ERROR',
  'InvalidDecision',
  'OrderNotHeld',
  'DecisionConflict',
  'UnknownParcel',
  'CaseNotOpen',
  'AmountAboveRequest',
  'WrongRole',
]);

const problemsZh: Catalog = {
  INVALID_DATA: '提交的内容有误',
  UNAUTHENTICATED: '请先登录（登录已失效或密钥无效）',
  FORBIDDEN: '当前角色无权执行此操作',
  NOT_FOUND: '未找到',
  CONFLICT: '与当前状态冲突',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  OLD_EXCEL_WORKBOOK:
    '旧版 Excel 工作簿（.xls）无法读取：请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”或 CSV 后再上传',
  UNPROCESSABLE: '无法处理该请求',
  TOO_MANY_REQUESTS: '尝试过于频繁，请稍后再试',
  INTERNAL: '系统内部错误，已记录日志',
  UNAVAILABLE: '服务暂不可用，请稍后重试',
  ERROR: '请求失败',
  NOT_ANSWERED_IN_TIME: '系统繁忙，未能及时应答；请稍后重试（同一操作只会生效一次）',
  UNKNOWN_WAREHOUSE: '没有仓库“{warehouse}”',
  NOTHING_WAITING_FOR_WAVE: '仓库“{warehouse}”没有等待波次的订单',
  InvalidDecision: '审核内容有误',
  OrderNotHeld: '订单不在待审核状态',
  OrderFinished: '订单已是“{status}”，不再接受处理',
  DecisionConflict: '该操作与订单当前状态冲突',
  UnknownParcel: '包裹不属于该订单',
  WrongRole: '当前角色无权做此决定',
  ActorNotVerified: '操作人身份未经验证',
  CaseNotOpen: '售后单当前不接受处理',
  AmountAboveRequest: '金额超过买家申请的金额',
};

const problemsEn: Catalog = {
  OLD_EXCEL_WORKBOOK:
    'An old Excel workbook (.xls) cannot be read: save it in Excel as "Excel Workbook (*.xlsx)" or as CSV and upload that',
  UNKNOWN_WAREHOUSE: 'No warehouse "{warehouse}"',
  NOTHING_WAITING_FOR_WAVE: 'No order of "{warehouse}" is waiting for a wave',
};

const issuesZh: Catalog = {
  required: '必填',
  invalid_type: '类型不对：应为{expected}',
  too_small_string: '至少 {minimum} 个字符',
  too_small_array: '至少 {minimum} 项',
  too_small: '不能小于 {minimum}',
  too_small_exclusive: '必须大于 {minimum}',
  too_big_string: '最多 {maximum} 个字符',
  too_big_array: '最多 {maximum} 项',
  too_big: '不能大于 {maximum}',
  too_big_exclusive: '必须小于 {maximum}',
  invalid_value: '只能是：{values}',
  invalid_format: '格式不正确（{format}）',
  unrecognized_keys: '不认识的字段：{keys}',
  not_multiple_of: '必须是 {divisor} 的倍数',
  invalid_union: '不符合任何一种允许的格式',
  invalid_key: '键无效',
  invalid_element: '含有无效的值',
  // A rate table's CSV (运费模板): the line of the file and the column as its header says it.
  rate_csv_missing_column: '表头缺少「{column}」列',
  rate_csv_no_rows: '文件里没有运费行（第 {line} 行之后为空）',
  rate_csv_too_many_rows: '运费行太多：最多 {maximum} 行（第 {line} 行起超出）',
  rate_csv_empty: '第 {line} 行「{column}」：未填写省份（其他省份写 *）',
  rate_csv_not_a_weight:
    '第 {line} 行「{column}」：“{value}”不是重量（公斤，如 1 或 0.5；或带单位，如 500g）',
  rate_csv_not_a_price: '第 {line} 行「{column}」：“{value}”不是金额（元，如 3 或 3.50）',
  rate_csv_unknown_province: '第 {line} 行「{column}」：“{value}”不是中国大陆的省份（其他省份写 *）',
  rate_csv_unknown_city: '第 {line} 行「{column}」：“{value}”不是该省的城市',
  rate_csv_not_a_workbook: '不是 Excel 工作簿（.xlsx），或没有数据：请上传 .xlsx，或另存为 CSV',
  rate_csv_bad_band:
    '表头「{column}」：重量段须从 0 起、前后相接、从左到右递增（如 0-0.5kg、0.5-1kg、1-2kg）',
  rate_csv_band_missing:
    '第 {line} 行「{column}」：未填写该重量段的价格（按重量段报价的行须填写每个重量段，或改填首重和首重价格）',
  rate_csv_bands_and_first_weight: '第 {line} 行「{column}」：同一行不能既填重量段价格又填首重，请只填其一',
  rate_csv_priced_twice: '第 {line} 行「{column}」：“{value}”重复定价（第 {firstLine} 行已有）',
};

const typesZh: Catalog = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '是/否',
  array: '列表',
  object: '对象',
  date: '日期',
};

/** Says a code the API sends (a status, a type) in words; unknown ones as they are. */
type Words = (value: string) => string;

function fill(sentence: string, params: Record<string, unknown> | undefined, words: Words): string {
  return sentence.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (Array.isArray(value)) return value.map(String).join('、');
    return value === undefined ? '' : words(String(value));
  });
}

/** A refusal in the reader's language: the code's sentence, and the API's words where it is general. */
export function describeProblem(
  problem: ProblemLike,
  language: 'zh' | 'en',
  words: Words = (value) => value,
): string {
  const catalog = language === 'zh' ? problemsZh : problemsEn;
  const sentence = problem.code ? catalog[problem.code] : undefined;
  if (!sentence) {
    if (language === 'en') return `${problem.statusCode} · ${problem.message}`;
    const general = problemsZh[fallbackCode(problem.statusCode)]!;
    return `${general}：${problem.message}`;
  }
  const said = fill(sentence, problem.params, words);
  return GENERAL.has(problem.code!) && language === 'zh' ? `${said}：${problem.message}` : said;
}

function fallbackCode(status: number): string {
  if (status === 400) return 'INVALID_DATA';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 422) return 'UNPROCESSABLE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status === 503) return 'UNAVAILABLE';
  return status >= 500 ? 'INTERNAL' : 'ERROR';
}

/** One field's problem in the reader's language; our own refinements (no code) as the API said them. */
export function describeIssue(issue: IssueLike, language: 'zh' | 'en'): string {
  if (language === 'en' || !issue.code) return issue.problem;
  const params = issue.params ?? {};
  const key = issueKey(issue.code, params);
  const sentence = key ? issuesZh[key] : undefined;
  return sentence ? fill(sentence, params, (value) => typesZh[value] ?? value) : issue.problem;
}

function issueKey(code: string, params: Record<string, unknown>): string | undefined {
  if (code === 'invalid_type' && params.received === 'undefined') return 'required';
  if (code === 'too_small' || code === 'too_big') {
    if (params.origin === 'string' || params.origin === 'array') return `${code}_${params.origin}`;
    return params.inclusive === false ? `${code}_exclusive` : code;
  }
  return code;
}
