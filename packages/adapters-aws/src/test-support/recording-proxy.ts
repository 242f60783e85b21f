import { type Server, createServer, request } from "node:http";

/**
 * An HTTP proxy in front of fauxqs that records the AWS action of every request (the `X-Amz-Target` of SQS's JSON
 * protocol, or the `Action` of SNS's query protocol), so a test can show which calls a process made. The Host header
 * is passed on unchanged, so the queue URLs fauxqs answers with point back at the proxy.
 */
export class RecordingProxy {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly actions: string[],
  ) {}

  static async start(upstreamPort: number): Promise<RecordingProxy> {
    const actions: string[] = [];
    const server = createServer((incoming, answer) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const body = Buffer.concat(chunks);
        const target = incoming.headers["x-amz-target"];
        const action = typeof target === "string" ? target.split(".").pop() : new URLSearchParams(body.toString("utf8")).get("Action");
        actions.push(action ?? `${incoming.method ?? "?"} ${incoming.url ?? ""}`);
        const upstream = request(
          { host: "127.0.0.1", port: upstreamPort, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (response) => {
            answer.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(answer);
          },
        );
        upstream.on("error", (error) => answer.destroy(error));
        upstream.end(body);
      });
    });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
    );
    return new RecordingProxy(server, `http://127.0.0.1:${port}`, actions);
  }

  /** The actions recorded so far, and forgets them. */
  take(): string[] {
    return this.actions.splice(0);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
