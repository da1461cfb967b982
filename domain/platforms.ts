import { z } from 'zod';

/**
 * Sales channels we capture orders from. Taobao and Tmall share the TOP API but sellers think of
 * them as separate channels, so both are listed. `own` is a seller's own site or mini-program that
 * pushes orders to us in our documented normalized format.
 */
export const PLATFORMS = [
  'taobao',
  'tmall',
  'jd',
  'pdd',
  'douyin',
  'shopee',
  'amazon',
  'shopify',
  'woocommerce',
  'kuaishou',
  'lazada',
  'tiktok',
  'xiaohongshu',
  'wechat_shop',
  'ebay',
  'walmart',
  'mercadolibre',
  'youzan',
  'aliexpress',
  'weidian',
  'alibaba_1688',
  'temu',
  'dewu',
  'vip',
  'own',
] as const;

export const PlatformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof PlatformSchema>;

export const PLATFORM_NAMES: Record<Platform, string> = {
  taobao: 'Taobao',
  tmall: 'Tmall',
  jd: 'JD',
  pdd: 'Pinduoduo',
  douyin: 'Douyin Shop',
  shopee: 'Shopee',
  amazon: 'Amazon',
  shopify: 'Shopify store',
  woocommerce: 'WooCommerce store',
  kuaishou: 'Kuaishou Shop (快手小店)',
  lazada: 'Lazada',
  tiktok: 'TikTok Shop',
  xiaohongshu: 'Xiaohongshu (小红书)',
  wechat_shop: 'WeChat Channels shop (微信小店/视频号)',
  ebay: 'eBay',
  walmart: 'Walmart Marketplace',
  mercadolibre: 'Mercado Libre',
  youzan: 'Youzan (有赞)',
  aliexpress: 'AliExpress',
  weidian: 'Weidian (微店)',
  alibaba_1688: '1688 (阿里巴巴)',
  temu: 'Temu',
  dewu: 'Dewu (得物)',
  vip: 'VIP.com (唯品会)',
  own: 'Own site / mini-program',
};

export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
