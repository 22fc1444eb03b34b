/** Types of format.js (plain JS served to the browser as is). */
export function formatMinor(minor: string, decimals: number): string;
