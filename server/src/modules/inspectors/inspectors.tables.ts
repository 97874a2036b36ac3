/** Row types of the inspectors module's tables (migration 0006_inspectors). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface InspectorTables {}
