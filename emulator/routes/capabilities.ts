/**
 * phones.getCapabilities and users.batchGet
 * (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/phones/getCapabilities,
 * https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/users/batchGet).
 */
import { agentLookupFailed, E164, json, notFound, parseJsonObject, countedInvalid } from '../http';
import { checkMessage, regionOfNumber } from '../schema';
import type { HttpResult } from '../types';
import type { RouteContext } from './context';
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
	// US numbers also get the carrier (Capabilities.carrier, output only, US only).
	return json(200, { features: [...FEATURES], ...(pa.phone.startsWith('+1') ? { carrier: carrierOf(pa.phone) } : {}) });
}

const MIN_USERS_STRICT = 500;
const REGION_HOST: Record<string, string> = {
	us: 'us-rcsbusinessmessaging.googleapis.com',
	europe: 'europe-rcsbusinessmessaging.googleapis.com',
	asia: 'asia-rcsbusinessmessaging.googleapis.com',
};
/** reachableUsersMap is filled for US numbers only; the emulator spreads them over three carriers. */
const US_CARRIERS = ['T-Mobile USA', 'Verizon Wireless', 'AT&T Mobility'];

const carrierOf = (phone: string): string => US_CARRIERS[Number(phone.slice(-1)) % US_CARRIERS.length];

/**
 * users.batchGet. Since May 2026 it answers only at the regional endpoint of its numbers' region,
 * one region per call; anything else is a 400 (the region table is data in schema/rbm-v1.json).
 */
export function batchGet(ctx: RouteContext): HttpResult {
	const { core, url, body, endpoint } = ctx;
	const bad = countedInvalid(core.stats);
	const parsed = parseJsonObject(body);
	if (!parsed.ok) return bad(parsed.message);
	const checked = checkMessage('BatchGetUsersRequest', parsed.value);
	const agent = typeof checked.value.agentId === 'string' && checked.value.agentId ? checked.value.agentId : url.searchParams.get('agentId');
	if (!agent) return agentLookupFailed();
	const violation = checked.violations.find((v) => !(v.kind === 'required' && v.jsonPath === 'agentId'));
	if (violation) return bad(violation.message, violation.field);
	const phones = (checked.value.users as string[] | undefined) ?? [];
	const min = core.opts.strictBatchMinimum ? MIN_USERS_STRICT : 1;
	if (phones.length < min) return bad(`Invalid value at 'users': at least ${min} users are required (got ${phones.length}).`, 'users');
	const seen = new Set<string>();
	const regions = new Set<string>();
	for (let i = 0; i < phones.length; i++) {
		const u = phones[i];
		if (!E164.test(u)) return bad(`Invalid value at 'users[${i}]': ${JSON.stringify(u)} is not an E.164 phone number.`, `users[${i}]`);
		if (seen.has(u)) return bad(`Invalid value at 'users[${i}]': duplicate phone number ${u}.`, `users[${i}]`);
		seen.add(u);
		const region = regionOfNumber(u);
		if (!region) return bad(`Invalid value at 'users[${i}]': ${u} belongs to no RBM region.`, `users[${i}]`);
		regions.add(region);
	}
	if (regions.size > 1) {
		return bad(`Invalid value at 'users': all numbers of one request must belong to the same geographic region (found ${[...regions].join(', ')}).`, 'users');
	}
	const [region] = [...regions];
	if (region && endpoint !== region) {
		return bad(`users.batchGet for these numbers must be sent to the regional endpoint ${REGION_HOST[region]} (this request went to the ${endpoint} endpoint).`, 'users');
	}
	core.stats.batchGets.push({ count: phones.length, endpoint });
	const reachableUsers = phones.filter((p) => !core.isUnreachable(p));
	let totalRandomSampleUserCount = 0;
	let reachableRandomSampleUserCount = 0;
	if (phones.length >= MIN_USERS_STRICT) {
		// deterministic "random" ~75 % sample: every number except each fourth
		const sample = phones.filter((_, i) => i % 4 !== 3);
		totalRandomSampleUserCount = sample.length;
		reachableRandomSampleUserCount = sample.filter((p) => !core.isUnreachable(p)).length;
	}
	const answer: Record<string, unknown> = { reachableUsers, totalRandomSampleUserCount, reachableRandomSampleUserCount };
	const us = reachableUsers.filter((p) => p.startsWith('+1'));
	if (us.length > 0) {
		const map: Record<string, { reachableUsers: string[] }> = {};
		for (const p of us) (map[carrierOf(p)] ??= { reachableUsers: [] }).reachableUsers.push(p);
		answer.reachableUsersMap = map;
	}
	return json(200, answer);
}
