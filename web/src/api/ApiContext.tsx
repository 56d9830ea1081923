import { createContext, use } from 'react';
import type { Api } from './endpoints.js';

export const ApiContext = createContext<Api | null>(null);

/** The API client of this app (see main.tsx): the only way pages talk to the server. */
export function useApi(): Api {
  const api = use(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext>');
  return api;
}
