/** Request and response shapes of the collection module (filled in by its implementation). */
export {};
