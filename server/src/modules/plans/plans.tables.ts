/** Row types of the plans module's tables (migration 0008_plans). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables are made
export interface PlanTables {}
