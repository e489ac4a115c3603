/**
 * US billing fields of a created AgentMessage (output only, US numbers only): `richMessageClassification`,
 * `totalPayloadSizeBytes` and `carrier`, as Google's generated clients name them (rcsforbusiness-samples
 * AgentMessage.java, RichMessageClassification.java). Google does not publish its classification
 * rules or the enum list; the emulator's rules (README › US billing fields):
 * - a text-only message (no suggestions, no file, no card) of at most 160 UTF-8 bytes is
 *   `BASIC_MESSAGE`, without `segmentCount` (Google's basic message: text only, ≤ 160 UTF-8 bytes);
 * - other text messages are `RICH_MESSAGE` with `segmentCount` = ceil(UTF-8 bytes / 160)
 *   ("Number of 160 character segments in the text, rounded up. Only populated for RICH_MESSAGE");
 * - a message with a file or a card is `RICH_MEDIA_MESSAGE`, without `segmentCount`.
 * `totalPayloadSizeBytes` (an int64 string) is the size of the files the message names that were
 * uploaded to this emulator (files.create with a body); files by URL are not fetched and count 0.
 * `carrier` is `EMULATOR_CARRIER`.
 */
import type { FileStat } from './types';

export const EMULATOR_CARRIER = 'Emulator Wireless (US)';
const SEGMENT_BYTES = 160;

/** US numbers (+1, NANP) get the billing fields, as in Google's answer. */
export const isUsNumber = (phone: string): boolean => phone.startsWith('+1');

function uploadedNames(content: Record<string, unknown>): string[] {
	const names: string[] = [];
	const visit = (v: unknown, key?: string): void => {
		if (Array.isArray(v)) v.forEach((x) => visit(x));
		else if (typeof v === 'object' && v !== null) {
			for (const [k, x] of Object.entries(v as Record<string, unknown>)) visit(x, k);
		} else if (typeof v === 'string' && (key === 'fileName' || key === 'thumbnailName')) names.push(v);
	};
	visit(content);
	return names;
}

export function billingFields(content: Record<string, unknown>, files: FileStat[]): Record<string, unknown> {
	const text = typeof content.text === 'string' ? content.text : undefined;
	const hasSuggestions = Array.isArray(content.suggestions) && content.suggestions.length > 0;
	let classification: Record<string, unknown>;
	if (text !== undefined) {
		const bytes = Buffer.byteLength(text, 'utf8');
		classification = bytes <= SEGMENT_BYTES && !hasSuggestions
			? { classificationType: 'BASIC_MESSAGE' }
			: { classificationType: 'RICH_MESSAGE', segmentCount: Math.max(1, Math.ceil(bytes / SEGMENT_BYTES)) };
	} else {
		classification = { classificationType: 'RICH_MEDIA_MESSAGE' };
	}
	const sizes = new Map(files.filter((f) => f.sizeBytes !== undefined).map((f) => [f.name, f.sizeBytes as number]));
	const total = uploadedNames(content).reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0);
	return { richMessageClassification: classification, totalPayloadSizeBytes: String(total), carrier: EMULATOR_CARRIER };
}
