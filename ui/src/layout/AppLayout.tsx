import { Button, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session';
import { useLocale } from '../i18n/locale';
import { PAGES } from '../pages/registry';

/** The frame around every page: the menu shows only the pages the signed-in roles may open. */
export function AppLayout() {
  const session = useSession();
  const { t, code, language, setLanguage } = useLocale();
  const location = useLocation();
  const navigate = useNavigate();
  if (!session.token) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (session.loading || !session.me) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin tip={t('common.loading')}>
          <div style={{ width: 120, height: 60 }} />
        </Spin>
      </div>
    );
  }
  const visible = PAGES.filter((p) => !p.hidden && session.can(...(p.needs.split(' ') as [string, string])));
  const current = visible.find((p) => location.pathname.startsWith(`/${p.path}`))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 16 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          {t('app.title')}
        </Typography.Title>
        <nav aria-label={t('app.title')} style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={current ? [current] : []}
            items={visible.map((p) => ({ key: p.path, icon: p.icon, label: t(p.label) }))}
            onClick={({ key }) => navigate(`/${key}`)}
          />
        </nav>
        <Space>
          <Typography.Text style={{ color: '#fff' }} data-testid="whoami">
            {session.me.name}
          </Typography.Text>
          {session.me.roles.map((r) => (
            <Tag key={r}>{code(r)}</Tag>
          ))}
          <Button size="small" onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
            {t('app.language')}
          </Button>
          <Button size="small" onClick={() => void session.signOut()}>
            {t('app.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        <main>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}

/** Where a person lands: the first page their roles may open. */
export function HomeRedirect() {
  const session = useSession();
  const first = PAGES.find((p) => !p.hidden && session.can(...(p.needs.split(' ') as [string, string])));
  return <Navigate to={first ? `/${first.path}` : '/orders'} replace />;
}

/**
 * A page opened by its address (a link, a bookmark) that the signed-in roles may not open: said
 * so, instead of the page's buttons and the API's refusals of its first read.
 */
export function PageGuard({ needs, children }: { needs: string; children: ReactNode }) {
  const session = useSession();
  const { t } = useLocale();
  if (!session.me || session.can(...(needs.split(' ') as [string, string]))) return children;
  return (
    <div data-testid="not-allowed">
      <Result status="403" title={t('app.notAllowed')} subTitle={t('app.notAllowedHelp', { route: needs })} />
    </div>
  );
}
