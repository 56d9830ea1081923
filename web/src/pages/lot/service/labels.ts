import type { LifecycleOperation, ServiceEventType } from '../../../api/types.js';

export const SERVICE_EVENT_LABELS: Record<ServiceEventType, string> = {
  inspection: 'Inspection',
  rework: 'Rework',
  repair: 'Repair',
  return: 'Return',
  note: 'Note',
};
export const SERVICE_EVENT_TYPES = Object.keys(SERVICE_EVENT_LABELS) as ServiceEventType[];

export const OPERATION_LABELS: Record<LifecycleOperation, string> = {
  ship: 'Ship',
  return: 'Return',
  start_repair: 'Start repair',
  release: 'Release',
  scrap: 'Scrap',
};
