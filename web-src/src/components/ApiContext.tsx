import { createContext, useContext } from 'react';
import type { AdminApi } from '../api';

/** The admin-api client for the signed-in admin; set once by App after the host connection. */
export const ApiContext = createContext<AdminApi | null>(null);

export function useApi(): AdminApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}
