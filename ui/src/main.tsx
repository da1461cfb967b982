import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { SessionProvider } from './auth/session';
import { LocaleProvider } from './i18n/locale';
import { AppLayout, HomeRedirect, PageGuard } from './layout/AppLayout';
import { LoginPage } from './pages/LoginPage';
import { PAGES } from './pages/registry';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; a network blip may.
      retry: (count, error) => count < 2 && !('status' in error && Number(error.status) < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage /> },
    {
      path: '/',
      element: <AppLayout />,
      children: [
        { index: true, element: <HomeRedirect /> },
        ...PAGES.map((p) => ({
          path: p.path,
          element: <PageGuard needs={p.needs}>{p.element}</PageGuard>,
        })),
      ],
    },
  ],
  // The API serves the UI under /app/ (api/ui-static.ts): page paths never meet API paths.
  { basename: '/app' },
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <AntApp>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </AntApp>
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);
