/** Request and response shapes of the training module (filled in by its implementation). */
export {};
