import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ok } from '../client/client';
import type { paths } from '../client/schema';
import type { OrderRow } from '../client/types';
import {
  DeadlineCell,
  DeadlineFilterItems,
  deadlineQuery,
  type DeadlineValues,
} from '../components/DeadlineFilter';
import { CodeTag, Money, Time } from '../components/format';
import { OrderDetail } from '../components/OrderDetail';
import { typingInField } from '../components/ReviewActions';
import { useShops } from '../components/useShops';
import { useLocale } from '../i18n/locale';

type ListQuery = NonNullable<paths['/orders']['get']['parameters']['query']>;

const STATUSES = [
  'awaiting_payment',
  'held',
  'out_of_stock',
  'awaiting_wave',
  'picking',
  'packed',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'exception',
];
/** A ship-by deadline binds until the order is with the carrier. */
const SHIPPED_OR_ENDED = ['shipped', 'delivered', 'completed', 'cancelled'];
const TYPES = ['normal', 'presale', 'group_buy', 'livestream'];
const FLAGS = [
  'urgent',
  'gift',
  'vip',
  'fragile',
  'cold_chain',
  'custom_made',
  'invoice',
  'cross_border',
  'large_order',
  'remark',
];
const PLATFORMS = ['taobao', 'jd', 'pdd', 'douyin', 'shopee', 'amazon', 'shopify', 'woocommerce', 'own'];
const TEXT_FILTERS = [
  'q',
  'phoneTail',
  'trackingNumber',
  'sku',
  'platform',
  'shopId',
  'status',
  'type',
  'flag',
  'from',
  'to',
] as const;

/** 订单: search by order id, platform id, buyer, phone tail, tracking number or SKU, and filter. */
export function OrdersPage() {
  const { t, code, platform } = useLocale();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm();
  const searchRef = useRef<HTMLInputElement>(null);
  const filter = Object.fromEntries(
    TEXT_FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])),
  ) as Partial<ListQuery>;
  const due: DeadlineValues = {
    dueWithinHours: params.get('dueWithinHours') ? Number(params.get('dueWithinHours')) : null,
    overdue: params.get('overdue') === 'true',
  };
  Object.assign(filter, deadlineQuery(due));

  useEffect(() => {
    form.setFieldsValue({ ...filter, ...due, dates: undefined });
  }, [params]);

  useEffect(() => {
    // "/" jumps to the search box, as in most back-office tools.
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !typingInField(event)) {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const shops = useShops();
  const orders = useInfiniteQuery({
    queryKey: ['orders', filter],
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/orders', {
          params: { query: { ...filter, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 15_000,
  });
  const rows: OrderRow[] = orders.data?.pages.flatMap((p) => p.orders) ?? [];

  function search(
    values: Record<string, string | undefined> & { dates?: [Dayjs, Dayjs] | null } & DeadlineValues,
  ) {
    const next = new URLSearchParams();
    for (const key of TEXT_FILTERS) {
      const value = values[key];
      if (typeof value === 'string' && value.trim()) next.set(key, value.trim());
    }
    for (const [key, value] of Object.entries(deadlineQuery(values))) next.set(key, String(value));
    if (values.dates) {
      next.set('from', values.dates[0].startOf('day').toISOString());
      next.set('to', values.dates[1].endOf('day').toISOString());
    }
    setParams(next);
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('order.title')}</Typography.Title>
      <Card size="small">
        <Form form={form} layout="inline" onFinish={search} role="search" aria-label={t('order.title')}>
          <Form.Item name="q" label={t('order.search')}>
            <Input
              ref={(el) => void (searchRef.current = el?.input ?? null)}
              allowClear
              style={{ width: 220 }}
              placeholder="/"
            />
          </Form.Item>
          <Form.Item
            name="phoneTail"
            label={t('order.phoneTail')}
            rules={[{ pattern: /^\d{4}$/, message: t('order.phoneTail') }]}
          >
            <Input allowClear style={{ width: 90 }} maxLength={4} inputMode="numeric" />
          </Form.Item>
          <Form.Item name="trackingNumber" label={t('order.tracking')}>
            <Input allowClear style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="sku" label={t('order.sku')}>
            <Input allowClear style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="platform" label={t('common.platform')}>
            <Select
              allowClear
              style={{ width: 120 }}
              options={PLATFORMS.map((p) => ({ value: p, label: platform(p) }))}
            />
          </Form.Item>
          <Form.Item name="shopId" label={t('common.shop')}>
            <Select
              allowClear
              showSearch
              style={{ width: 160 }}
              options={(shops.data?.shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item name="status" label={t('common.status')}>
            <Select
              allowClear
              style={{ width: 120 }}
              options={STATUSES.map((s) => ({ value: s, label: code(s) }))}
            />
          </Form.Item>
          <Form.Item name="type" label={t('order.type')}>
            <Select
              allowClear
              style={{ width: 100 }}
              options={TYPES.map((s) => ({ value: s, label: code(s) }))}
            />
          </Form.Item>
          <Form.Item name="flag" label={t('order.flag')}>
            <Select
              allowClear
              style={{ width: 100 }}
              options={FLAGS.map((s) => ({ value: s, label: code(s) }))}
            />
          </Form.Item>
          <Form.Item name="dates" label={t('order.dateRange')}>
            <DatePicker.RangePicker />
          </Form.Item>
          <DeadlineFilterItems />
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setParams(new URLSearchParams());
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form>
      </Card>
      <Table<OrderRow>
        size="small"
        rowKey="id"
        loading={orders.isPending}
        dataSource={rows}
        pagination={false}
        onRow={(row) => ({
          onClick: () => navigate(`/orders/${encodeURIComponent(row.id)}`),
          style: { cursor: 'pointer' },
        })}
        columns={[
          {
            title: t('order.platformOrderId'),
            render: (_, o) => <Link to={`/orders/${encodeURIComponent(o.id)}`}>{o.platform_order_id}</Link>,
          },
          { title: t('common.shop'), render: (_, o) => `${platform(o.platform)} · ${o.shop_id}` },
          { title: t('order.buyer'), dataIndex: 'buyer_nick' },
          {
            title: t('common.status'),
            render: (_, o) => (
              <Space size={2} wrap>
                <CodeTag value={o.status} />
                {o.locked && <Tag color="red">{t('order.locked')}</Tag>}
                {o.flags.map((f) => (
                  <CodeTag key={f} value={f} color="gold" />
                ))}
              </Space>
            ),
          },
          { title: t('order.type'), render: (_, o) => code(o.order_type) },
          { title: t('order.amount'), render: (_, o) => <Money fen={o.paid_fen} /> },
          {
            title: t('deadline.shipBy'),
            render: (_, o) => <DeadlineCell at={o.ship_by_at} open={!SHIPPED_OR_ENDED.includes(o.status)} />,
          },
          { title: t('order.captured'), render: (_, o) => <Time at={o.captured_at} /> },
        ]}
      />
      {orders.hasNextPage && (
        <Button onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
          {t('order.more')}
        </Button>
      )}
    </Space>
  );
}

/** /app/orders/:id — one order, followed live to delivery. */
export function OrderPage() {
  const { id } = useParams();
  const { t } = useLocale();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Link to="/orders">← {t('order.title')}</Link>
      {id && <OrderDetail key={id} orderId={id} />}
    </Space>
  );
}
