/**
 * Trigger On: the presets the nodes panel offers as the trigger's entries ("On replies and taps",
 * "On any event", …), each a set of the event filters of events.ts; "custom" leaves the choice to
 * the Events list. n8n's node creator builds a trigger's entries from the options of its first
 * parameter called Event, Events or Trigger On (in their order, labelled by each option's
 * `action`), and picking an entry sets that parameter to the option's value: a preset that stands
 * for several event types is the only way one entry selects several.
 */

/** Trigger On's value that hands the choice to the Events list (and its default, for saved workflows). */
export const CUSTOM = 'custom';

/** Every reply a person makes: typed text, a tapped suggestion (button or chip), a location, a file. */
export const REPLY_FILTERS = ['text', 'suggestionResponse', 'location', 'file'] as const;

/** The event filters each preset starts the workflow on; `any` takes every event, even unknown ones. */
export const TRIGGER_ON_FILTERS: Record<string, readonly string[] | 'any'> = {
	replies: REPLY_FILTERS,
	any: 'any',
	receipts: ['DELIVERED', 'READ'],
	serverEvent: ['serverEvent'],
	agentLaunch: ['agentLaunch'],
	subscription: ['subscription'],
	IS_TYPING: ['IS_TYPING'],
};

/** Short names for the node's subtitle on the canvas. */
export const TRIGGER_ON_SUBTITLES: Record<string, string> = {
	replies: 'Replies and taps',
	any: 'Any event',
	receipts: 'Delivered / read receipts',
	serverEvent: 'Expired messages',
	agentLaunch: 'Launch state changes',
	subscription: 'Subscribe / unsubscribe',
	IS_TYPING: 'Typing',
};

/**
 * Whether an event of `filter` starts the workflow: Trigger On's preset, or with "custom" (and
 * for a value this version does not know, from a newer workflow) the Events list.
 */
export function isWanted(filter: string, triggerOn: string, events: readonly string[]): boolean {
	const preset = TRIGGER_ON_FILTERS[triggerOn];
	if (preset === 'any') return true;
	if (preset === undefined) return events.includes(filter);
	return preset.includes(filter);
}
