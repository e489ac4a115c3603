/** RBM AgentContentMessage and friends (https://developers.google.com/business-communications/rcs-business-messaging/reference/rest/v1/phones.agentMessages), as we send them. */
export interface ContentInfo {
	fileUrl: string;
	thumbnailUrl?: string;
	forceRefresh?: boolean;
}
export interface UploadedRbmFile {
	fileName: string;
	thumbnailName?: string;
}
export interface Media {
	height?: 'SHORT' | 'MEDIUM' | 'TALL';
	/** Alt text for screen readers (rich card media only; new in RBM on 4 Nov 2026). */
	contentDescription?: string;
	contentInfo?: ContentInfo;
	uploadedRbmFile?: UploadedRbmFile;
}
export interface Suggestion {
	reply?: { text: string; postbackData: string };
	action?: {
		text: string;
		postbackData: string;
		fallbackUrl?: string;
		openUrlAction?: { url: string; application?: 'BROWSER' | 'WEBVIEW'; webviewViewMode?: 'FULL' | 'HALF' | 'TALL'; description?: string };
		dialAction?: { phoneNumber: string };
		viewLocationAction?: { latLong?: { latitude: number; longitude: number }; label?: string; query?: string };
		shareLocationAction?: Record<string, never>;
		createCalendarEventAction?: { startTime: string; endTime: string; title: string; description?: string };
	};
}
export interface CardContent {
	title?: string;
	description?: string;
	media?: Media;
	suggestions?: Suggestion[];
}
export interface RichCard {
	standaloneCard?: {
		cardOrientation: 'VERTICAL' | 'HORIZONTAL';
		thumbnailImageAlignment?: 'LEFT' | 'RIGHT';
		cardContent: CardContent;
	};
	carouselCard?: { cardWidth: 'SMALL' | 'MEDIUM'; cardContents: CardContent[] };
}
export interface AgentContentMessage {
	text?: string;
	richCard?: RichCard;
	contentInfo?: ContentInfo;
	uploadedRbmFile?: UploadedRbmFile;
	suggestions?: Suggestion[];
}
/** The AgentMessage fields a request may set (the rest of Google's AgentMessage is output only). */
export interface AgentMessage {
	contentMessage: AgentContentMessage;
	messageTrafficType?: string;
	ttl?: string;
	expireTime?: string;
}

/**
 * Bad input, with the API field path it concerns (e.g. `contentMessage.suggestions[2].reply.text`).
 * The message is plain words about the field ("Title is 230 characters, at most 200"); where it is
 * ("card 2") comes from the path (place.ts) and the path itself goes to the error's details, with
 * `detail` (e.g. the spot of a JSON syntax error) when there is more to show.
 */
export class ContentError extends Error {
	constructor(
		message: string,
		readonly field: string,
		readonly detail?: string,
	) {
		super(message);
		this.name = 'ContentError';
	}
}

/**
 * A UI value as text: empty → undefined, numbers → their text. Anything else (an object from an
 * expression) is passed through so the limit check can say "must be text".
 */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return value as string;
}
