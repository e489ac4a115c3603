/** What a route handler gets (built by server.ts after auth, rate limit and fault checks). */
import type { IncomingMessage } from 'node:http';

import type { EmulatorCore } from '../state';
import type { Endpoint } from '../types';

export interface RouteContext {
	core: EmulatorCore;
	req: IncomingMessage;
	url: URL;
	/** Decoded path captures (phone, messageId …). */
	params: string[];
	body: Buffer;
	/** Which RBM host the request was for: a path prefix /us, /europe, /asia or /global, else global. */
	endpoint: Endpoint;
}
