/** Finding the number in what a command printed, a file held or an endpoint answered. */
const FIRST_NUMBER = /[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/;
const WHOLE_NUMBER = /^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$/;

/** The first number in the text (`temp: 41.5C` → 41.5), or undefined. */
export function firstNumber(text: string): number | undefined {
  const match = FIRST_NUMBER.exec(text);
  return match === null ? undefined : Number(match[0]);
}

/** The text as a number when it is nothing but one (surrounding blanks allowed), or undefined. */
export function wholeNumber(text: string): number | undefined {
  return WHOLE_NUMBER.test(text) ? Number(text) : undefined;
}

/** A short, one-line sample of text for an error message. */
export function sample(text: string, max = 60): string {
  const line = text.trim().replace(/\s+/g, " ");
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 3)}...` : line);
}
