import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../client/client';

/** The shops, for filters (every role may list them). */
export function useShops() {
  return useQuery({
    queryKey: ['shops'],
    queryFn: () => ok(api.GET('/shops')),
    staleTime: 60_000,
  });
}
