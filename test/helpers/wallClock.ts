/** A zone's wall clock from Intl alone, for tests that must not use the package's own time code (nodes/shared/sendWindow). */
export function wallClock(zone: string, t = Date.now()): { date: string; hour: number; minute: number } {
	const p = Object.fromEntries(
		new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
			.formatToParts(t)
			.map((part) => [part.type, part.value]),
	);
	return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute) };
}

/** A whole hour as the Send Window's From and To take it: 9 → "09:00". */
export const hh = (hour: number): string => `${String(hour).padStart(2, '0')}:00`;
