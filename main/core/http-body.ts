// Response bodies read within a limit: shared by a server's own traffic (servers/capped-fetch.ts) and a sign-in's
// requests (auth/guard.ts), each of which a server or the authorization server it names can answer without end.

/** The same response with another body (status and headers kept). */
export function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** A body passed on up to `limit` bytes, then cut off with an error that says so. */
export function totalCap(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let bytes = 0;
  return new TransformStream({
    transform(chunk, controller) {
      bytes += chunk.length;
      if (bytes > limit) controller.error(new Error(`The response was over the limit of ${limit} bytes.`));
      else controller.enqueue(chunk);
    },
  });
}
