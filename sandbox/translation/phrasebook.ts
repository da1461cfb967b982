/**
 * What the translation simulators "know": remarks buyers on the cross-border channels write, with
 * the Chinese a general-purpose engine gives for them. A text not in the book comes back as it was
 * sent (what an engine does with words it cannot place), so the remark stays unrecognised and is
 * held for a person. Keys are compared lower-cased, without trailing punctuation.
 */
export interface PhrasebookEntry {
  /** ISO 639-1. */
  language: string;
  zh: string;
}

const BOOK: Record<string, PhrasebookEntry> = {
  // Vietnamese
  'vui lòng gọi trước khi giao hàng': { language: 'vi', zh: '请在送货前打电话' },
  'vui lòng gói quà': { language: 'vi', zh: '请礼品包装' },
  'giao hàng nhanh giúp tôi': { language: 'vi', zh: '请尽快发货' },
  'màu sắc có giống hình không': { language: 'vi', zh: '颜色和图片一样吗' },
  // Indonesian
  'tolong bungkus sebagai hadiah': { language: 'id', zh: '请包装成礼物' },
  'tolong telepon sebelum pengiriman': { language: 'id', zh: '请在送货前打电话' },
  'tolong taruh di depan pintu': { language: 'id', zh: '请放门口' },
  // Malay
  'sila hubungi sebelum penghantaran': { language: 'ms', zh: '送货前请电话联系' },
  // Thai
  กรุณาโทรก่อนส่ง: { language: 'th', zh: '送货前请打电话' },
  // Tagalog
  'pakibalot bilang regalo': { language: 'tl', zh: '请包装成礼物' },
  // English, German, Japanese (the demo's cross-border buyers, sandbox/orders/people.ts)
  'no invoice in the box please, it is a gift': {
    language: 'en',
    zh: '请不要在包裹里放发票，这是送人的礼物',
  },
  'please leave the parcel at the front door': { language: 'en', zh: '请把包裹放在前门' },
  'bitte vor der lieferung anrufen': { language: 'de', zh: '送货前请打电话' },
  ギフト包装をお願いします: { language: 'ja', zh: '请礼品包装' },
  // Portuguese, Spanish
  'por favor ligue antes da entrega': { language: 'pt', zh: '请在送货前打电话' },
  'por favor envolver para regalo': { language: 'es', zh: '请礼品包装' },
};

const key = (text: string) =>
  text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s.!?,。！？，~]+$/u, '');

/** The book's translation of `text`, or undefined. */
export function lookUpPhrase(text: string): PhrasebookEntry | undefined {
  return BOOK[key(text)];
}

/** A rough guess at the language of text the book does not know (scripts, then a few words). */
export function guessLanguage(text: string): string {
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (/\p{Script=Thai}/u.test(text)) return 'th';
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'ja';
  if (/\p{Script=Hangul}/u.test(text)) return 'ko';
  if (/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu.test(text)) return 'vi';
  if (/\b(tolong|dan|yang|sebagai|dengan|tidak)\b/iu.test(text)) return 'id';
  return 'en';
}
