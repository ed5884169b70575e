import { isIntakeError } from '../../core/intake-error';

/**
 * Acts on each import of a conversation in turn (a mail may carry several files). A refusal of one
 * does not stop the others: it comes back as a line that names its file, among the lines the acts
 * said, in the order of the imports.
 */
export async function eachImport<V extends { fileName: string }>(
  views: readonly V[],
  act: (view: V) => Promise<string | null | void>,
): Promise<string[]> {
  const lines: string[] = [];
  for (const v of views) {
    try {
      const said = await act(v);
      if (said) lines.push(said);
    } catch (e) {
      if (!isIntakeError(e)) throw e;
      lines.push(`${v.fileName}: ${e.message}`);
    }
  }
  return lines;
}
