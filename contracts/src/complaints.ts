/** Request and response shapes of the complaints module (filled in by its implementation). */
export {};
