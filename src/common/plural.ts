/** "1 datum", "2 datums": a count with its noun, singular or plural as the count wants. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
