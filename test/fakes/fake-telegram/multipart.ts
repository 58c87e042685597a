/**
 * A small multipart/form-data reader. grammY writes its part headers without the space after
 * the colon (`content-disposition:form-data;name="chat_id"`), which undici's `formData()`
 * rejects, so the fake reads parts itself: text fields as strings, files as bytes.
 */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string | Uint8Array> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return {};
  const delimiter = Buffer.from(`--${marker}`);
  const fields: Record<string, string | Uint8Array> = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, a blank line, the content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const isFile = /filename=/i.test(headers);
      if (name !== undefined) fields[name] = isFile ? new Uint8Array(content) : content.toString("utf8");
    }
    start = next;
  }
  return fields;
}
