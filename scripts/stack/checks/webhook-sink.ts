/** A one-shot HTTP server that records webhook bodies, so alert delivery is proven without outside services. */
import { createServer, type Server } from "node:http";

export interface WebhookSink {
  received: string[];
  close: () => Promise<void>;
}

export function startWebhookSink(address: string, port: number): Promise<WebhookSink> {
  const received: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push(body);
      response.writeHead(200).end("ok");
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: address, port }, () =>
      resolve({ received, close: () => new Promise((done) => server.close(() => done())) }),
    );
  });
}
