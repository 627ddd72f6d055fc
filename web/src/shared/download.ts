/**
 * A file the API answers only with a credential in a header (a CSV export, an .ics): fetched, then
 * handed to the browser as a download, since a plain link cannot carry the header.
 */
import { authHeaders, refusal, safeJson, withQuery, type RequestOptions } from './api.js';

export async function download(
  path: string,
  fileName: string,
  options: Pick<RequestOptions, 'key' | 'token' | 'query'> = {},
): Promise<void> {
  const response = await fetch(withQuery(path, options.query), { headers: authHeaders(options) });
  if (!response.ok) throw refusal(response, safeJson(await response.text()));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The browser starts the download from the link at once; the blob can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
