/**
 * Message Type = JSON: an AgentContentMessage, or a whole AgentMessage as Google's docs and API
 * answers show it. Keys may be lowerCamelCase or proto snake_case, as Google's API accepts.
 */
import { tryParseJson } from '../json';
import type { AgentMessageFields } from './agentMessageFields';
import { checkJsonFields } from './agentMessageFields';
import { jsonSyntaxError } from './jsonSyntax';
import { camelKey, normaliseKeys } from './normalise';
import { ContentError } from './types';
import { checkFieldNames, fieldsOf, unknownField } from './unknownFields';

/** AgentMessage fields a request sets. */
const INPUT_FIELDS = ['contentMessage', 'messageTrafficType', 'ttl', 'expireTime'];
/** AgentMessage fields only Google sets: ignored on input, as Google ignores them (AIP-203). */
const OUTPUT_ONLY_FIELDS = ['name', 'sendTime', 'richMessageClassification', 'totalPayloadSizeBytes', 'carrier'];

/** `typed`: the parameter as the user typed it (expressions not filled in), to place a syntax error there. */
function parse(value: unknown, typed: unknown): unknown {
	if (typeof value !== 'string') return value;
	const parsed = tryParseJson(value);
	if (!parsed.ok) throw jsonSyntaxError(value, typed);
	return parsed.value;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The key as the user wrote it (snake_case or not), for error messages. */
function written(raw: Record<string, unknown>, name: string): string {
	return Object.keys(raw).find((key) => camelKey(key) === name) ?? name;
}

/**
 * The content (checked later, with the other message types) and the AgentMessage fields beside it.
 * Every field name is checked against Google's schema first (a misspelt "txt" is named, with
 * "text" as the suggestion, instead of "the message has no content").
 */
export function readJsonMessage(value: unknown, typed?: unknown): { contentMessage: unknown; fields: AgentMessageFields } {
	const raw = parse(value, typed);
	const json = normaliseKeys(raw, 'json');
	if (!isObject(json) || !isObject(raw)) return { contentMessage: json, fields: {} };
	const agentLevel = Object.keys(json).filter((key) => INPUT_FIELDS.includes(key) || OUTPUT_ONLY_FIELDS.includes(key));
	if (!('contentMessage' in json)) {
		if (agentLevel.length === 0) {
			// An AgentContentMessage; a near miss of an AgentMessage field ("contentMesage") is suggested too.
			const contentFields = fieldsOf('AgentContentMessage');
			for (const key of Object.keys(raw)) {
				if (!contentFields.includes(camelKey(key))) throw unknownField(key, `json.${camelKey(key)}`, 'AgentContentMessage', [...contentFields, ...INPUT_FIELDS]);
			}
			checkFieldNames(raw, 'json');
			return { contentMessage: json, fields: {} };
		}
		const key = written(raw, agentLevel[0]);
		throw new ContentError(
			`The JSON has the AgentMessage field "${key}" but no "contentMessage": put the content under "contentMessage" (a whole AgentMessage), or leave "${key}" out`,
			'json.contentMessage',
		);
	}
	const top: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(json)) {
		if (OUTPUT_ONLY_FIELDS.includes(key)) continue;
		if (!INPUT_FIELDS.includes(key)) {
			const error = unknownField(written(raw, key), `json.${key}`, 'AgentMessage', INPUT_FIELDS);
			if (/did you mean/.test(error.message)) throw error;
			throw new ContentError(
				`The JSON has an unknown AgentMessage field "${written(raw, key)}": a message takes ${INPUT_FIELDS.join(', ')} (${OUTPUT_ONLY_FIELDS.join(', ')} are set by Google and ignored here)`,
				`json.${key}`,
			);
		}
		// proto3 JSON: null is the same as leaving the field out.
		if (entry !== null) top[key] = entry;
	}
	checkFieldNames(raw[written(raw, 'contentMessage')], 'json.contentMessage');
	return { contentMessage: top.contentMessage, fields: checkJsonFields(top) };
}
