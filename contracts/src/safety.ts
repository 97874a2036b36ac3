/** Request and response shapes of the safety module. */
export {};
