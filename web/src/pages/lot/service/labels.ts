import type { ServiceEventType } from '../../../api/types.js';

export const SERVICE_EVENT_LABELS: Record<ServiceEventType, string> = {
  inspection: 'Inspection',
  rework: 'Rework',
  repair: 'Repair',
  return: 'Return',
  note: 'Note',
};
export const SERVICE_EVENT_TYPES = Object.keys(SERVICE_EVENT_LABELS) as ServiceEventType[];
