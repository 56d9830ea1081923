/** What a service event on a unit records (service_event.type): a closed set of stable strings. */
export const SERVICE_EVENT_TYPES = ['inspection', 'rework', 'repair', 'return', 'note'] as const;
export type ServiceEventType = (typeof SERVICE_EVENT_TYPES)[number];
