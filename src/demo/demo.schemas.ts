import { z } from 'zod';

export const DemoSummary = z.object({
  parts: z.number().int(),
  lots: z.number().int().describe('lots received'),
  projects: z.object({ powerModule: z.string(), sensorNode: z.string() }),
  builds: z.object({
    powerModules: z
      .string()
      .describe('the finished power-module build, one unit with a failed test'),
    finished: z.string().describe('the finished sensor-node build, power modules installed'),
    inProgress: z.string().describe('the sensor-node build with stage 1 done for units 1–3'),
  }),
  shipment: z.string(),
  returnedUnit: z.string().describe('shipped, returned, repaired and released'),
});
export type DemoSummary = z.infer<typeof DemoSummary>;
