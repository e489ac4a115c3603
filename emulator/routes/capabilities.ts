/** phones.getCapabilities and users.batchGet (rbm-api.md §3.3, §3.4). */
import { agentLookupFailed, E164, json, notFound, parseJsonObject, countedInvalid } from '../http';
import type { HttpResult, RouteContext } from '../types';
import { isAnswer, phoneAndAgent } from './messages';

export const FEATURES = [
	'REVOCATION',
	'RICHCARD_STANDALONE',
	'RICHCARD_CAROUSEL',
	'ACTION_CREATE_CALENDAR_EVENT',
	'ACTION_DIAL',
	'ACTION_OPEN_URL',
	'ACTION_SHARE_LOCATION',
	'ACTION_VIEW_LOCATION',
	'ACTION_OPEN_URL_IN_WEBVIEW',
];

export function getCapabilities(ctx: RouteContext): HttpResult {
	const { core } = ctx;
	const pa = phoneAndAgent(ctx);
	if (isAnswer(pa)) return pa;
	core.stats.capabilityChecks++;
	if (core.isUnreachable(pa.phone)) {
		core.stats.notFound++;
		return notFound();
	}
	return json(200, { features: [...FEATURES] });
}

const MAX_USERS = 10000;
const MIN_USERS_STRICT = 500;

export function batchGet(ctx: RouteContext): HttpResult {
	const { core, url, body } = ctx;
	const bad = countedInvalid(core.stats);
	const parsed = parseJsonObject(body);
	if (!parsed.ok) return bad(parsed.message);
	const req = parsed.value;
	// Schema: agentId is a body field; Google's guide puts it in the query. Accept either.
	const agent = typeof req.agentId === 'string' && req.agentId ? req.agentId : url.searchParams.get('agentId');
	if (!agent) return agentLookupFailed();
	const users = req.users;
	if (!Array.isArray(users)) return bad(`Invalid value at 'users': users must be an array of E.164 numbers.`, 'users');
	const min = core.opts.strictBatchMinimum ? MIN_USERS_STRICT : 1;
	if (users.length < min || users.length > MAX_USERS) {
		return bad(`Invalid value at 'users': between ${min} and ${MAX_USERS} users are required (got ${users.length}).`, 'users');
	}
	const seen = new Set<string>();
	for (let i = 0; i < users.length; i++) {
		const u = users[i];
		if (typeof u !== 'string' || !E164.test(u)) {
			return bad(`Invalid value at 'users[${i}]': ${JSON.stringify(u)} is not an E.164 phone number.`, `users[${i}]`);
		}
		if (seen.has(u)) return bad(`Invalid value at 'users[${i}]': duplicate phone number ${u}.`, `users[${i}]`);
		seen.add(u);
	}
	const phones = users as string[];
	core.stats.batchGets.push({ count: phones.length });
	const reachableUsers = phones.filter((p) => !core.isUnreachable(p));
	let totalRandomSampleUserCount = 0;
	let reachableRandomSampleUserCount = 0;
	if (phones.length >= MIN_USERS_STRICT) {
		// deterministic "random" ~75 % sample: every number except each fourth
		const sample = phones.filter((_, i) => i % 4 !== 3);
		totalRandomSampleUserCount = sample.length;
		reachableRandomSampleUserCount = sample.filter((p) => !core.isUnreachable(p)).length;
	}
	return json(200, { reachableUsers, totalRandomSampleUserCount, reachableRandomSampleUserCount });
}
