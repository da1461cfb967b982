/**
 * Traditional → simplified characters for the words the remark lexicon knows, so a Taiwan or
 * Hong Kong buyer's "請盡快出貨，要發票" is read like "请尽快出货，要发票". Character for character,
 * so positions in the text do not move.
 */
const PAIRS =
  '發发禮礼電电門门週周話话聯联繫系錯错寫写換换櫃柜遞递豐丰郵邮韻韵達达圓圆訂订個个價价單单裝装開开贈赠樣样點点輕轻東东衛卫臺台檯台業业儘尽盡尽號号時时間间給给謝谢煩烦請请幫帮這这們们買买賣卖貨货運运費费製制計计傳传讓让驛驿實实嚴严層层幾几護护當当馬马長长媽妈爺爷無无須须專专設设後后為为邊边從从來来過过還还會会說说進进麼么嗎吗壓压結结顯显圍围選选擇择帶带訊讯聽听歡欢應应寶宝貝贝碼码補补動动與与種种紅红綠绿藍蓝黃黄樓楼棟栋區区縣县鄉乡鎮镇館馆廳厅廠厂誤误處处';

const MAP = new Map<string, string>();
for (let i = 0; i + 1 < PAIRS.length; i += 2) MAP.set(PAIRS[i]!, PAIRS[i + 1]!);

export function toSimplified(text: string): string {
  let out = '';
  for (const ch of text) out += MAP.get(ch) ?? ch;
  return out;
}
