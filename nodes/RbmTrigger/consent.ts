/**
 * Opt-out (STOP) and opt-in (START) replies: which user messages withdraw or give consent.
 * The keyword lists, the matching rule and why each word is (or is not) a default: docs/opt-out.md.
 *
 * A message matches only when the whole message is one keyword, the rule carriers and Twilio
 * apply ("STOP PLEASE" does not opt out: https://help.twilio.com/articles/223134027), so that a
 * sentence that merely contains "stop" ("Don't stop the offers") never unsubscribes anyone.
 */
import type { IDataObject } from 'n8n-workflow';

/**
 * The default opt-out keywords by language: the one list the node's default, docs/trigger.md › Opt-out
 * and docs/opt-out.md are checked against (test/nodes/RbmTrigger/optOut.test.ts). A word used in two
 * languages (PARAR) is listed under both; the default names it once.
 * English: the CTIA / Twilio keywords plus REVOKE and OPT OUT, which the FCC's 2025 consent rule
 * names. Other languages: only words that, sent alone to a brand, ask to stop its messages.
 * Left out on purpose (docs/opt-out.md): ANNULLA, CANCELAR (answers about an order or booking),
 * ALTO ("high", "tall", "loud"), FIN, YES.
 */
export const OPT_OUT_KEYWORDS_BY_LANGUAGE: ReadonlyArray<{ language: string; keywords: readonly string[] }> = [
	{ language: 'English', keywords: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'OPT OUT'] },
	{ language: 'French', keywords: ['ARRÊT', 'ARRÊTE', 'DÉSINSCRIRE', 'DÉSABONNER'] },
	{ language: 'Spanish', keywords: ['BAJA', 'DAR DE BAJA', 'PARAR'] },
	{ language: 'Portuguese', keywords: ['SAIR', 'DESCADASTRAR', 'PARAR'] },
	{ language: 'Italian', keywords: ['DISISCRIVI', 'DISISCRIVIMI', 'CANCELLAMI'] },
	{ language: 'German', keywords: ['STOPP', 'ABMELDEN', 'ABBESTELLEN'] },
	{ language: 'Dutch', keywords: ['AFMELDEN', 'STOPPEN'] },
];

export const DEFAULT_OPT_OUT_KEYWORDS = [...new Set(OPT_OUT_KEYWORDS_BY_LANGUAGE.flatMap((l) => l.keywords))].join(', ');

export const DEFAULT_OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'SUBSCRIBE'].join(', ');

/** Normalised keyword → the keyword as the list writes it (what `keyword` shows). */
export type KeywordList = ReadonlyMap<string, string>;

export interface ConsentKeywords {
	optOut: KeywordList;
	optIn: KeywordList;
}

export interface Consent {
	optOut: boolean;
	optIn: boolean;
	/** The list entry the message matched, when it matched one. */
	keyword?: string;
}

const AT_THE_ENDS = /^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu;
const SEPARATORS = /[\s\p{Pd}_]+/gu;

/** Accents and other marks and invisible format characters removed (ARRÊT = ARRET), capitals. */
const fold = (text: string): string => text.normalize('NFKD').replace(/[\p{M}\p{Cf}]/gu, '').toUpperCase();

/**
 * The form typed messages and keywords are compared in: folded (above), punctuation and symbols
 * (emoji too) at both ends dropped, and every run of spaces, dashes and underscores inside made one
 * space ("opt-out", "Opt_Out", "opt   out" → "OPT OUT").
 */
export function normaliseReply(text: string): string {
	return fold(text).replace(AT_THE_ENDS, '').replace(SEPARATORS, ' ');
}

/**
 * The form a chip's postback data is compared in: folded and with separators as a typed reply
 * ("opt_out" → "OPT OUT"), but only spaces are dropped at the ends. Postback data is a value the
 * business wrote, so it must be the keyword itself: "/stop", "stop!", "#cancel" and
 * "cancel_order_42" are not keywords.
 */
export function normalisePostback(data: string): string {
	return fold(data).trim().replace(SEPARATORS, ' ');
}

/** A comma-separated list (or lines) → its keywords; entries that are empty once normalised are skipped. */
export function parseKeywords(list: unknown): KeywordList {
	const entries = Array.isArray(list) ? list.map(String) : typeof list === 'string' ? list.split(/[,\n]/) : [];
	const keywords = new Map<string, string>();
	for (const entry of entries) {
		const normal = normaliseReply(entry);
		if (normal !== '' && !keywords.has(normal)) keywords.set(normal, entry.trim());
	}
	return keywords;
}

/** Item types that are messages from the user (events.ts, EVENT_TYPES). */
const USER_MESSAGES = new Set(['text', 'suggestionResponse', 'location', 'file']);

/**
 * What an event says about consent, or undefined for events that are not the user's (receipts,
 * typing, server and launch events), which get no fields.
 * - Typed text: against both lists; opt-out is checked first, so a word in both lists opts out.
 * - A suggestion tap: its postback data only (normalisePostback), which the business chose for
 *   that chip. Its display text never counts: a "Cancel" chip with postback data cancel_order_42
 *   cancels an order, it does not unsubscribe.
 * - RBM's own UNSUBSCRIBE / SUBSCRIBE user events (the unsubscribe button of Google Messages) opt
 *   out / in whatever the lists hold:
 *   https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks
 */
export function consentOf(item: IDataObject, keywords: ConsentKeywords): Consent | undefined {
	if (item.type === 'UNSUBSCRIBE') return { optOut: true, optIn: false };
	if (item.type === 'SUBSCRIBE') return { optOut: false, optIn: true };
	if (typeof item.type !== 'string' || !USER_MESSAGES.has(item.type)) return undefined;
	const reply =
		item.type === 'suggestionResponse'
			? typeof item.postbackData === 'string' ? normalisePostback(item.postbackData) : undefined
			: typeof item.text === 'string' ? normaliseReply(item.text) : undefined;
	if (reply !== undefined) {
		for (const [list, flag] of [[keywords.optOut, 'optOut'], [keywords.optIn, 'optIn']] as const) {
			const keyword = list.get(reply);
			if (keyword !== undefined) return { optOut: flag === 'optOut', optIn: flag === 'optIn', keyword };
		}
	}
	return { optOut: false, optIn: false };
}
