/**
 * The simulated network's own carrier table: each carrier's name as it prints on scans, and the
 * code each service knows it by — Kuaidi100 `com` (API-FACTS §11), KDNiao `ShipperCode` (§12) and
 * Cainiao `cp_code` (§10, whose list is unverified). Kept apart from the adapters' registry, so a
 * wrong code on either side makes a lookup fail instead of agreeing with itself.
 *
 * Columns: network key, printed name, kuaidi100, kdniao, cainiao ('' = the service has no code).
 */
const TABLE = `
SF        顺丰速运      shunfeng          SF               SF
ZTO       中通快递      zhongtong         ZTO              ZTO
YTO       圆通速递      yuantong          YTO              YTO
STO       申通快递      shentong          STO              STO
YUNDA     韵达快递      yunda             YD               YUNDA
JD        京东物流      jd                JD               JD
EMS       EMS           ems               EMS              EMS
POSTB     邮政快递包裹  youzhengguonei    YZPY             POSTB
JTSD      极兔速递      jtexpress         JTSD             JTSD
DBKD      德邦快递      debangkuaidi      DBL              DBKD
HTKY      百世快递      huitongkuaidi     HTKY             HTKY
ZJS       宅急送        zhaijisong        ZJS              ''
UC        优速快递      youshuwuliu       UC               ''
HHTT      天天快递      tiantian          HHTT             ''
DANNIAO   丹鸟          danniao           ''               ''
SNWL      苏宁物流      suning            SNWL             ''
ZYKD      众邮快递      zhongyouex        ''               ''
ANE       安能物流      annengwuliu       ANE              ''
FWX       丰网速运      fengwang          FWX              ''
SXJD      顺心捷达      shunxinjieda      ''               ''
KYE       跨越速运      kuayue            KYSY             ''
ZTOKY     中通快运      zhongtongkuaiyun  ZTOKY            ''
SFKY      顺丰快运      shunfengkuaiyun   SHUNFENGKUAIYUN  ''
YDKY      韵达快运      yundakuaiyun      YDKY             ''
BSKY      百世快运      baishiwuliu       BTWL             ''
JDKY      京东快运      jingdongkuaiyun   ''               ''
DBL       德邦物流      debangwuliu       DBLKY            ''
SHANSONG  闪送          shansong          ''               ''
DHL       DHL国际快递   dhl               ''               ''
FEDEX     联邦快递      fedex             ''               ''
UPS       UPS国际快递   ups               UPS              ''
USPS      美国邮政      usps              ''               ''
`;

export type CarrierService = 'kuaidi100' | 'kdniao' | 'cainiao';

interface SimCarrierRow {
  key: string;
  name: string;
  codes: Record<CarrierService, string>;
}

const ROWS: SimCarrierRow[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [key, name, kuaidi100, kdniao, cainiao] = line.trim().split(/\s+/) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const code = (text: string) => (text === "''" ? '' : text);
    return { key, name, codes: { kuaidi100: code(kuaidi100), kdniao: code(kdniao), cainiao: code(cainiao) } };
  });

/** The network's key of the carrier a service's code names; undefined when the service has no such code. */
export function carrierForCode(service: CarrierService, code: string): string | undefined {
  const wanted = code.trim();
  if (!wanted) return undefined;
  return ROWS.find((row) => row.codes[service] === wanted)?.key;
}

/** The name printed on a carrier's scans (顺丰速运), or the key itself for a carrier not listed. */
export function carrierName(key: string): string {
  return ROWS.find((row) => row.key === key)?.name ?? key;
}

/** Every code a service knows carriers by. */
export function codesOf(service: CarrierService): string[] {
  return ROWS.map((row) => row.codes[service]).filter((code) => code !== '');
}
