import { findProvince } from '../../domain/carriers/regions.js';

/**
 * City codes the simulators print as sort codes. SF's origin/destination codes are the city's
 * telephone area code (杭州 571, 北京 010); other cities fall back to their provincial capital.
 */
const AREA_CODES: Record<string, string> = {
  北京: '010',
  上海: '021',
  天津: '022',
  重庆: '023',
  广州: '020',
  深圳: '755',
  东莞: '769',
  佛山: '757',
  杭州: '571',
  宁波: '574',
  温州: '577',
  金华: '579',
  南京: '025',
  苏州: '512',
  无锡: '510',
  武汉: '027',
  成都: '028',
  西安: '029',
  沈阳: '024',
  大连: '411',
  哈尔滨: '451',
  长春: '431',
  石家庄: '311',
  太原: '351',
  呼和浩特: '471',
  合肥: '551',
  福州: '591',
  厦门: '592',
  南昌: '791',
  济南: '531',
  青岛: '532',
  郑州: '371',
  长沙: '731',
  南宁: '771',
  海口: '898',
  贵阳: '851',
  昆明: '871',
  拉萨: '891',
  兰州: '931',
  西宁: '971',
  银川: '951',
  乌鲁木齐: '991',
};

const short = (name: string) => name.trim().replace(/(市|地区|盟|自治州)$/, '');

export function areaCode(province: string, city: string | undefined): string {
  const direct = AREA_CODES[short(city ?? '')];
  if (direct) return direct;
  const capital = findProvince(province)?.capital;
  return (capital && AREA_CODES[short(capital)]) || '000';
}
