/** Unauthenticated control plane for tests and the CLI: /_emulator/* and /healthz. */
import { json, parseJsonObject, shortAgentId } from '../http';
import { validateFaults } from '../faults';
import type { EmulatorCore } from '../state';
import type { EmulatorOptions, HttpResult, ResolvedOptions, WebhookEventInput } from '../types';
import { sendWebhookEvent, verifyWebhook } from '../webhooks';
import { INVITE_STATUSES, LAUNCH_STATES, PARTNER_ROLES, REGIONS, VERIFICATION_STATES, type InviteStatus, type PartnerRole } from '../business';

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';
const oneOf = (what: string, list: readonly string[]): string => `${what} must be one of ${list.join(', ')}`;

/**
 * Business Communications controls: accept/decline an invite, set a region's launch state or the
 * verification state, seed analytics rows, give a service account a partner-console role.
 */
function businessAdmin(core: EmulatorCore, what: string, input: Record<string, unknown>): HttpResult {
	const b = core.business;
	const agent = str(input.agentId) ? shortAgentId(input.agentId) : '';
	switch (what) {
		case 'testers/status': {
			if (!agent || !str(input.phoneNumber)) return adminError(400, 'agentId and phoneNumber are required');
			if (!INVITE_STATUSES.includes(input.inviteStatus as InviteStatus)) return adminError(400, oneOf('inviteStatus', INVITE_STATUSES));
			const tester = b.testers.get(agent)?.get(input.phoneNumber);
			if (!tester) return adminError(404, `${input.phoneNumber} was not invited as a tester of ${agent}`);
			tester.inviteStatus = input.inviteStatus as InviteStatus;
			return json(200, tester);
		}
		case 'launch': {
			const regions = REGIONS.map((r) => r.name as string);
			if (!agent) return adminError(400, 'agentId is required');
			if (!str(input.region) || !regions.includes(input.region)) return adminError(400, oneOf('region', regions));
			if (!LAUNCH_STATES.includes(input.launchState as (typeof LAUNCH_STATES)[number])) return adminError(400, oneOf('launchState', LAUNCH_STATES));
			b.setLaunch(agent, input.region, input.launchState as string, str(input.comment) ? input.comment : undefined);
			return json(200, { launchDetails: Object.fromEntries(b.launches.get(agent) ?? []) });
		}
		case 'verification':
			if (!agent) return adminError(400, 'agentId is required');
			if (!VERIFICATION_STATES.includes(input.verificationState as (typeof VERIFICATION_STATES)[number])) {
				return adminError(400, oneOf('verificationState', VERIFICATION_STATES));
			}
			b.verifications.set(agent, input.verificationState as string);
			return json(200, { verificationState: input.verificationState });
		case 'analytics': {
			const rows = input.rows;
			if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) return adminError(400, 'rows must be an array of objects');
			b.analytics = input.replace === true ? [...(rows as Array<Record<string, unknown>>)] : [...b.analytics, ...(rows as Array<Record<string, unknown>>)];
			return json(200, { rows: b.analytics.length });
		}
		default: {
			// roles
			if (!str(input.clientEmail)) return adminError(400, 'clientEmail is required');
			if (!PARTNER_ROLES.includes(input.role as PartnerRole)) return adminError(400, oneOf('role', PARTNER_ROLES));
			b.roles.set(input.clientEmail, input.role as PartnerRole);
			return json(200, { clientEmail: input.clientEmail, role: input.role });
		}
	}
}

const adminError = (status: number, message: string): HttpResult => json(status, { error: { code: status, message } });

/** Checks a Partial<EmulatorOptions> coming from JSON; returns an error text or null. */
export function checkOptions(o: Partial<EmulatorOptions>): string | null {
	if (o.unlaunchedAgents !== undefined && (!Array.isArray(o.unlaunchedAgents) || o.unlaunchedAgents.some((s) => typeof s !== 'string'))) {
		return 'unlaunchedAgents must be an array of agent ids';
	}
	for (const k of ['unreachable', 'offline', 'testers'] as const) {
		const v = o[k];
		if (v === undefined) continue;
		if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) return `${k} must be an array of regex sources`;
		for (const s of v) {
			try {
				new RegExp(s);
			} catch {
				return `${k}: invalid regex ${JSON.stringify(s)}`;
			}
		}
	}
	if (o.duplicateMode !== undefined && o.duplicateMode !== 'conflict' && o.duplicateMode !== 'ok') {
		return 'duplicateMode must be "conflict" or "ok"';
	}
	if (o.tls !== undefined) {
		const t = o.tls as unknown;
		const okObject = typeof t === 'object' && t !== null && !Array.isArray(t);
		if (typeof t !== 'boolean' && !okObject) return 'tls must be a boolean or { caFile?: string }';
		if (okObject) {
			const caFile = (t as { caFile?: unknown }).caFile;
			if (caFile !== undefined && (typeof caFile !== 'string' || caFile === '')) return 'tls.caFile must be a file path';
		}
	}
	for (const k of ['rateLimitPerSecond', 'agentQuotaPerSecond'] as const) {
		const v = o[k];
		if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return `${k} must be a non-negative number per second (0 = off)`;
	}
	if (o.rttMs !== undefined && (typeof o.rttMs !== 'number' || !Number.isFinite(o.rttMs) || o.rttMs < 0)) {
		return 'rttMs must be a non-negative number of milliseconds';
	}
	if (o.faults !== undefined) {
		if (typeof o.faults !== 'object' || o.faults === null) return 'faults must be an object';
		return validateFaults(o.faults);
	}
	return null;
}

/**
 * Options a running emulator cannot change (listen address, HTTPS, the RTT relay): an error text if
 * `o` asks for a different value, else null. The same value (e.g. a config echoed back) is accepted.
 */
export function checkStartOnly(current: ResolvedOptions, o: Partial<EmulatorOptions>): string | null {
	const restart = 'is fixed at start; restart the emulator to change it';
	if (o.host !== undefined && o.host !== current.host) return `host ${restart}`;
	if (o.port !== undefined && o.port !== current.port) return `port ${restart}`;
	if (o.tls !== undefined) {
		const t = o.tls as unknown;
		const enabled = typeof t === 'object' ? t !== null : !!t;
		const caFile = typeof t === 'object' && t !== null ? (t as { caFile?: string }).caFile : undefined;
		if (enabled !== current.tls || (caFile !== undefined && caFile !== current.caFile)) {
			return `tls ${restart} (--https / startEmulator({ tls: true }))`;
		}
	}
	if (o.rttMs !== undefined && o.rttMs !== current.rttMs) return `rttMs ${restart} (--rtt / startEmulator({ rttMs }))`;
	return null;
}

export async function handleAdmin(core: EmulatorCore, method: string, path: string, body: Buffer): Promise<HttpResult | null> {
	if (path === '/healthz' && method === 'GET') return json(200, { status: 'ok' });
	if (!path.startsWith('/_emulator/')) return null;
	const route = `${method} ${path.slice('/_emulator'.length)}`;
	const parsed = parseJsonObject(body);
	if (!parsed.ok) return adminError(400, parsed.message);
	const input = parsed.value;
	switch (route) {
		case 'GET /stats':
			return json(200, core.snapshot());
		case 'POST /reset':
			core.reset();
			return json(200, { ok: true });
		case 'POST /config': {
			const err = checkOptions(input as Partial<EmulatorOptions>) ?? checkStartOnly(core.opts, input as Partial<EmulatorOptions>);
			if (err) return adminError(400, err);
			core.configure(input as Partial<EmulatorOptions>);
			const { faults, ...rest } = core.opts;
			return json(200, { ...rest, faults, webhookClientToken: rest.webhookClientToken ? '<set>' : undefined });
		}
		case 'POST /keys':
			return json(200, core.tokens.createKey(core.baseUrl, typeof input.clientEmail === 'string' ? input.clientEmail : undefined));
		case 'POST /tokens/revoke':
			core.tokens.revokeAll();
			return json(200, { ok: true });
		case 'POST /webhook/verify':
			try {
				return json(200, await verifyWebhook(core));
			} catch (e) {
				return adminError(502, (e as Error).message);
			}
		case 'POST /webhook/events':
			if (typeof input.type !== 'string' || typeof input.phoneNumber !== 'string' || typeof input.agentId !== 'string') {
				return adminError(400, 'type, phoneNumber and agentId are required');
			}
			try {
				return json(200, await sendWebhookEvent(core, input as unknown as WebhookEventInput));
			} catch (e) {
				return adminError(502, (e as Error).message);
			}
		case 'POST /testers/status':
		case 'POST /launch':
		case 'POST /verification':
		case 'POST /analytics':
		case 'POST /roles':
			return businessAdmin(core, route.slice('POST /'.length), input);
		default:
			return adminError(404, `Unknown emulator admin route: ${route}`);
	}
}
