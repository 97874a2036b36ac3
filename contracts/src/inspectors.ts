/** Request and response shapes of the inspectors module. */
export {};
