/** The version reported by `tracelot --version`, /api/health and the OpenAPI document. */
export const VERSION = '0.1.0';
