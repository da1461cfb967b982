import {
  AuditOutlined,
  CustomerServiceOutlined,
  CarOutlined,
  FileSearchOutlined,
  InboxOutlined,
  ShopOutlined,
  ApartmentOutlined,
  BarChartOutlined,
  PrinterOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/messages';
import { AfterSaleCasePage, AfterSalesPage } from './AfterSalesPage';
import { OrderPage, OrdersPage } from './OrdersPage';
import { ReportsPage } from './ReportsPage';
import { ReviewQueuePage } from './ReviewQueuePage';
import { RulesPage } from './RulesPage';
import { ShipmentsPage } from './ShipmentsPage';
import { ShopsPage } from './ShopsPage';
import { WarehousePage } from './WarehousePage';
import { WaybillAccountsPage } from './WaybillAccountsPage';

/**
 * Every page of the app: its path under /app/, its menu label, and the API route a person must be
 * allowed to call to see it (`GET /auth/me`'s `may`). Adding a page (after-sales, reports) is one
 * entry here once its API exists and `npm run ui:api` has regenerated the types.
 */
export interface PageDef {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** "METHOD /route" the page reads first; without it the page is not in the menu. */
  needs: string;
  element: ReactNode;
  /** Pages reached from another page (an order's detail), not listed in the menu. */
  hidden?: boolean;
}

export const PAGES: PageDef[] = [
  {
    path: 'reviews',
    label: 'nav.reviews',
    icon: <AuditOutlined />,
    needs: 'GET /reviews',
    element: <ReviewQueuePage />,
  },
  {
    path: 'orders',
    label: 'nav.orders',
    icon: <FileSearchOutlined />,
    needs: 'GET /orders',
    element: <OrdersPage />,
  },
  {
    path: 'orders/:id',
    label: 'order.detail',
    icon: null,
    needs: 'GET /orders/:id',
    element: <OrderPage />,
    hidden: true,
  },
  {
    path: 'after-sales',
    label: 'nav.afterSales',
    icon: <CustomerServiceOutlined />,
    needs: 'GET /after-sales',
    element: <AfterSalesPage />,
  },
  {
    path: 'after-sales/:id',
    label: 'as.case',
    icon: null,
    needs: 'GET /after-sales/:id',
    element: <AfterSaleCasePage />,
    hidden: true,
  },
  {
    path: 'warehouse',
    label: 'nav.warehouse',
    icon: <InboxOutlined />,
    needs: 'GET /wms/waves',
    element: <WarehousePage />,
  },
  {
    path: 'shipments',
    label: 'nav.shipments',
    icon: <CarOutlined />,
    needs: 'GET /shipments',
    element: <ShipmentsPage />,
  },
  { path: 'shops', label: 'nav.shops', icon: <ShopOutlined />, needs: 'GET /shops', element: <ShopsPage /> },
  {
    path: 'waybill-accounts',
    label: 'nav.waybillAccounts',
    icon: <PrinterOutlined />,
    needs: 'GET /shops/:id/waybill-accounts',
    element: <WaybillAccountsPage />,
  },
  {
    path: 'rules',
    label: 'nav.rules',
    icon: <ApartmentOutlined />,
    needs: 'GET /audit-rules',
    element: <RulesPage />,
  },
  {
    path: 'reports',
    label: 'nav.reports',
    icon: <BarChartOutlined />,
    needs: 'GET /reports/sales',
    element: <ReportsPage />,
  },
];
