import type { CarrierCode } from '../carriers/codes.js';
import type { RemarkIntent } from './intents.js';

/**
 * Phrases that signal each intent, per language. Chinese, Japanese and Thai are matched as
 * substrings (no spaces between words); languages written with spaces are matched on word
 * boundaries. Negations ("不要发票", "no invoice") are phrases of their own; the analyzer prefers
 * the longest match, so they win over the words they contain.
 */
export interface LexiconEntry {
  language: string;
  intent: RemarkIntent;
  pattern: RegExp;
  carrier?: CarrierCode;
}

const entries: LexiconEntry[] = [];

function substrings(language: string, intent: RemarkIntent, alternatives: string, carrier?: CarrierCode) {
  entries.push({
    language,
    intent,
    pattern: new RegExp(alternatives, 'giu'),
    ...(carrier ? { carrier } : {}),
  });
}

function words(language: string, intent: RemarkIntent, alternatives: string, carrier?: CarrierCode) {
  entries.push({
    language,
    intent,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu'),
    ...(carrier ? { carrier } : {}),
  });
}

// Chinese (matched after traditional characters are mapped to simplified ones).
substrings(
  'zh',
  'urgent',
  '加急|急用|急要|急需|着急|很急|急急|尽快|快点发|赶时间|今天发|当天发|马上发|速发|急件|急',
);
substrings('zh', 'no_rush', '不急|不着急|不用急|不赶时间|慢慢发');
substrings('zh', 'gift', '送人|送礼|礼物|礼品|送朋友|送女朋友|送男朋友|送老婆|送老公|送妈妈|送爸爸|送长辈');
substrings('zh', 'gift_wrap', '礼品包装|礼盒包装|包装成礼物|礼盒|精美包装|礼品袋|礼物包装');
substrings(
  'zh',
  'no_price_slip',
  '(?:不要|不用|别|勿|不)放?(?:价格单|发货单|小票|清单|价签|送货单|购物清单)|去掉价签|不要显示价格',
);
substrings('zh', 'invoice', '发票|开票|专票|普票|增值税');
substrings('zh', 'no_invoice', '(?:不要|不需要|不用|无需|不)开?发票|不要开票|不开票');
const zhCarriers: [CarrierCode, string][] = [
  ['SF', '顺丰'],
  ['ZTO', '中通'],
  ['YTO', '圆通'],
  ['STO', '申通'],
  ['YUNDA', '韵达'],
  ['JD', '京东(?:快递|物流)'],
  ['EMS', 'EMS'],
  ['POSTB', '邮政'],
  ['JTSD', '极兔'],
  ['DBKD', '德邦'],
];
for (const [code, name] of zhCarriers) {
  substrings('zh', 'carrier', `(?:发|走|用|要|指定|只发)?${name}(?:快递|速运|物流|速递)?`, code);
}
substrings('zh', 'carrier', '指定快递|指定物流');
substrings(
  'zh',
  'call_before_delivery',
  '电话联系|先打电话|打电话|提前电话|送货前电话|来电|电联|联系我|提前联系|到了打电话|送前联系|送货前联系',
);
substrings('zh', 'no_call', '(?:不要|别|勿|不用)(?:打电话|电联|来电)');
substrings('zh', 'leave_at_door', '放门口|放在门口|放家门口|门口');
substrings('zh', 'leave_with_guard', '门卫|传达室|物业|前台|保安室|保安');
substrings('zh', 'parcel_locker', '快递柜|丰巢|放柜|柜子|菜鸟驿站|驿站|自提点|代收点');
substrings('zh', 'weekend_delivery', '周末|星期六|星期天|星期日|周六|周日|礼拜六|礼拜天');
substrings('zh', 'workday_delivery', '工作日|周一到周五|上班时间');
substrings(
  'zh',
  'change_address',
  '改地址|修改地址|地址错了|地址写错|换地址|更换地址|新地址|地址改为|地址改成|改收货地址|改一下地址|地址有误|收货地址改',
);
substrings('zh', 'custom_made', '定制|订制|刻字|刻名字|印字|印名字|个性化|写上|刻上|印上|绣字|烫字');
substrings('zh', 'freebie', '赠品|小样|多送|送点|送个小|小礼物|试用装|多给点');
substrings('zh', 'fragile_care', '易碎|小心轻放|包装好|包装结实|包装严实|多包几层|加固|泡沫|气泡膜|防压');

// English.
words(
  'en',
  'urgent',
  'urgent(?:ly)?|asap|as soon as possible|rush(?: order)?|hurry|express shipping|priority',
);
words('en', 'no_rush', 'no rush|not urgent|no hurry');
words('en', 'gift', "(?:it'?s |this is )?a gift|gift for|birthday gift|present");
words('en', 'gift_wrap', 'gift[- ]?wrap(?:ped|ping)?|wrap (?:it )?as a gift|gift box|gift packaging');
words(
  'en',
  'no_price_slip',
  'no (?:price|receipt|packing slip)s?(?: inside| in the (?:box|package))?|remove (?:the )?price tags?',
);
words('en', 'invoice', 'invoice|fapiao|vat receipt|tax receipt');
words('en', 'no_invoice', "no invoice|(?:don'?t|do not) need (?:an |the )?invoice|without (?:an )?invoice");
for (const [code, name] of [
  ['DHL', 'dhl'],
  ['FEDEX', 'fedex'],
  ['UPS', 'ups'],
  ['USPS', 'usps'],
  ['SF', 'sf(?: express)?'],
  ['EMS', 'ems'],
] as [CarrierCode, string][]) {
  words('en', 'carrier', `(?:(?:ship|send)(?: it)? )?(?:(?:via|by|with) )?${name}`, code);
}
words(
  'en',
  'call_before_delivery',
  'call (?:me )?(?:before|prior to|ahead of|when) (?:delivery|delivering|arrival|arriving|you arrive)|call (?:me )?before|phone (?:me )?before|contact me before(?: delivery)?|call on arrival',
);
words('en', 'no_call', "(?:do not|don'?t) call(?: me)?|no calls?");
words(
  'en',
  'leave_at_door',
  'leave (?:it |the package |the parcel )?(?:at|by|in front of|outside) (?:the |my )?(?:front )?(?:door|doorstep|porch)|leave at door',
);
words(
  'en',
  'leave_with_guard',
  '(?:leave (?:it )?with|give (?:it )?to) (?:the )?(?:reception|concierge|security|guard|doorman|front desk|neighbou?r)',
);
words('en', 'parcel_locker', '(?:parcel )?locker|pick[- ]?up point|collection point');
words('en', 'weekend_delivery', '(?:on )?(?:the )?weekends?|saturday|sunday');
words('en', 'workday_delivery', 'weekdays?|business days?|office hours|monday to friday');
words(
  'en',
  'change_address',
  'change (?:the |my )?(?:shipping |delivery )?address|wrong address|new address|address (?:is )?(?:wrong|incorrect)|update (?:my |the )?address',
);
words(
  'en',
  'custom_made',
  'engrav(?:e|ed|ing)|personali[sz](?:e|ed|ation)|custom(?:i[sz]ed|i[sz]ation)?|monogram(?:med)?|print (?:my |the )?name',
);
words('en', 'freebie', 'free (?:gift|sample)s?|freebies?|extra samples?|samples?');
words(
  'en',
  'fragile_care',
  'fragile|handle with care|pack (?:it )?(?:well|carefully|securely)|bubble wrap|extra (?:packing|padding)',
);

// Spanish, German, French.
words('es', 'urgent', 'urgente|lo antes posible|lo más rápido posible|rápido');
words('es', 'gift', 'regalo|es un regalo');
words('es', 'gift_wrap', 'envolver (?:para|como) regalo|envuelto para regalo|papel de regalo');
words('es', 'invoice', 'factura');
words('es', 'no_invoice', 'sin factura|no necesito factura');
words('es', 'call_before_delivery', 'llamar antes|llámame antes|llamen antes|llamar al llegar');
words('es', 'leave_at_door', 'dejar(?:lo)? en la puerta');
words('es', 'weekend_delivery', 'fin de semana|sábado|domingo');
words('es', 'change_address', 'cambiar (?:la )?dirección|dirección (?:incorrecta|equivocada)');
words('es', 'custom_made', 'grabado|grabar|personalizado');
words('es', 'fragile_care', 'frágil|embalar bien');
words('de', 'urgent', 'dringend|eilig|so schnell wie möglich|schnellstmöglich');
words('de', 'gift', 'geschenk|ein geschenk');
words('de', 'gift_wrap', 'als geschenk verpacken|geschenkverpackung|geschenkpapier');
words('de', 'invoice', 'rechnung');
words('de', 'no_invoice', 'keine rechnung');
words(
  'de',
  'call_before_delivery',
  '(?:bitte )?vorher anrufen|vor der lieferung anrufen|rufen sie (?:mich )?(?:vorher )?an',
);
words('de', 'leave_at_door', 'vor der tür (?:ablegen|abstellen|lassen)|vor die tür');
words('de', 'parcel_locker', 'packstation|paketstation');
words('de', 'weekend_delivery', 'wochenende|samstag|sonntag');
words('de', 'change_address', 'adresse ändern|falsche adresse|neue adresse');
words('de', 'custom_made', 'gravur|gravieren|personalisiert|personalisierung');
words('de', 'fragile_care', 'zerbrechlich|gut verpacken|vorsichtig');
words('fr', 'urgent', 'urgente?|au plus vite|rapidement|dès que possible');
words('fr', 'gift', "cadeau|c'est un cadeau");
words('fr', 'gift_wrap', 'emballage cadeau|paquet cadeau');
words('fr', 'invoice', 'facture');
words('fr', 'no_invoice', 'pas de facture|sans facture');
words('fr', 'call_before_delivery', 'appeler avant|appelez[- ]moi avant|téléphoner avant');
words('fr', 'leave_at_door', '(?:laisser|déposer) (?:le colis )?devant la porte');
words('fr', 'parcel_locker', 'point relais|consigne');
words('fr', 'weekend_delivery', 'week-?end|samedi|dimanche');
words('fr', 'change_address', "changer (?:l'|d')?adresse|mauvaise adresse|nouvelle adresse");
words('fr', 'custom_made', 'gravure|graver|personnalisée?|personnalisation');
words('fr', 'fragile_care', 'fragile|bien emballer');

// Japanese and Korean.
substrings('ja', 'urgent', '至急|急ぎ|早めに|早く');
substrings('ja', 'gift', 'プレゼント|贈り物');
substrings('ja', 'gift_wrap', 'ギフト包装|ラッピング|ギフトラッピング');
substrings('ja', 'invoice', '領収書|インボイス');
substrings('ja', 'call_before_delivery', '配達前に(?:電話|連絡)|電話してください|事前に連絡');
substrings('ja', 'leave_at_door', '置き配|玄関前|ドアの前');
substrings('ja', 'parcel_locker', '宅配ボックス');
substrings('ja', 'weekend_delivery', '週末|土曜|日曜');
substrings('ja', 'change_address', '住所変更|住所を変更');
substrings('ja', 'custom_made', '刻印|名入れ');
substrings('ja', 'fragile_care', '割れ物|丁寧に梱包');
words('ko', 'urgent', '빨리|급해요|급합니다|긴급');
words('ko', 'gift', '선물');
words('ko', 'gift_wrap', '선물 ?포장');
words('ko', 'invoice', '영수증|세금계산서');
words('ko', 'call_before_delivery', '배송 ?전 ?전화|전화 ?주세요|연락 ?주세요');
words('ko', 'leave_at_door', '문 ?앞에?');
words('ko', 'parcel_locker', '택배함|무인택배함');
words('ko', 'weekend_delivery', '주말|토요일|일요일');
words('ko', 'change_address', '주소 ?변경|주소 ?수정');
words('ko', 'custom_made', '각인');
words('ko', 'fragile_care', '파손 ?주의|꼼꼼히 포장|안전하게 포장');

// Southeast Asia (Shopee markets): Indonesian, Malay, Vietnamese, Thai.
words('id', 'urgent', 'cepat|segera|buru-buru');
words('id', 'gift', 'hadiah|kado');
words('id', 'gift_wrap', 'bungkus kado|kado dibungkus|packing kado');
words('id', 'invoice', 'faktur');
words('id', 'call_before_delivery', 'telepon dulu|telpon dulu|hubungi sebelum(?: dikirim)?');
words('id', 'leave_at_door', '(?:taruh|letakkan|titip) (?:di )?depan pintu');
words('id', 'weekend_delivery', 'akhir pekan|hari sabtu|hari minggu');
words('id', 'change_address', 'ganti alamat|ubah alamat|alamat salah');
words('id', 'fragile_care', 'packing aman|bubble wrap|extra bubble|packing kayu|mudah pecah');
words('ms', 'gift_wrap', 'balut hadiah');
words('ms', 'call_before_delivery', 'call dulu|telefon dahulu');
words('ms', 'leave_at_door', 'letak depan pintu');
words('ms', 'weekend_delivery', 'hujung minggu');
words('ms', 'change_address', 'tukar alamat');
words('vi', 'urgent', 'gấp|nhanh|giao nhanh');
words('vi', 'gift_wrap', 'gói quà');
words('vi', 'gift', 'quà tặng');
words('vi', 'invoice', 'hóa đơn');
words('vi', 'call_before_delivery', 'gọi trước|gọi điện trước');
words('vi', 'leave_at_door', 'để (?:ở )?trước cửa');
words('vi', 'weekend_delivery', 'cuối tuần');
words('vi', 'change_address', 'đổi địa chỉ|sai địa chỉ');
words('vi', 'fragile_care', 'hàng dễ vỡ|đóng gói cẩn thận');
substrings('th', 'urgent', 'ด่วน');
substrings('th', 'gift', 'ของขวัญ');
substrings('th', 'gift_wrap', 'ห่อของขวัญ');
substrings('th', 'call_before_delivery', 'โทรก่อน');
substrings('th', 'leave_at_door', 'วางไว้หน้าประตู|วางหน้าบ้าน');
substrings('th', 'weekend_delivery', 'วันเสาร์|วันอาทิตย์|สุดสัปดาห์');
substrings('th', 'change_address', 'เปลี่ยนที่อยู่');
substrings('th', 'fragile_care', 'แตกง่าย');

export const LEXICON: readonly LexiconEntry[] = entries;

/**
 * Words that carry no request of their own (politeness, particles, "deliver", "the"): what is left
 * of a remark after intents and these are removed is text nobody has understood yet.
 */
export const FILLER_SUBSTRINGS: readonly string[] = [
  '辛苦了',
  '辛苦',
  '谢谢',
  '感谢',
  '麻烦',
  '拜托',
  '您好',
  '你好',
  '老板',
  '掌柜',
  '客服',
  '一下',
  '可以吗',
  '可以',
  '好的',
  '帮忙',
  '一定',
  '尽量',
  '务必',
  '发货',
  '出货',
  '这是',
  '这个',
  '也',
  '是',
  '这',
  '寄',
  '送货',
  '配送',
  '快递',
  '我们',
  '包裹',
  '宝贝',
  '东西',
  '商品',
  '请',
  '亲',
  '哦',
  '噢',
  '啊',
  '呀',
  '吧',
  '呢',
  '哈',
  '嗯',
  '的',
  '了',
  '帮',
  '我',
  '给',
  '要',
  '送',
  '发',
  '啦',
  '么',
  '吗',
  '能',
  '在',
  '到',
  '下',
  'お願いします',
  'ください',
  'ありがとう',
  'よろしく',
  'です',
  'ます',
  'に',
  'を',
  'で',
  'は',
  'して',
  '주세요',
  '감사합니다',
  '부탁드립니다',
  '부탁해요',
  'ค่ะ',
  'ครับ',
  'ขอบคุณ',
  'กรุณา',
];

export const FILLER_WORDS: readonly string[] = [
  // en
  'please',
  'pls',
  'plz',
  'thanks',
  'thank',
  'thx',
  'hi',
  'hello',
  'dear',
  'seller',
  'kindly',
  'the',
  'a',
  'an',
  'my',
  'me',
  'it',
  'this',
  'that',
  'order',
  'package',
  'parcel',
  'item',
  'items',
  'for',
  'to',
  'and',
  'or',
  'with',
  'be',
  'is',
  'are',
  'i',
  'we',
  'you',
  'would',
  'like',
  'can',
  'could',
  'need',
  'want',
  'if',
  'possible',
  'deliver',
  'delivery',
  'ship',
  'shipping',
  'send',
  'of',
  'on',
  'at',
  'in',
  'just',
  'also',
  'so',
  'much',
  'very',
  'make',
  'sure',
  'hope',
  'regards',
  'ok',
  'okay',
  'lot',
  'lots',
  // es, de, fr
  'por',
  'favor',
  'gracias',
  'el',
  'la',
  'los',
  'las',
  'de',
  'del',
  'y',
  'es',
  'un',
  'una',
  'pedido',
  'bitte',
  'danke',
  'die',
  'der',
  'das',
  'und',
  'ein',
  'eine',
  'ist',
  'merci',
  'le',
  'les',
  'et',
  'svp',
  "s'il",
  'vous',
  'plaît',
  'plait',
  'colis',
  // id, ms, vi
  'tolong',
  'terima',
  'kasih',
  'makasih',
  'ya',
  'kak',
  'mohon',
  'gan',
  'min',
  'barang',
  'kirim',
  'dikirim',
  'giao',
  'nya',
  'xin',
  'cảm',
  'ơn',
  'vui',
  'lòng',
  'giúp',
  'mình',
  'shop',
  'hàng',
];
