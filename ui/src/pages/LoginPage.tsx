import { Alert, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { api, ApiError, ok, type Problem } from '../client/client';
import { useSession } from '../auth/session';
import { useLocale } from '../i18n/locale';

/** Sign in with a username and password (a session) or with an API key. */
export function LoginPage() {
  const session = useSession();
  const { t, language, setLanguage, errorText } = useLocale();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (session.token && session.me) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }

  async function withPassword(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const answer = await ok(api.POST('/auth/login', { body: values }));
      session.signIn(answer.token);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function withKey(values: { key: string }) {
    setBusy(true);
    setError(null);
    try {
      const key = values.key.trim();
      const res = await fetch('/auth/me', { headers: { authorization: `Bearer ${key}` } });
      if (!res.ok) throw new ApiError(res.status, (await res.json()) as Problem);
      session.signIn(key);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '100vh', background: '#f0f2f5' }}>
      <Card style={{ width: 420 }}>
        <main>
          <Typography.Title level={3}>{t('login.title')}</Typography.Title>
          {error && (
            <Alert
              type="error"
              showIcon
              title={t('login.failed')}
              description={error}
              style={{ marginBottom: 16 }}
            />
          )}
          <Tabs
            items={[
              {
                key: 'key',
                label: t('login.apiKey'),
                children: (
                  <Form layout="vertical" onFinish={withKey} requiredMark={false}>
                    <Form.Item
                      label={t('login.key')}
                      name="key"
                      extra={t('login.keyHelp')}
                      rules={[{ required: true, message: t('login.key') }]}
                    >
                      <Input.Password autoFocus autoComplete="off" placeholder="erp_…" />
                    </Form.Item>
                    <Button type="primary" htmlType="submit" loading={busy} block>
                      {t('login.submit')}
                    </Button>
                  </Form>
                ),
              },
              {
                key: 'password',
                label: t('login.password'),
                children: (
                  <Form layout="vertical" onFinish={withPassword} requiredMark={false}>
                    <Form.Item label={t('login.username')} name="username" rules={[{ required: true }]}>
                      <Input autoComplete="username" />
                    </Form.Item>
                    <Form.Item label={t('login.passwordField')} name="password" rules={[{ required: true }]}>
                      <Input.Password autoComplete="current-password" />
                    </Form.Item>
                    <Button type="primary" htmlType="submit" loading={busy} block>
                      {t('login.submit')}
                    </Button>
                  </Form>
                ),
              },
            ]}
          />
          <Button type="link" onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
            {t('app.language')}
          </Button>
        </main>
      </Card>
    </div>
  );
}
