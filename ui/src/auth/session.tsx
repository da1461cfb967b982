import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, currentToken, ok, onTokenChange, setToken } from '../client/client';
import type { paths } from '../client/schema';

export type Me = paths['/auth/me']['get']['responses'][200]['content']['application/json'];

interface Session {
  token: string | null;
  me: Me | undefined;
  loading: boolean;
  /**
   * Whether the API lets these credentials call `METHOD /path` (as the route is declared, e.g.
   * `can('POST', '/orders/:id/review')`). The UI shows an action only then; the API still checks.
   */
  can(method: string, path: string): boolean;
  /** Whether the roles include one of these (admin always does): for holds naming their role. */
  hasRole(roles: readonly string[]): boolean;
  signIn(token: string): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setTokenState] = useState(currentToken);
  const queryClient = useQueryClient();
  useEffect(() => onTokenChange(() => setTokenState(currentToken())), []);
  const me = useQuery({
    queryKey: ['me', token],
    queryFn: () => ok(api.GET('/auth/me')),
    enabled: Boolean(token),
    staleTime: 60_000,
  });
  const value = useMemo<Session>(() => {
    const may = new Set(me.data?.may ?? []);
    const roles = me.data?.roles ?? [];
    return {
      token,
      me: me.data,
      loading: Boolean(token) && me.isPending,
      can: (method, path) => may.has(`${method} ${path}`),
      hasRole: (needed) => roles.includes('admin') || needed.some((r) => roles.includes(r as never)),
      signIn: (next) => {
        queryClient.clear();
        setToken(next);
      },
      signOut: async () => {
        await api.POST('/auth/logout').catch(() => undefined);
        setToken(null);
        queryClient.clear();
      },
    };
  }, [token, me.data, me.isPending, queryClient]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
