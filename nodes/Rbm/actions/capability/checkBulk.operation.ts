/**
 * Capability › Check Many: users.batchGet over a whole contact list. Chunks lists larger than one
 * call takes, paces calls under RBM's 600 calls per minute, and returns either one item per phone
 * (reachable / not reachable outputs) or the two lists.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PHONE_HELP } from '../../../shared/fields';
import { inputError, readAgentId } from '../../../shared/itemInputs';
import { normalizePhone } from '../../../shared/phone';
import { REGION_NAMES, regionOfPhone } from '../../../shared/regions';
import type { BatchResult } from '../../../shared/runItems';
import { runBatch } from '../../../shared/runItems';
import type { RegionalEndpoint } from '../../../shared/transport/credential';
import { REGION_OPTIONS } from '../../../shared/transport/credential';
import { pacer } from '../../../shared/transport/pacing';
import type { Operation, RunContext } from '../../../shared/operation';
import { OUTPUT_NOT_REACHABLE, OUTPUT_SUCCESS } from '../../../shared/operation';
import { agentIdField, forOperation, optionsField } from '../common';

const MAX_PER_CALL = 10_000;
const MAX_CALLS_PER_MINUTE = 600;

interface Entry {
	phone: string;
	itemIndex: number;
	region: RegionalEndpoint;
}

const REGION_ORDER: readonly RegionalEndpoint[] = ['us', 'europe', 'asia'];

interface BulkOptions {
	batchSize?: number;
	callsPerMinute?: number;
	defaultCountry?: string;
	region?: 'auto' | RegionalEndpoint;
}

function listOf(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return value.split(/[\n,;]+/).map((s) => s.trim()).filter((s) => s !== '');
	if (value === undefined || value === null || value === '') return [];
	return [value];
}

async function executeBatch(this: IExecuteFunctions, run: RunContext): Promise<INodeExecutionData[][]> {
	const source = run.read('bulkSource', 0, 'items') as string;
	const outputMode = run.read('outputMode', 0, 'perPhone') as string;
	const options = run.read('options', 0, {}) as BulkOptions;
	const batchSize = Math.floor(Number(options.batchSize ?? MAX_PER_CALL));
	const callsPerMinute = Number(options.callsPerMinute ?? MAX_CALLS_PER_MINUTE);
	if (!(batchSize >= 1 && batchSize <= MAX_PER_CALL)) {
		throw new NodeOperationError(run.node, `Batch Size must be from 1 to ${MAX_PER_CALL}, got ${String(options.batchSize)}`, { itemIndex: 0 });
	}
	if (!(callsPerMinute > 0 && callsPerMinute <= MAX_CALLS_PER_MINUTE)) {
		throw new NodeOperationError(run.node, `Calls per Minute must be from 1 to ${MAX_CALLS_PER_MINUTE}, got ${String(options.callsPerMinute)}`, { itemIndex: 0 });
	}
	const forced = options.region && options.region !== 'auto' ? options.region : undefined;
	if (forced && !REGION_ORDER.includes(forced)) {
		throw new NodeOperationError(run.node, `Region must be auto, ${REGION_ORDER.join(', ')}, got "${String(options.region)}"`, { itemIndex: 0 });
	}
	/** E.164 and RBM region of one raw phone, or why not. */
	const resolve = (raw: unknown): { ok: true; phone: string; region: RegionalEndpoint } | { ok: false; reason: string } => {
		const phone = normalizePhone(raw, options.defaultCountry || undefined);
		if (!phone.ok) return phone;
		const region = forced ?? regionOfPhone(phone.e164);
		if (!region) {
			return { ok: false, reason: `${phone.e164} belongs to no country, so its RBM region is unknown: set Options › Region` };
		}
		return { ok: true, phone: phone.e164, region };
	};
	const agentId = readAgentId(this, 0, run.read);

	/** An item's phones: its one phone, or its list; a bad phone is the item's error. */
	const prepare = (i: number): Entry[] => {
		if (source === 'items') {
			const r = resolve(run.read('phoneNumber', i, ''));
			if (!r.ok) throw inputError(this, i, `Phone Number ${r.reason}`, 'phoneNumber');
			return [{ phone: r.phone, region: r.region, itemIndex: i }];
		}
		const resolved = listOf(run.read('phoneNumbers', i, [])).map(resolve);
		const bad = resolved.find((r) => !r.ok);
		if (bad && !bad.ok) throw inputError(this, i, `Phone Numbers: ${bad.reason}`, 'phoneNumbers');
		return resolved.flatMap((r) => (r.ok ? [{ phone: r.phone, region: r.region, itemIndex: i }] : []));
	};

	// Call starts spaced evenly: a run never exceeds the per-minute quota.
	const wait = pacer(callsPerMinute / 60);
	const client = run.client(0);
	/** One group's phones checked: one call per region (and batch), each to its regional endpoint. */
	const checkGroup = async (group: Entry[]) => {
		const unique = [...new Map(group.map((e) => [e.phone, e])).values()];
		const reachable = new Set<string>();
		/** US numbers by carrier, from reachableUsersMap (Google, 11 Dec 2025). */
		const carrierOf = new Map<string, string>();
		const samples = { totalRandomSampleUserCount: 0, reachableRandomSampleUserCount: 0 };
		// One pacer keeps the calls of every region under the quota.
		for (const region of REGION_ORDER) {
			const phones = unique.filter((e) => e.region === region).map((e) => e.phone);
			for (let start = 0; start < phones.length; start += batchSize) {
				const users = phones.slice(start, start + batchSize);
				await wait();
				const response = await client.request({
					method: 'POST',
					path: '/v1/users:batchGet',
					body: { users, agentId },
					operation: `bulk capability check (${REGION_NAMES[region]} endpoint)`,
					agentId,
					region,
					itemIndex: group.find((e) => e.region === region)?.itemIndex ?? 0,
				});
				const body = response.body as IDataObject;
				for (const phone of (body.reachableUsers as string[] | undefined) ?? []) reachable.add(phone);
				const byCarrier = (body.reachableUsersMap ?? {}) as Record<string, { reachableUsers?: string[] }>;
				for (const [carrier, entry] of Object.entries(byCarrier)) {
					for (const phone of entry?.reachableUsers ?? []) carrierOf.set(phone, carrier);
				}
				samples.totalRandomSampleUserCount += Number(body.totalRandomSampleUserCount ?? 0);
				samples.reachableRandomSampleUserCount += Number(body.reachableRandomSampleUserCount ?? 0);
			}
		}
		return { unique, reachable, carrierOf, samples };
	};

	const process = async (prepared: Array<{ index: number; value: Entry[] }>): Promise<BatchResult[]> => {
		// Groups: all input items together (one phone each) or one group per item (a list each).
		const groups = source === 'items' ? [{ items: prepared.map((p) => p.index), entries: prepared.flatMap((p) => p.value) }] : prepared.map((p) => ({ items: [p.index], entries: p.value }));
		const results: BatchResult[] = [];
		for (const group of groups) {
			if (group.items.length === 0) continue;
			const { unique, reachable, carrierOf, samples } = await checkGroup(group.entries);
			if (outputMode === 'lists') {
				const reachableUsersMap: Record<string, { reachableUsers: string[] }> = {};
				for (const [phone, carrier] of carrierOf) (reachableUsersMap[carrier] ??= { reachableUsers: [] }).reachableUsers.push(phone);
				const regions: Record<string, number> = {};
				for (const e of unique) regions[e.region] = (regions[e.region] ?? 0) + 1;
				results.push({
					output: OUTPUT_SUCCESS,
					items: group.items,
					json: {
						agentId,
						checked: unique.length,
						reachable: unique.filter((e) => reachable.has(e.phone)).map((e) => e.phone),
						unreachable: unique.filter((e) => !reachable.has(e.phone)).map((e) => e.phone),
						...samples,
						regions,
						...(carrierOf.size > 0 ? { reachableUsersMap } : {}),
					},
				});
				continue;
			}
			for (const entry of group.entries) {
				const isReachable = reachable.has(entry.phone);
				results.push({
					output: isReachable ? OUTPUT_SUCCESS : OUTPUT_NOT_REACHABLE,
					items: [entry.itemIndex],
					json: {
						phoneNumber: entry.phone,
						agentId,
						reachable: isReachable,
						region: entry.region,
						...(carrierOf.has(entry.phone) ? { carrier: carrierOf.get(entry.phone) } : {}),
					},
				});
			}
		}
		return results;
	};
	return await runBatch(this, { outputs: 2 }, prepare, process);
}

export const checkBulk: Operation = {
	outputs: 2,
	executeBatch,
	description: forOperation('capability', 'checkBulk', [
		agentIdField,
		{
			displayName: 'Phones From',
			name: 'bulkSource',
			type: 'options',
			default: 'items',
			options: [
				{ name: 'One Phone per Input Item', value: 'items', description: 'Check the phone of every input item, all together' },
				{ name: 'A List in Each Item', value: 'list', description: 'Each input item holds a list of phones' },
			],
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			placeholder: '={{ $json.phone }}',
			required: true,
			description: PHONE_HELP,
			displayOptions: { show: { bulkSource: ['items'] } },
		},
		{
			displayName: 'Phone Numbers',
			name: 'phoneNumbers',
			type: 'string',
			default: '',
			placeholder: '={{ $json.phones }}',
			required: true,
			description: 'A list (array) or text separated by commas or new lines, each with + and the country code, e.g. +14155550123, +447700900123',
			displayOptions: { show: { bulkSource: ['list'] } },
		},
		{
			displayName: 'Output',
			name: 'outputMode',
			type: 'options',
			default: 'perPhone',
			options: [
				{ name: 'One Item per Phone', value: 'perPhone', description: 'Reachable phones on the first output, the others on "Not Reachable"' },
				{ name: 'Lists', value: 'lists', description: 'One item with the reachable and unreachable lists' },
			],
		},
		optionsField([
			{ displayName: 'Batch Size', name: 'batchSize', type: 'number', typeOptions: { minValue: 1, maxValue: 10000 }, default: 10000, description: 'Phones per call (RBM takes 500 to 10,000; smaller lists are sent as they are)' },
			{
				displayName: 'Region',
				name: 'region',
				type: 'options',
				default: 'auto',
				options: [
					{ name: 'By Phone Number (Automatic)', value: 'auto', description: 'Americas → US endpoint, Asia-Pacific → Asia-Pacific endpoint, Europe, Middle East and Africa → Europe endpoint' },
					...REGION_OPTIONS.filter((o) => o.value !== 'global').map((o) => ({ ...o, description: `Send every number to ${String(o.description)}` })),
				],
				description: 'RBM answers bulk checks only at the regional endpoint of the numbers\' region, one region per call. Automatic splits the list by the country of each number.',
			},
			{ displayName: 'Calls per Minute', name: 'callsPerMinute', type: 'number', typeOptions: { minValue: 1, maxValue: 600 }, default: 600, description: 'Pacing; RBM allows at most 600 bulk checks per minute' },
		], ['concurrency', 'maxPerSecond']),
	]),
};
