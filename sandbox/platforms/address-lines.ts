import type { SimReceiver } from '../orders/model.js';

/**
 * A Chinese receiver as buyers type it into an address form without a district field (Shopify,
 * WooCommerce): the district at the start of the first line ("西湖区文三路100号"), the whole address
 * in the first line ("浙江省杭州市西湖区文三路100号"), or the district after the city
 * ("杭州市西湖区"). Where a city has no districts (东莞, 济源) the town takes its place, as addresses
 * there go straight to the town. The order id picks the way, so an order always renders the same.
 */
export function chineseAddressLines(
  receiver: SimReceiver,
  orderId: string,
): { city: string; address1: string } {
  const { province, city, detail } = receiver;
  const district = receiver.district || receiver.town || '';
  const style = [...orderId].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 3;
  switch (style) {
    case 0:
      return { city, address1: `${district}${detail}` };
    case 1:
      // 直辖市: "北京市朝阳区…", the province is the city.
      return { city, address1: `${province === city ? '' : province}${city}${district}${detail}` };
    default:
      return { city: `${city}${district}`, address1: detail };
  }
}
