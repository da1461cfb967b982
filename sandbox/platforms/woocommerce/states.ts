/**
 * WooCommerce's Chinese states as the plugin lists them (`i18n/states.php`, country `CN`): the code
 * a checkout stores and the label it shows. The simulated shop picks a state by its label, the way
 * a buyer does at checkout, so the adapter's own code table is checked against this list rather
 * than against itself. Macau is both a country and `CN30`; Hong Kong and Taiwan are countries.
 */
const CN_STATES: ReadonlyArray<readonly [code: string, label: string]> = [
  ['CN1', 'Yunnan / 云南'],
  ['CN2', 'Beijing / 北京'],
  ['CN3', 'Tianjin / 天津'],
  ['CN4', 'Hebei / 河北'],
  ['CN5', 'Shanxi / 山西'],
  ['CN6', 'Inner Mongolia / 內蒙古'],
  ['CN7', 'Liaoning / 辽宁'],
  ['CN8', 'Jilin / 吉林'],
  ['CN9', 'Heilongjiang / 黑龙江'],
  ['CN10', 'Shanghai / 上海'],
  ['CN11', 'Jiangsu / 江苏'],
  ['CN12', 'Zhejiang / 浙江'],
  ['CN13', 'Anhui / 安徽'],
  ['CN14', 'Fujian / 福建'],
  ['CN15', 'Jiangxi / 江西'],
  ['CN16', 'Shandong / 山东'],
  ['CN17', 'Henan / 河南'],
  ['CN18', 'Hubei / 湖北'],
  ['CN19', 'Hunan / 湖南'],
  ['CN20', 'Guangdong / 广东'],
  ['CN21', 'Guangxi Zhuang / 广西壮族'],
  ['CN22', 'Hainan / 海南'],
  ['CN23', 'Chongqing / 重庆'],
  ['CN24', 'Sichuan / 四川'],
  ['CN25', 'Guizhou / 贵州'],
  ['CN26', 'Shaanxi / 陕西'],
  ['CN27', 'Gansu / 甘肃'],
  ['CN28', 'Qinghai / 青海'],
  ['CN29', 'Ningxia Hui / 宁夏'],
  ['CN30', 'Macau / 澳门'],
  ['CN31', 'Tibet / 西藏'],
  ['CN32', 'Xinjiang / 新疆'],
];

// The list writes 內蒙古 with the traditional 內; addresses use 内.
const normalize = (name: string) => name.trim().replace(/^內/, '内');

/**
 * The state code of a Chinese province name (浙江省, 广西壮族自治区, 北京市): the entry whose Chinese
 * label starts the same way. The first two characters tell every province apart.
 */
export function wooStateForProvince(province: string): string | undefined {
  const wanted = normalize(province).slice(0, 2);
  if (wanted.length < 2) return undefined;
  return CN_STATES.find(([, label]) => normalize(label.split(' / ')[1] ?? '').startsWith(wanted))?.[0];
}
