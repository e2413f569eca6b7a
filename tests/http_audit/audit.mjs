// Runs every audit of graphql-http's GraphQL-over-HTTP suite against a server and
// fails unless every MUST audit passes. Usage: node audit.mjs http://127.0.0.1:PORT/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  results.push(await audit.fn());
}

const count = (test) => results.filter(test).length;
for (const result of results) {
  const mark = result.status === 'ok' ? 'ok  ' : result.status;
  const why = result.status === 'ok' ? '' : ` — ${result.reason}`;
  console.log(`${mark} ${result.id} ${result.name}${why}`);
}
const mustFailures = count((r) => r.status !== 'ok' && r.name.startsWith('MUST'));
console.log(
  `\n${results.length} audits: ${count((r) => r.status === 'ok')} pass, ` +
    `${count((r) => r.status === 'warn')} warnings, ${count((r) => r.status === 'notice')} notices, ` +
    `${count((r) => r.status === 'error')} errors; ${mustFailures} MUST audits failed`,
);
process.exit(mustFailures === 0 ? 0 : 1);
