/**
 * Business Communications API state (https://businesscommunications.googleapis.com/v1): testers,
 * agent launch and verification, regions, agent performance analytics, and the partner-console
 * role of each service account. Reference:
 * https://developers.google.com/business-communications/rcs-business-messaging/reference/business-communications/rest/v1
 */

export const BC_SCOPE = 'https://www.googleapis.com/auth/businesscommunications';

/** Tester invites per agent: 20 a day, 200 in all (then 429 RESOURCE_EXHAUSTED). */
export const INVITES_PER_DAY = 20;
export const INVITES_TOTAL = 200;

export const INVITE_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export const LAUNCH_STATES = [
	'LAUNCH_STATE_UNLAUNCHED',
	'LAUNCH_STATE_PENDING',
	'LAUNCH_STATE_LAUNCHED',
	'LAUNCH_STATE_REJECTED',
	'LAUNCH_STATE_SUSPENDED',
	'LAUNCH_STATE_PENDING_UNLAUNCH',
] as const;

export const VERIFICATION_STATES = [
	'VERIFICATION_STATE_UNVERIFIED',
	'VERIFICATION_STATE_PENDING',
	'VERIFICATION_STATE_VERIFIED',
	'VERIFICATION_STATE_SUSPENDED_IN_GMB',
] as const;

/** Partner-console roles: Reader reads, Manager (and Owner) also changes; 'none' gets 403 on everything. */
export type PartnerRole = 'none' | 'reader' | 'manager';
export const PARTNER_ROLES: readonly PartnerRole[] = ['none', 'reader', 'manager'];

/** The emulator's regions (Google's list is longer; these are enough to exercise the API). */
export const REGIONS = [
	{ name: '/v1/regions/us-tmobile', displayName: 'T-Mobile (US)', managementType: 'CARRIER_MANAGED' },
	{ name: '/v1/regions/us-verizon', displayName: 'Verizon (US)', managementType: 'CARRIER_MANAGED' },
	{ name: '/v1/regions/gb-google', displayName: 'United Kingdom (Google)', managementType: 'GOOGLE_MANAGED' },
	{ name: '/v1/regions/de-google', displayName: 'Germany (Google)', managementType: 'GOOGLE_MANAGED' },
	{ name: '/v1/regions/fr-google', displayName: 'France (Google)', managementType: 'GOOGLE_MANAGED' },
	{ name: '/v1/regions/in-google', displayName: 'India (Google)', managementType: 'GOOGLE_MANAGED' },
] as const;

export interface Tester {
	name: string;
	agentId: string;
	phoneNumber: string;
	inviteStatus: InviteStatus;
}

export interface LaunchDetail {
	launchState: string;
	comment?: string;
	updateTime: string;
}

export class BusinessState {
	/** agentId → phone → tester */
	readonly testers = new Map<string, Map<string, Tester>>();
	/** agentId → invites ever made, and their times (epoch ms) */
	private readonly invites = new Map<string, number[]>();
	/** agentId → region name → launch detail */
	readonly launches = new Map<string, Map<string, LaunchDetail>>();
	readonly verifications = new Map<string, string>();
	analytics: Array<Record<string, unknown>> = [];
	/** client email → role; accounts not listed are Managers. */
	readonly roles = new Map<string, PartnerRole>();

	/** Clears testers, invites, launches, verifications and analytics; keeps the roles (like keys). */
	clear(): void {
		this.testers.clear();
		this.invites.clear();
		this.launches.clear();
		this.verifications.clear();
		this.analytics = [];
	}

	roleOf(email: string): PartnerRole {
		return this.roles.get(email) ?? 'manager';
	}

	/** Which invite limit a new invite for `agentId` would break, or null. */
	inviteLimit(agentId: string, now = Date.now()): string | null {
		const times = this.invites.get(agentId) ?? [];
		if (times.length >= INVITES_TOTAL) return `${INVITES_TOTAL} tester invites in all`;
		const dayStart = now - (now % 86_400_000);
		if (times.filter((t) => t >= dayStart).length >= INVITES_PER_DAY) return `${INVITES_PER_DAY} tester invites a day`;
		return null;
	}

	invite(agentId: string, phoneNumber: string, now = Date.now()): Tester {
		this.invites.set(agentId, [...(this.invites.get(agentId) ?? []), now]);
		const byPhone = this.testers.get(agentId) ?? new Map<string, Tester>();
		this.testers.set(agentId, byPhone);
		const tester: Tester = { name: `testers/${phoneNumber}`, agentId, phoneNumber, inviteStatus: 'PENDING' };
		byPhone.set(phoneNumber, tester);
		return tester;
	}

	setLaunch(agentId: string, region: string, launchState: string, comment?: string, now = Date.now()): void {
		const byRegion = this.launches.get(agentId) ?? new Map<string, LaunchDetail>();
		this.launches.set(agentId, byRegion);
		byRegion.set(region, { launchState, ...(comment ? { comment } : {}), updateTime: new Date(now).toISOString() });
	}
}
