import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../client/client';

/** The warehouses, for filters and pickers. */
export function useWarehouses() {
  return useQuery({ queryKey: ['warehouses'], queryFn: () => ok(api.GET('/warehouses')), staleTime: 60_000 });
}
