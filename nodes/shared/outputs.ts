/** The outputs of every RBM operation: successes first, then phones RCS cannot reach (the SMS fallback). */
export const OUTPUT_SUCCESS = 0;
export const OUTPUT_NOT_REACHABLE = 1;
