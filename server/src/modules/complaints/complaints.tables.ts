/** Row types of the complaints module's tables (migration 0010_complaints). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables are made
export interface ComplaintTables {}
