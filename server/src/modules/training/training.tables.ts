/** Row types of the training module's tables (migration 0009_training). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables are made
export interface TrainingTables {}
