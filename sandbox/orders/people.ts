/** Names and remarks for generated orders: what operators really see in order notes. */
export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '欧阳',
] as const;
export const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '子涵',
  '浩然',
] as const;

/** Buyer remarks (买家留言) as buyers write them. */
export const CHINESE_REMARKS = [
  '请周末送货',
  '加急',
  '送人的不要放发票',
  '请用顺丰发货',
  '不要放价格单，是送人的',
  '工作日白天家里没人，请放快递柜',
  '到了先打电话',
  '麻烦多送几个小样',
  '请尽快发货，谢谢',
  '包装结实一点，是易碎品',
] as const;

/** Cross-border buyers' remarks, in their own languages. */
export const FOREIGN_REMARKS = [
  'please gift wrap',
  'call before delivery',
  'Please leave the parcel at the front door',
  'No invoice in the box please, it is a gift',
  'Bitte vor der Lieferung anrufen',
  'Vui lòng gọi trước khi giao hàng',
  'Tolong bungkus sebagai hadiah',
  'ギフト包装をお願いします',
  'กรุณาโทรก่อนส่ง',
] as const;

/** Seller memos (卖家备注). */
export const SELLER_MEMOS = [
  '已核对库存',
  '老客户，加送小样',
  '地址已与买家电话确认',
  '优先发货',
  '买家要求改顺丰',
] as const;
