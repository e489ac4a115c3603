/**
 * RTT relay: a loopback TCP proxy in front of the API server that makes every byte pay a round trip.
 *
 * Model (rtt = the configured round-trip time, half = rtt / 2):
 *  - every chunk, in each direction, is forwarded `half` after it arrived at the relay (order kept
 *    per direction: one FIFO and one timer per direction; a chunk that arrives while earlier ones
 *    wait keeps its own due time = arrival + half);
 *  - the relay accepts at once (the kernel finishes the TCP handshake on loopback), so to make a
 *    TCP connection cost its real round trip (SYN, SYN-ACK), bytes the client sends are not
 *    forwarded before accept + rtt + half — what they would need on a real link, where the client
 *    may only send after the handshake;
 *  - FIN is forwarded like data (half-close kept: both sockets allowHalfOpen), a reset/destroy of
 *    one side destroys the other side once the bytes queued before it are delivered.
 * So a fresh plain-HTTP request costs 2 RTT (connect + request), a fresh HTTPS (TLS 1.3) request
 * 3 RTT (connect + handshake + request), a request on a kept-alive connection 1 RTT.
 */
import net from 'node:net';

export interface Relay {
	port: number;
	/** Closes the listener and destroys every relayed socket; resolves once all are closed. */
	close(): Promise<void>;
}

type Item = { due: number; chunk?: Buffer; end?: true; destroy?: true };

/** One direction of one relayed connection: a FIFO of due-timed items drained by a single timer. */
class DelayedPipe {
	private readonly queue: Item[] = [];
	private head = 0;
	private timer: NodeJS.Timeout | undefined;
	private done = false;

	constructor(
		private readonly src: net.Socket,
		private readonly dest: net.Socket,
		private readonly halfMs: number,
		/** Nothing is forwarded before this time (performance.now() ms). */
		private readonly notBefore: number,
	) {
		src.on('data', (chunk: Buffer) => this.push({ due: 0, chunk }));
		src.on('end', () => this.push({ due: 0, end: true }));
		src.on('close', () => {
			// closed without a clean FIN (destroyed, reset): take the other side down after the queued bytes
			if (!src.readableEnded) this.push({ due: 0, destroy: true });
		});
		dest.on('drain', () => {
			if (src.isPaused() && !src.destroyed) src.resume();
		});
	}

	private push(item: Item): void {
		if (this.done) return;
		item.due = Math.max(performance.now() + this.halfMs, this.notBefore);
		this.queue.push(item);
		if (!this.timer) this.arm();
	}

	private arm(): void {
		const next = this.queue[this.head];
		if (!next) return;
		const wait = Math.max(0, Math.ceil(next.due - performance.now()));
		this.timer = setTimeout(() => this.flush(), wait);
	}

	private flush(): void {
		this.timer = undefined;
		const now = performance.now();
		while (this.head < this.queue.length && this.queue[this.head].due <= now) {
			const item = this.queue[this.head++];
			if (this.dest.destroyed) continue;
			if (item.chunk) {
				if (!this.dest.write(item.chunk) && !this.src.destroyed) this.src.pause();
			} else if (item.end) this.dest.end();
			else if (item.destroy) {
				this.dest.destroy();
				this.stop();
				return;
			}
		}
		if (this.head === this.queue.length) {
			this.queue.length = 0;
			this.head = 0;
		} else if (this.head > 1024) {
			this.queue.splice(0, this.head);
			this.head = 0;
		}
		this.arm();
	}

	stop(): void {
		this.done = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		this.queue.length = 0;
		this.head = 0;
	}
}

const loopbackOf = (host: string): string => (host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host);

export async function startRelay(opts: { host: string; port: number; targetHost: string; targetPort: number; rttMs: number }): Promise<Relay> {
	const half = opts.rttMs / 2;
	const sockets = new Set<net.Socket>();
	const pipes = new Set<DelayedPipe>();
	const track = (s: net.Socket): void => {
		sockets.add(s);
		s.once('close', () => sockets.delete(s));
		s.on('error', () => undefined); // reported by 'close'; the other side is destroyed by the pipe
		s.setNoDelay(true);
	};

	const server = net.createServer({ allowHalfOpen: true }, (client) => {
		const acceptedAt = performance.now();
		track(client);
		const upstream = net.connect({ host: loopbackOf(opts.targetHost), port: opts.targetPort, allowHalfOpen: true });
		track(upstream);
		const up = new DelayedPipe(client, upstream, half, acceptedAt + opts.rttMs + half);
		const down = new DelayedPipe(upstream, client, half, 0);
		pipes.add(up);
		pipes.add(down);
		let closed = 0;
		const onClose = (): void => {
			if (++closed < 2) return;
			up.stop();
			down.stop();
			pipes.delete(up);
			pipes.delete(down);
		};
		client.once('close', onClose);
		upstream.once('close', onClose);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port, opts.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as net.AddressInfo).port;

	let closing: Promise<void> | undefined;
	return {
		port,
		close: () => {
			closing ??= (async () => {
				const serverClosed = new Promise<void>((r) => server.close(() => r()));
				for (const p of pipes) p.stop();
				pipes.clear();
				const all = [...sockets].map((s) => new Promise<void>((r) => (s.closed ? r() : s.once('close', () => r()))));
				for (const s of sockets) s.destroy();
				await Promise.all([serverClosed, ...all]);
			})();
			return closing;
		},
	};
}
