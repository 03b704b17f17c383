// Writing plain HTTP answers: JSON documents, empty statuses and `{"message": ...}` errors.
import type { ServerResponse } from 'node:http';
import { messageOf, statusOf } from './http-status.js';

/** Like Go's json.Encoder: the document followed by a newline. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body) + '\n');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': data.length });
  res.end(data);
}

/** A bodiless answer (204 must not carry Content-Length). */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, status === 204 ? {} : { 'Content-Length': 0 });
  res.end();
}

/** Docker's error response; 304 carries no body, as HTTP requires. */
export function sendError(res: ServerResponse, err: unknown): void {
  const status = statusOf(err);
  if (status === 304) {
    res.writeHead(304);
    res.end();
    return;
  }
  sendJson(res, status, { message: messageOf(err) });
}
