/** Row types of the dropout-control module's tables (migration 0007_dropout). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DropoutTables {}
