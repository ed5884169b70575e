import { readFile } from 'node:fs/promises';
import { FileLayout, sniffLayout } from '../../src/core/parse/file-sniffer';
import { suggestMapping } from '../../src/core/mapping/mapping-suggester';
import { compileMapping, CompiledMapping } from '../../src/core/validate/row-validator';

/** A generated client file's layout and the mapping Intake would suggest for it, as an import reads them. */
export async function clientFileMapping(
  path: string,
): Promise<{ layout: FileLayout; mapping: CompiledMapping }> {
  const head = (await readFile(path)).subarray(0, 256 * 1024);
  const layout = sniffLayout(head, { utf8Valid: true, truncated: true });
  const mapping = compileMapping(
    'clients',
    layout.headers.length,
    suggestMapping('clients', layout.headers, layout.samples),
  );
  return { layout, mapping };
}
