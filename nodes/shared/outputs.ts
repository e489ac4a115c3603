/**
 * The outputs of every RBM operation: successes first, then phones RCS cannot reach (the SMS
 * fallback); RBM Send Message with a Send Window has a third, messages held for later.
 */
export const OUTPUT_SUCCESS = 0;
export const OUTPUT_NOT_REACHABLE = 1;
export const OUTPUT_DEFERRED = 2;
