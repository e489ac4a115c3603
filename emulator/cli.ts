#!/usr/bin/env node
/** Command-line entry of the RBM emulator (bin). Everything is exported so tests need no child process. */
import { writeFileSync } from 'node:fs';
import { startEmulator, type RbmEmulator } from './index';
import type { EmulatorOptions, FaultSpec } from './types';

export const HELP = `rbm-emulator — local Google RCS Business Messaging (RBM) API emulator

Usage: rbm-emulator [options]

  --host <host>              listen address (default 127.0.0.1)
  --port <port>              listen port (default 8787; 0 = any free port)
  --seed <n>                 seed of the deterministic fault PRNG (default 1)
  --duplicate-mode <mode>    conflict (409 ALREADY_EXISTS, default) | ok (200 echo of the original)
  --unreachable <regex>      phones answering 404 NOT_FOUND (repeatable; default: numbers ending in 404)
  --offline <regex>          phones that are offline: accepted, delivered after --offline-delay (repeatable)
  --unlaunched-agent <id>    an agent that is not launched: its sends to a non-tester answer 403 (repeatable)
  --tester <regex>           phones that accepted the unlaunched agents' tester invitation (repeatable)
  --offline-delay <ms>       delivery delay for offline phones (default 2000)
  --delivery-delay <ms>      delivery delay for online phones (default 50)
  --token-ttl <s>            access token lifetime (default 3600)
  --latency <ms>             added latency on every API call
  --jitter <ms>              random extra latency 0..ms
  --rate-429 <p>             probability of 429 RESOURCE_EXHAUSTED (with Retry-After)
  --retry-after <s>          Retry-After value of injected 429s (default 1)
  --rate-500 <p>             probability of 500 INTERNAL
  --rate-503 <p>             probability of 503 UNAVAILABLE
  --rate-reset <p>           probability of a connection reset
  --rate-timeout <p>         probability of a held, never-answered request
  --timeout-ms <ms>          how long a timeout fault holds the socket (default 30000)
  --rate-limit <rps>         requests per second before 429 (0 = off)
  --agent-quota <per second> each agent's messages and events per second (token bucket), then 429 with Retry-After (0 = off)
  --strict-batch-minimum     enforce the 500-number minimum of users.batchGet
  --webhook-url <url>        where user events and DELIVERED receipts are pushed
  --webhook-token <token>    clientToken used to sign webhook pushes (X-Goog-Signature)
  --webhook-concurrency <n>  at most n of the emulator's own pushes unanswered at once, the rest queue (0 = no limit)
  --read-rate <p>            share of delivered messages read (READ pushed after DELIVERED; default 0)
  --reply-rate <p>           share of read messages answered with a text reply (default 0)
  --opt-out-rate <p>         share of those replies that are "STOP" (default 0)
  --https                    serve HTTPS with a throw-away local CA made at start (default: plain HTTP)
  --ca-file <path>           where to write the CA certificate PEM (implies --https; default: a new file
                             under the temp folder, removed on stop). Let another process trust it with
                             NODE_EXTRA_CA_CERTS=<path> (read once at its start: restart it after a
                             restart of the emulator, which makes a new CA)
  --rtt <ms>                 put a loopback TCP relay in front of the server that delays every chunk by
                             ms/2 each way: a new connection costs ~1 RTT, a TLS 1.3 handshake 1 RTT,
                             each request 1 RTT (0 = no relay)
  --write-key <file>         write a generated service-account key JSON to <file>
  --help                     show this help
`;

export interface CliArgs {
	options: EmulatorOptions;
	writeKey?: string;
	help: boolean;
}

const NUMBER_FLAGS: Record<string, keyof EmulatorOptions> = {
	'--port': 'port',
	'--seed': 'seed',
	'--offline-delay': 'offlineDeliveryMs',
	'--delivery-delay': 'deliveryDelayMs',
	'--token-ttl': 'tokenTtlSeconds',
	'--rate-limit': 'rateLimitPerSecond',
	'--agent-quota': 'agentQuotaPerSecond',
	'--timeout-ms': 'timeoutMs',
	'--rtt': 'rttMs',
	'--webhook-concurrency': 'webhookConcurrency',
};
const FAULT_FLAGS: Record<string, keyof FaultSpec> = {
	'--latency': 'latencyMs',
	'--jitter': 'jitterMs',
	'--rate-429': 'rate429',
	'--retry-after': 'retryAfterSeconds',
	'--rate-500': 'rate500',
	'--rate-503': 'rate503',
	'--rate-reset': 'rateReset',
	'--rate-timeout': 'rateTimeout',
};

/** Parses argv (without node and script). Throws an Error with a readable message on bad input. */
export function parseArgs(argv: string[]): CliArgs {
	const options: EmulatorOptions = { port: 8787 };
	const fault: FaultSpec = {};
	const out: CliArgs = { options, help: false };
	const rec = options as Record<string, unknown>;
	for (let i = 0; i < argv.length; i++) {
		let flag = argv[i];
		let inline: string | undefined;
		const eq = flag.indexOf('=');
		if (flag.startsWith('--') && eq > 0) {
			inline = flag.slice(eq + 1);
			flag = flag.slice(0, eq);
		}
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		const num = (): number => {
			const raw = value();
			const n = Number(raw);
			if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`${flag}: "${raw}" is not a non-negative number`);
			return n;
		};
		if (flag === '--help' || flag === '-h') out.help = true;
		else if (flag === '--host') options.host = value();
		else if (flag === '--duplicate-mode') {
			const v = value();
			if (v !== 'conflict' && v !== 'ok') throw new Error(`--duplicate-mode must be conflict or ok`);
			options.duplicateMode = v;
		} else if (flag === '--unlaunched-agent') options.unlaunchedAgents = [...(options.unlaunchedAgents ?? []), value()];
		else if (flag === '--unreachable' || flag === '--offline' || flag === '--tester') {
			const v = value();
			try {
				new RegExp(v);
			} catch {
				throw new Error(`${flag}: invalid regex ${JSON.stringify(v)}`);
			}
			const key = flag === '--unreachable' ? 'unreachable' : flag === '--offline' ? 'offline' : 'testers';
			options[key] = [...(options[key] ?? []), v];
		} else if (flag === '--webhook-url') options.webhookUrl = value();
		else if (flag === '--webhook-token') options.webhookClientToken = value();
		else if (flag === '--read-rate' || flag === '--reply-rate' || flag === '--opt-out-rate') {
			const n = num();
			if (n > 1) throw new Error(`${flag} is a share 0..1`);
			options[flag === '--read-rate' ? 'readRate' : flag === '--reply-rate' ? 'replyRate' : 'optOutRate'] = n;
		} else if (flag === '--write-key') out.writeKey = value();
		else if (flag === '--strict-batch-minimum') options.strictBatchMinimum = true;
		else if (flag === '--https') options.tls = typeof options.tls === 'object' ? options.tls : true;
		else if (flag === '--ca-file') {
			const v = value();
			if (v === '') throw new Error('--ca-file needs a path');
			options.tls = { caFile: v };
		}
		else if (flag in NUMBER_FLAGS) rec[NUMBER_FLAGS[flag]] = num();
		else if (flag in FAULT_FLAGS) {
			const n = num();
			if (flag.startsWith('--rate-') && flag !== '--rate-limit' && n > 1) throw new Error(`${flag} is a probability 0..1`);
			(fault as Record<string, number>)[FAULT_FLAGS[flag]] = n;
		} else throw new Error(`Unknown option ${flag} (see --help)`);
	}
	if (Object.keys(fault).length) options.faults = { '*': fault };
	return out;
}

export interface CliRun {
	emulator?: RbmEmulator;
	stop(): Promise<void>;
}

/** Runs the CLI. `installSignals` is off in tests; `log` defaults to console.log. */
export async function main(
	argv: string[],
	io: { log?: (s: string) => void; installSignals?: boolean } = {},
): Promise<CliRun> {
	const log = io.log ?? ((s: string) => console.log(s));
	const args = parseArgs(argv);
	if (args.help) {
		log(HELP);
		return { stop: async () => undefined };
	}
	const emulator = await startEmulator(args.options);
	log(`RBM emulator listening on ${emulator.url}`);
	log(`  credential Base URL: ${emulator.url}/{region}   ({region} routes each call to the emulated global, us, europe or asia host)`);
	log(`  token endpoint: ${emulator.url}/token   admin: ${emulator.url}/_emulator/stats`);
	if (emulator.caFile) {
		log(`  HTTPS: CA certificate written to ${emulator.caFile} (made in ${Math.round(emulator.tlsGenerationMs ?? 0)} ms)`);
		log(`  trust it in n8n: NODE_EXTRA_CA_CERTS=${emulator.caFile} (n8n reads it at its start; a restarted emulator has a new CA)`);
	}
	if (emulator.url !== emulator.directUrl) {
		log(`  RTT relay: ${args.options.rttMs} ms per round trip in front of ${emulator.directUrl}`);
	}
	if (args.writeKey) {
		const key = emulator.createServiceAccountKey();
		writeFileSync(args.writeKey, JSON.stringify(key, null, 2) + '\n', { mode: 0o600 });
		log(`  service-account key (${key.client_email}) written to ${args.writeKey}`);
	}
	const stop = async (): Promise<void> => {
		await emulator.close();
	};
	if (io.installSignals) {
		const onSignal = (sig: string): void => {
			log(`${sig} received, stopping`);
			stop().then(
				() => process.exit(0),
				() => process.exit(1),
			);
		};
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
	}
	return { emulator, stop };
}

if (require.main === module) {
	main(process.argv.slice(2), { installSignals: true }).catch((e: unknown) => {
		console.error(`rbm-emulator: ${(e as Error).message}`);
		process.exit(2);
	});
}
