/** Request and response shapes of the dropout-control module (控辍保学). */
export {};
