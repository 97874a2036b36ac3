/** Row types of the safety module's tables (migration 0005_safety). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SafetyTables {}
