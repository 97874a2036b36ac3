/** Request and response shapes of the plans module (filled in by its implementation). */
export {};
