/** How error messages count input items: from 1, with the word for what an item is. */
import type { INode } from 'n8n-workflow';

/**
 * What one input item is, as error messages count it (1-based): RBM Send Message's items are the
 * contacts it sends to; the RBM node's are the rows of whatever it does.
 */
export function itemNoun(node: INode): 'Contact' | 'Item' {
	return /rbmSendMessage/i.test(node.type) ? 'Contact' : 'Item';
}

/** "Contact 3" / "Item 3": the item an error concerns, counted from 1 as people count (n8n's Item Index is 2). */
export function itemLabel(node: INode, itemIndex: number): string {
	return `${itemNoun(node)} ${itemIndex + 1}`;
}
