/** Row types of the collection module's tables (migration 0012_collection). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the tables are made
export interface CollectionTables {}
