/**
 * Business Communications API: testers, brands.agents.getLaunch / getVerification, regions.list,
 * analytics.agentPerformances.list
 * (https://developers.google.com/business-communications/rcs-business-messaging/reference/business-communications/rest/v1).
 */
import { INVITES_PER_DAY, INVITES_TOTAL, REGIONS } from '../business';
import { decodePhone, E164, googleError, invalidArgument, invalidPhone, json, notFound, parseJsonObject, shortAgentId } from '../http';
import type { HttpResult } from '../types';
import type { RouteContext } from './context';

const MAX_PAGE = 1000;

function agentParam(ctx: RouteContext): string | HttpResult {
	const agent = ctx.url.searchParams.get('agentId');
	if (!agent) {
		ctx.core.stats.invalid++;
		return invalidArgument("Invalid value at 'agent_id': agentId is required.", 'agentId');
	}
	return shortAgentId(agent);
}

const isAnswer = (v: unknown): v is HttpResult => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

export function createTester(ctx: RouteContext): HttpResult {
	const { core } = ctx;
	const parsed = parseJsonObject(ctx.body);
	if (!parsed.ok) return invalidArgument(parsed.message);
	const { agentId, phoneNumber } = parsed.value;
	if (typeof agentId !== 'string' || agentId === '') return invalidArgument("Invalid value at 'tester.agent_id': agentId is required.", 'agentId');
	if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) {
		return invalidArgument(`Invalid value at 'tester.phone_number': ${JSON.stringify(phoneNumber ?? null)} is not an E.164 phone number.`, 'phoneNumber');
	}
	const agent = shortAgentId(agentId);
	if (core.business.testers.get(agent)?.has(phoneNumber)) {
		return googleError(409, 'ALREADY_EXISTS', `Tester ${phoneNumber} already exists for agent ${agent}.`);
	}
	const limit = core.business.inviteLimit(agent);
	if (limit) {
		return googleError(429, 'RESOURCE_EXHAUSTED', `Tester invite quota exceeded for agent ${agent}: at most ${limit} (${INVITES_PER_DAY} a day, ${INVITES_TOTAL} in all).`, [
			{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ subject: `agents/${agent}`, description: limit }] },
		]);
	}
	return json(200, core.business.invite(agent, phoneNumber));
}

function testerOf(ctx: RouteContext): { agent: string; phone: string } | HttpResult {
	const phone = decodePhone(ctx.params[0]);
	if (!phone) {
		ctx.core.stats.invalid++;
		return invalidPhone(ctx.params[0]);
	}
	const agent = agentParam(ctx);
	if (isAnswer(agent)) return agent;
	if (!ctx.core.business.testers.get(agent)?.has(phone)) return notFound();
	return { agent, phone };
}

export function getTester(ctx: RouteContext): HttpResult {
	const t = testerOf(ctx);
	if (isAnswer(t)) return t;
	return json(200, ctx.core.business.testers.get(t.agent)?.get(t.phone));
}

export function deleteTester(ctx: RouteContext): HttpResult {
	const t = testerOf(ctx);
	if (isAnswer(t)) return t;
	ctx.core.business.testers.get(t.agent)?.delete(t.phone);
	return json(200, {});
}

export function listTesters(ctx: RouteContext): HttpResult {
	const agent = agentParam(ctx);
	if (isAnswer(agent)) return agent;
	return json(200, { testers: [...(ctx.core.business.testers.get(agent)?.values() ?? [])] });
}

export function getLaunch(ctx: RouteContext): HttpResult {
	const [brand, agent] = ctx.params;
	const details = ctx.core.business.launches.get(agent);
	return json(200, {
		name: `brands/${brand}/agents/${agent}/launch`,
		rcsBusinessMessaging: { launchDetails: Object.fromEntries(details ?? []) },
	});
}

export function getVerification(ctx: RouteContext): HttpResult {
	const [brand, agent] = ctx.params;
	return json(200, {
		name: `brands/${brand}/agents/${agent}/verification`,
		verificationState: ctx.core.business.verifications.get(agent) ?? 'VERIFICATION_STATE_UNVERIFIED',
	});
}

export const listRegions = (): HttpResult => json(200, { regions: REGIONS });

/** Paged: pageSize (default and max 1,000), pageToken = the opaque offset of the next row. */
export function listAgentPerformances(ctx: RouteContext): HttpResult {
	const { url, core } = ctx;
	const rawSize = url.searchParams.get('pageSize');
	const size = rawSize === null ? MAX_PAGE : Number(rawSize);
	if (!Number.isInteger(size) || size < 0) return invalidArgument("Invalid value at 'page_size': must be a non-negative integer.", 'pageSize');
	const pageSize = size === 0 ? MAX_PAGE : Math.min(size, MAX_PAGE);
	const token = url.searchParams.get('pageToken');
	let offset = 0;
	if (token) {
		offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
		if (!Number.isInteger(offset) || offset < 0 || offset > core.business.analytics.length) return invalidArgument('Invalid page token.', 'pageToken');
	}
	const rows = core.business.analytics.slice(offset, offset + pageSize);
	const next = offset + rows.length;
	return json(200, {
		agentPerformances: rows,
		...(next < core.business.analytics.length ? { nextPageToken: Buffer.from(`offset:${next}`).toString('base64url') } : {}),
	});
}
